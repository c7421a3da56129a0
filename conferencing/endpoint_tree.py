"""The rules of the site tree: where a site may hang, and keeping paths true.

Every site stores its materialised path (its ancestors' codes); subtree
queries are a prefix match. Moving or renaming a site rewrites the paths of
its whole subtree in one UPDATE, inside the transaction of the save.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from conferencing.models import Endpoint, Level, path_for


def placement_error(level: int, parent_level: int | None, is_own_descendant: bool) -> str | None:
    """Why a site of `level` cannot hang under a parent of `parent_level`, or None."""
    if is_own_descendant:
        return _("A site cannot be placed under itself or one of its own sub-sites.")
    if parent_level is not None and level <= parent_level:
        return _(
            "A %(level)s site cannot be under a %(parent_level)s site: "
            "its level must be below its parent's."
        ) % {
            "level": Level(level).label,
            "parent_level": Level(parent_level).label,
        }
    return None


def validate_placement(endpoint: Endpoint) -> None:
    parent = endpoint.parent
    if parent is None:
        return
    is_own_descendant = bool(
        endpoint.pk
        and endpoint.path
        and (parent.pk == endpoint.pk or parent.path.startswith(endpoint.path))
    )
    error = placement_error(endpoint.level, parent.level, is_own_descendant)
    if error:
        raise ValidationError({"parent": error})


def save_with_subtree_paths(endpoint: Endpoint, save: Callable, *args, **kwargs) -> None:
    """Save the site with a fresh path and carry a changed path down its subtree."""
    old_path = endpoint.path
    endpoint.path = path_for(endpoint.code, endpoint.parent.path if endpoint.parent else "")
    with transaction.atomic():
        save(*args, **kwargs)
        if old_path and old_path != endpoint.path:
            rewrite_subtree_paths(old_path, endpoint.path, exclude_pk=endpoint.pk)


def rewrite_subtree_paths(old_prefix: str, new_prefix: str, exclude_pk: int | None = None) -> int:
    descendants = Endpoint.objects.filter(path__startswith=old_prefix)
    if exclude_pk is not None:
        descendants = descendants.exclude(pk=exclude_pk)
    return descendants.update(
        path=Concat(Value(new_prefix), Substr("path", Length(Value(old_prefix)) + 1))
    )
