"""Resolve the way a secretariat names sites into endpoint ids.

"All provinces", "province X and all its communes", "these 12 sites", minus
exclusions: two queries whatever the number of sites (one for the paths of the
named subtrees, one for the sites themselves).
"""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.utils.translation import gettext as _

from conferencing.models import Endpoint, Level


class SiteSelectionError(ValueError):
    """The selection names unknown or inactive sites, or selects nothing; user-facing."""


@dataclass(frozen=True)
class SiteSelection:
    levels: tuple[int, ...] = ()
    subtrees: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    exclude_sites: tuple[str, ...] = ()
    exclude_subtrees: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.levels or self.subtrees or self.sites)

    def as_json(self) -> dict[str, list]:
        """What Conference.site_selection keeps: only the parts that say something."""
        return {name: list(value) for name, value in vars(self).items() if value}

    @classmethod
    def from_json(cls, data: object) -> "SiteSelection":
        """The selection a conference keeps; anything unreadable reads as no selection."""
        if not isinstance(data, dict):
            return cls()
        parts = {}
        for name in ("levels", "subtrees", "sites", "exclude_sites", "exclude_subtrees"):
            value = data.get(name) or []
            if isinstance(value, list):
                kind = int if name == "levels" else str
                parts[name] = tuple(item for item in value if isinstance(item, kind))
        return cls(**parts)


@dataclass(frozen=True)
class ResolvedSites:
    ids: tuple[int, ...]
    id_by_code: dict[str, int]
    # Chosen sites outside the subtree the selection was resolved within: (id, code).
    outside: tuple[tuple[int, str], ...] = ()

    def id_of(self, code: str) -> int | None:
        return self.id_by_code.get(code)


def any_of(conditions: list[Q]) -> Q | None:
    """OR of the conditions; None when there are none (an empty IN breaks annotations)."""
    combined = None
    for condition in conditions:
        combined = condition if combined is None else combined | condition
    return combined


def selection_filter(
    levels: tuple[int, ...],
    subtrees: tuple[str, ...],
    sites: tuple[str, ...],
    paths: dict[str, str],
    within: str = "",
) -> Q | None:
    return any_of(
        ([Q(level__in=levels, path__startswith=within)] if levels else [])
        + [Q(path__startswith=paths[code]) for code in subtrees]
        + ([Q(code__in=sites)] if sites else [])
    )


def unknown_codes_error(codes: list[str]) -> SiteSelectionError:
    return SiteSelectionError(_("Unknown sites: %(codes)s.") % {"codes": ", ".join(codes)})


def resolve_sites(selection: SiteSelection, within: str = "") -> ResolvedSites:
    """Endpoint ids in tree order, and their codes.

    Inactive sites reached through a level or a subtree are left out; an
    inactive site named one by one is an error, as is an unknown code. With `within`
    (a site path: an office's jurisdiction), a level means its sites under that path,
    and the chosen sites outside it are listed in `outside` for the caller to refuse.
    """
    if selection.is_empty():
        raise SiteSelectionError(_("Choose at least one site."))
    unknown_levels = [level for level in selection.levels if level not in Level.values]
    if unknown_levels:
        raise SiteSelectionError(_("Unknown level: %(level)s.") % {"level": unknown_levels[0]})
    named_roots = set(selection.subtrees) | set(selection.exclude_subtrees)
    paths = dict(Endpoint.objects.filter(code__in=named_roots).values_list("code", "path"))
    if unknown_roots := sorted(named_roots - paths.keys()):
        raise unknown_codes_error(unknown_roots)
    included = selection_filter(
        selection.levels, selection.subtrees, selection.sites, paths, within
    )
    excluded = selection_filter((), selection.exclude_subtrees, selection.exclude_sites, paths)
    excluded_flag = (
        Value(False)
        if excluded is None
        else ExpressionWrapper(excluded, output_field=BooleanField())
    )
    rows = (
        Endpoint.objects.filter(included)
        .annotate(excluded=excluded_flag)
        .order_by("path")
        .values_list("pk", "code", "is_active", "excluded", "path")
    )
    found = list(rows)
    if unknown := sorted(set(selection.sites) - {row[1] for row in found}):
        raise unknown_codes_error(unknown)
    named = set(selection.sites)
    inactive_named = [
        code
        for _pk, code, active, excl, _path in found
        if code in named and not active and not excl
    ]
    if inactive_named:
        raise SiteSelectionError(
            _("Inactive sites cannot be booked: %(codes)s.") % {"codes": ", ".join(inactive_named)}
        )
    kept = [(pk, code, path) for pk, code, active, excl, path in found if active and not excl]
    if not kept:
        raise SiteSelectionError(_("The selection contains no active site."))
    chosen = {code: pk for pk, code, _path in kept}
    outside = tuple((pk, code) for pk, code, path in kept if not path.startswith(within))
    return ResolvedSites(ids=tuple(chosen.values()), id_by_code=chosen, outside=outside)


def as_provinces(selection: SiteSelection, within: str = "") -> SiteSelection:
    """A selection of single sites only (what sessions booked before selections were kept
    have) rewritten with each province under `within` all of whose active sites it names
    as that province with all its sites; the other sites stay single. The same sites
    today in fewer words (34 provinces rather than 3,356 codes); any other selection is
    returned as it is. One query."""
    if not selection.sites or selection != SiteSelection(sites=selection.sites):
        return selection
    rows = list(
        Endpoint.objects.active()
        .filter(path__startswith=within)
        .order_by("path")
        .values_list("code", "path", "level")
    )
    provinces = [(code, path) for code, path, level in rows if level == Level.PROVINCE]
    named = set(selection.sites)
    whole, covered = [], set()
    for province, root in provinces:
        subtree = [code for code, path, _level in rows if path.startswith(root)]
        if named.issuperset(subtree):
            whole.append(province)
            covered.update(subtree)
    if not whole:
        return selection
    rest = tuple(code for code in selection.sites if code not in covered)
    return SiteSelection(subtrees=tuple(whole), sites=rest)
