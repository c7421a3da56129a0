from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import folded_search
from accounts.folding import fold
from conferencing.dial_strings import validate_dial_string

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"
PATH_SEPARATOR = "/"

# A short code, for a site as for an office: what CSV files and URLs carry.
code_validator = RegexValidator(
    CODE_PATTERN,
    _("Use 1-32 letters, digits, dots, dashes or underscores, starting with a letter or digit."),
)


class Level(models.IntegerChoices):
    """Administrative level; a larger number sits lower in the tree."""

    CENTRAL = 0, _("Central")
    PROVINCE = 1, _("Province")
    DISTRICT = 2, _("District")
    COMMUNE = 3, _("Commune")

    @classmethod
    def from_slug(cls, slug: str) -> "Level | None":
        return LEVEL_SLUGS.get(slug.strip().lower())

    @property
    def slug(self) -> str:
        return self.name.lower()


LEVEL_SLUGS = {level.name.lower(): level for level in Level}


def path_for(code: str, parent_path: str = "") -> str:
    """Materialised path: every ancestor's code, so a subtree is one prefix match."""
    return f"{parent_path or PATH_SEPARATOR}{code}{PATH_SEPARATOR}"


class EndpointQuerySet(folded_search.SearchKeyedQuerySet):
    def within(self, ancestor: "Endpoint", include_self: bool = True) -> "EndpointQuerySet":
        """The subtree under `ancestor`, in one query whatever its depth."""
        subtree = self.filter(path__startswith=ancestor.path)
        return subtree if include_self else subtree.exclude(pk=ancestor.pk)

    def at_level(self, level: Level | int) -> "EndpointQuerySet":
        return self.filter(level=level)

    def active(self) -> "EndpointQuerySet":
        return self.filter(is_active=True)

    def roots(self) -> "EndpointQuerySet":
        return self.filter(parent__isnull=True)

    def in_tree_order(self) -> "EndpointQuerySet":
        return self.order_by("path")

    def levels_present(self) -> set[int]:
        """The levels the tree uses (one query on the level index): a tree of provinces
        and communes has no districts, and nobody should be offered "All districts"."""
        return set(self.order_by().values_list("level", flat=True).distinct())

    def search(self, text: str) -> "EndpointQuerySet":
        """Sites whose name, code or organisation holds every word of `text`, whatever its
        case and marks ("hoan kiem" finds "Hoàn Kiếm", "da nang" "Đà Nẵng"), through the
        search index (accounts.folded_search); an empty text filters nothing."""
        return folded_search.matching(self, text)


class Endpoint(models.Model):
    """A conference site (điểm cầu): a room with a codec at one administrative level."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[code_validator],
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=400, editable=False, db_index=True)
    # fold(name, code, organisation): what site search matches, ignoring case and marks
    # (accounts.folded_search serves it from an index).
    search_key = models.CharField(max_length=600, blank=True, editable=False, db_default="")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    dial_string = models.CharField(
        _("dial string"),
        max_length=200,
        blank=True,
        validators=[validate_dial_string],
        help_text=_("SIP URI (sip:room@example.vn), H.323 alias (h323:alias) or IP address."),
    )
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=32,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ().-]{6,31}$",
                _("Enter a phone number of digits, spaces, dots, dashes or brackets."),
            )
        ],
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    technicians = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technicians"),
        blank=True,
        related_name="served_endpoints",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("conference site")
        verbose_name_plural = _("conference sites")
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "is_active"], name="endpoint_level_active")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        self.search_key = self.folded_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        save_with_subtree_paths(self, super().save, *args, **kwargs)

    def clean(self) -> None:
        validate_placement(self)

    def folded_search_key(self) -> str:
        return site_search_key(self.name, self.code, self.organisation)

    @property
    def depth(self) -> int:
        return self.path.count(PATH_SEPARATOR) - 2


def site_search_key(name: str, code: str, organisation: str) -> str:
    return fold(" ".join([name, code, organisation]))[:600]


# -- The rules of the site tree: where a site may hang, and keeping paths true. ---------------
# Every site stores its materialised path (its ancestors' codes); subtree queries are a
# prefix match. Moving or renaming a site rewrites the paths of its whole subtree in one
# UPDATE, inside the transaction of the save. They live beside Endpoint because its save()
# and clean() apply them: a module of their own would import the model that calls it.


def placement_error(level: int, parent_level: int | None, is_own_descendant: bool) -> str | None:
    """Why a site of `level` cannot hang under a parent of `parent_level`, or None."""
    if is_own_descendant:
        return gettext("A site cannot be placed under itself or one of its own sub-sites.")
    if parent_level is not None and level <= parent_level:
        return gettext(
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


class Bridge(models.Model):
    """A multipoint control unit (MCU) that joins sites; its ports bound concurrent legs."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    dial_in = models.CharField(
        _("dial-in address"), max_length=200, validators=[validate_dial_string]
    )
    port_capacity = models.PositiveIntegerField(
        _("port capacity"), validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    owner = models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("owning office"),
        on_delete=models.PROTECT,
        related_name="bridges",
    )
    # Offices below the owner that may book sessions on it too (conferencing.jurisdiction).
    shared_with = models.ManyToManyField(
        "conferencing.Office",
        verbose_name=_("shared with"),
        blank=True,
        related_name="shared_bridges",
    )

    class Meta:
        verbose_name = _("bridge (MCU)")
        verbose_name_plural = _("bridges (MCU)")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(port_capacity__gt=0), name="bridge_port_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name
