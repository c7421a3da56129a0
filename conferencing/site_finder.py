"""What the site pickers suggest while someone types: a few active sites of an office's
jurisdiction whose name, code or organisation holds every word typed, whatever its case
and marks ("hoan kiem" finds "Phường Hoàn Kiếm").

The booking form used to carry every site of the jurisdiction in a <datalist> (3,356
options, most of its 180 KB at national scale); the pickers now ask for the few that
match, one query through the search index (accounts.folded_search) per request.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When

from accounts import folded_search
from conferencing.jurisdiction import sites_within
from conferencing.models import Level, Office

# Enough to pick from at a glance; more words narrow it down.
SHOWN = 20


@dataclass(frozen=True)
class FoundSite:
    code: str
    name: str
    level: int

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


@dataclass(frozen=True)
class Found:
    sites: list[FoundSite]
    # Whether more sites match than are shown.
    more: bool


def find_sites(office: Office, text: str, shown: int = SHOWN) -> Found:
    """At most `shown` active sites within the office's jurisdiction matching `text`: a
    site whose code is exactly what was typed first, then in tree order. Nothing for an
    empty text. One query, whatever the size of the tree."""
    if not folded_search.words_of(text):
        return Found([], more=False)
    exact_code = Case(
        When(code__iexact=text.strip(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = list(
        sites_within(office)
        .active()
        .search(text)
        .order_by(exact_code, "path")
        .values_list("code", "name", "level")[: shown + 1]
    )
    return Found([FoundSite(*row) for row in rows[:shown]], more=len(rows) > shown)
