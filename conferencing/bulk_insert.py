"""Inserting many new rows at once, each given its id (the site and people imports)."""

from collections.abc import Sequence

from django.db import models


def bulk_create_with_ids(
    model: type[models.Model], objects: Sequence[models.Model], key: str
) -> None:
    """Insert `objects` in one bulk insert and give each its primary key: a database that
    does not return ids from a bulk insert has them looked up by the unique field `key`."""
    model._default_manager.bulk_create(objects)
    if any(instance.pk is None for instance in objects):
        ids = dict(
            model._default_manager.filter(
                **{f"{key}__in": [getattr(instance, key) for instance in objects]}
            ).values_list(key, "pk")
        )
        for instance in objects:
            instance.pk = ids[getattr(instance, key)]
