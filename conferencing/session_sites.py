"""The sites of one session as people read them: how many at each level and in each
province, the host, and the sites themselves a page at a time.

A national session has 3,356 sites: the meeting page that listed them all weighed
350 KB and took 390 ms (bench/pages.py). The summary costs three queries whatever the
number of sites, and the sites are listed on demand, filtered and paginated
(`sites_page`), or in full only when the session is small enough to read at a glance
(`LISTED_INLINE`).
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, Count, F, Subquery, Value, When

from accounts import folded_search
from conferencing.models import Endpoint, Leg, LegRole, Level
from conferencing.readiness_board import province_names, province_of

# A session of at most this many sites lists them on its page; a larger one shows the
# summary and links to the list.
LISTED_INLINE = 40
SITES_PER_PAGE = 100


@dataclass(frozen=True)
class SessionSite:
    code: str
    name: str
    level: int
    is_host: bool

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


@dataclass(frozen=True)
class LevelCount:
    level: Level
    count: int

    @property
    def label(self) -> str:
        return str(self.level.label)

    @property
    def slug(self) -> str:
        return self.level.slug


@dataclass(frozen=True)
class ProvinceCount:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class SiteSummary:
    total: int
    host: SessionSite | None
    by_level: list[LevelCount]
    by_province: list[ProvinceCount]
    # Every site in tree order when there are at most LISTED_INLINE, else None.
    listed: list[SessionSite] | None


def summarise(conference_id: int) -> SiteSummary:
    """Counts by level and by province, the host, and the sites of a small session;
    three queries whatever the number of sites.

    The database counts the sites per level and parent site (a few dozen groups for a
    national session), a province's own site apart; the province of each group is read
    from the parent's path as the board reads it (readiness_board.province_of), so a
    tree with districts or without counts the same."""
    legs = Leg.objects.filter(conference_id=conference_id)
    own_province = Case(
        When(endpoint__level=Level.PROVINCE, then=F("endpoint__code")),
        default=Value(""),
        output_field=CharField(),
    )
    groups = (
        legs.order_by()
        .annotate(own_province=own_province)
        .values_list("endpoint__level", "endpoint__parent__path", "own_province")
        .annotate(count=Count("pk"))
    )
    provinces = province_names()
    levels: dict[int, int] = {}
    in_province: dict[str, int] = {}
    for level, parent_path, own, count in groups:
        levels[level] = levels.get(level, 0) + count
        province = (own, "") if own else province_of(parent_path or "", provinces)
        if province is not None:
            in_province[province[0]] = in_province.get(province[0], 0) + count
    by_level = [LevelCount(Level(level), levels[level]) for level in sorted(levels)]
    by_province = [
        ProvinceCount(code, provinces[code][1], in_province[code])
        for code in sorted(in_province)
        if code in provinces
    ]
    total = sum(levels.values())
    fields = ("endpoint__code", "endpoint__name", "endpoint__level", "role")
    if total <= LISTED_INLINE:
        listed = [site_of(row) for row in legs.order_by("endpoint__path").values_list(*fields)]
        host = next((site for site in listed if site.is_host), None)
    else:
        listed = None
        host = next(map(site_of, legs.filter(role=LegRole.HOST).values_list(*fields)[:1]), None)
    return SiteSummary(total, host, by_level, by_province, listed)


def site_of(row: tuple[str, str, int, str]) -> SessionSite:
    code, name, level, role = row
    return SessionSite(code, name, level, role == LegRole.HOST)


def sites_page(
    conference_id: int,
    province: str = "",
    level: Level | None = None,
    search: str = "",
    number: int | str = 1,
) -> Page:
    """One page of the session's sites in tree order, within `province` (a province's
    code), at `level`, matching every word of `search` whatever its case and marks
    (accounts.folded_search: "da nang" finds "Đà Nẵng"); two queries (the count and the
    page) whatever the number of sites. An unknown province lists nothing."""
    legs = Leg.objects.filter(conference_id=conference_id)
    if province:
        within = Endpoint.objects.filter(code=province, level=Level.PROVINCE).values("path")[:1]
        legs = legs.filter(endpoint__path__startswith=Subquery(within))
    if level is not None:
        legs = legs.filter(endpoint__level=level)
    legs = folded_search.matching(legs, search, path="endpoint__")
    rows = legs.order_by("endpoint__path").values_list(
        "endpoint__code", "endpoint__name", "endpoint__level", "role"
    )
    page = Paginator(rows, SITES_PER_PAGE).get_page(number)
    page.object_list = [site_of(row) for row in page.object_list]
    return page
