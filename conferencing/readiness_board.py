"""What a readiness board shows: a snapshot of every site, then the changes since a sequence.

Both are a bounded number of queries whatever the size of the session, so a
board of 3,356 sites costs the same to refresh as one of ten. Who may see them, and
which part (conferencing.watch_policy.BoardPart), is not decided here but by the
rule meetings registers: the snapshot only shows the part it is given.
"""

from conferencing.instants import iso
from conferencing.models import PATH_SEPARATOR, Conference, Endpoint, Leg, LegRole, Level
from conferencing.watch_policy import WHOLE_BOARD, BoardPart

# Cells per message. A cell with the longest note, override reason, site and province
# name in Vietnamese letters (three bytes each) is about 3.6 KB of JSON, and Daphne closes
# a socket (1011) rather than send a message over 1 MiB (test_readiness_board holds it).
PAGE_CELLS = 240

CELL_FIELDS = (
    "pk",
    "state",
    "state_seq",
    "state_changed_at",
    "people_present",
    "note",
    "checklist",
    "override_reason",
)


def cell(row: dict) -> dict:
    return {
        "leg": row["pk"],
        "state": row["state"],
        "seq": row["state_seq"],
        "at": iso(row["state_changed_at"]) if row["state_changed_at"] else None,
        "people": row["people_present"],
        "note": row["note"],
        "checklist": row["checklist"],
        # Why the site is ready although a check failed; "" when nothing was overridden.
        "override": row["override_reason"],
    }


def province_names() -> dict[str, tuple[str, str]]:
    return {
        code: (code, name)
        for code, name in Endpoint.objects.at_level(Level.PROVINCE).values_list("code", "name")
    }


def province_of(path: str, provinces: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    for code in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR):
        if code in provinces:
            return provinces[code]
    return None


def snapshot(conference_id: int, part: BoardPart = WHOLE_BOARD) -> dict:
    """Every site of the session within `part` with its state; three queries.

    The sequence is the conference's, whatever the part: deltas continue from it.

    The sequence is read first and the cells after, so reports committed in
    between may show: the snapshot then stands at the newest of them. Reports of
    a conference commit in the order of their sequence numbers (each holds the
    conference's row until it commits), so no older one can still be missing."""
    seq = Conference.objects.filter(pk=conference_id).values_list("readiness_seq", flat=True)[0]
    provinces = province_names()
    rows = (
        of_part(Leg.objects.filter(conference_id=conference_id), part)
        .order_by("endpoint__path")
        .values(
            *CELL_FIELDS,
            "role",
            "endpoint__code",
            "endpoint__name",
            "endpoint__level",
            "endpoint__path",
        )
    )
    cells = []
    for row in rows:
        province = province_of(row["endpoint__path"], provinces)
        cells.append(
            {
                **cell(row),
                "site": row["endpoint__code"],
                "name": row["endpoint__name"],
                "level": Level(row["endpoint__level"]).slug,
                "province": province[0] if province else None,
                "province_name": province[1] if province else None,
                "host": row["role"] == LegRole.HOST,
            }
        )
    return {"seq": max([seq, *(cell["seq"] for cell in cells)]), "cells": cells}


def of_part(legs, part: BoardPart):
    """The legs of sites within `part` (a prefix of the site path: the index serves it)."""
    return legs if part.is_whole else legs.filter(endpoint__path__startswith=part.within)


def part_site(part: BoardPart) -> str | None:
    """The name of the site at the top of `part` (its office's jurisdiction); None for
    the whole board."""
    if part.is_whole:
        return None
    return Endpoint.objects.filter(path=part.within).values_list("name", flat=True).first()


def count(conference_id: int, part: BoardPart = WHOLE_BOARD) -> int:
    """How many of the session's sites `part` shows; one query."""
    return of_part(Leg.objects.filter(conference_id=conference_id), part).count()


def changes_since(conference_id: int, since: int) -> dict:
    """The cells changed after `since`, and the sequence they bring the board to; two queries.

    Each cell also carries its site's `path`, for the feed to tell the parts apart; the
    feed takes it out before sending (readiness_feed.delta_texts)."""
    seq = Conference.objects.filter(pk=conference_id).values_list("readiness_seq", flat=True)[0]
    rows = Leg.objects.filter(conference_id=conference_id, state_seq__gt=since).values(
        *CELL_FIELDS, "endpoint__path"
    )
    cells = [{**cell(row), "path": row["endpoint__path"]} for row in rows]
    return {"since": since, "seq": max([seq, *(cell["seq"] for cell in cells)]), "cells": cells}


def pages(cells: list[dict], size: int | None = None) -> list[list[dict]]:
    """The snapshot's cells in messages of at most `size` (one page when there are none)."""
    size = size or PAGE_CELLS
    return [cells[start : start + size] for start in range(0, len(cells), size)] or [[]]


def delta_pages(since: int, seq: int, cells: list[dict], size: int | None = None) -> list[dict]:
    """The delta from `since` to `seq` as consecutive deltas of at most `size` cells.

    Cut in order of the cells' sequence numbers, so each part brings the board to
    the sequence of its newest cell and the next part starts from there."""
    size = size or PAGE_CELLS
    ordered = sorted(cells, key=lambda cell: cell["seq"])
    parts = []
    for chunk in pages(ordered, size):
        end = chunk[-1]["seq"] if chunk and len(parts) < (len(ordered) - 1) // size else seq
        parts.append({"since": since, "seq": end, "cells": chunk})
        since = end
    return parts
