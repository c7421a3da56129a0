"""What a readiness board shows: a snapshot of every site, then the changes since a sequence.

Both are a bounded number of queries whatever the size of the session, so a
board of 3,356 sites costs the same to refresh as one of ten. Who may see them, and
which part (conferencing.watch_policy.BoardPart), is not decided here but by the
rule meetings registers: the snapshot only shows the part it is given.
"""

from accounts import folded_search
from conferencing.instants import iso
from conferencing.models import (
    PATH_SEPARATOR,
    Conference,
    Endpoint,
    Leg,
    LegRole,
    Level,
    ReadinessState,
)
from conferencing.readiness import PROBLEM_STATES, READY_STATES
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


# The groups of sites outside any province: the centre, and anything else.
CENTRAL_GROUP = "central"
OTHER_GROUP = "other"


def group_of(
    path: str, level: int, provinces: dict[str, tuple[str, str]]
) -> tuple[str, str | None]:
    """(key, name) of the board's group of a site: its province's code and name, else
    the central group or the other one (their names are the page's texts)."""
    province = province_of(path, provinces)
    if province:
        return province
    return (CENTRAL_GROUP if level == Level.CENTRAL else OTHER_GROUP), None


# The compact map's letters: a leg's state and level as one character each, the
# character being its index in these lists (sent once in the map).
STATE_LETTERS = tuple(ReadinessState.values)
LEVEL_LETTERS = tuple(level.slug for level in Level)
# The states not ready: what the state filters show (their cells asked for by state).
NOT_READY = frozenset(STATE_LETTERS) - READY_STATES
# A board of more sites starts with its groups closed (but those opened below).
COLLAPSE_ABOVE = 60
# Beyond COLLAPSE_ABOVE, groups with a problem also start open, most problems first, while
# the ready cells they add to the snapshot stay within this many.
OPEN_READY_CELLS = 100


# A full cell leaves out what is empty (no report yet, no note, not the host): the board
# reads a missing field as empty. Its level and group are the map's.
EMPTY_FIELDS = {"at": None, "people": None, "note": "", "checklist": {}, "override": ""}


def full_cell(row: dict) -> dict:
    """A site's cell as the board asks for it: the delta's fields and the site's code and
    name, and `host` when it is the host; empty fields left out."""
    full = {
        key: value
        for key, value in cell(row).items()
        if key not in EMPTY_FIELDS or value != EMPTY_FIELDS[key]
    }
    full["site"], full["name"] = row["endpoint__code"], row["endpoint__name"]
    if row["role"] == LegRole.HOST:
        full["host"] = True
    return full


FULL_CELL_FIELDS = (*CELL_FIELDS, "role", "endpoint__code", "endpoint__name")


def full_cells(legs, limit: int | None = None) -> list[dict]:
    """The full cells of `legs` (a queryset) in path order, at most `limit`; one query."""
    rows = legs.order_by("endpoint__path").values(*FULL_CELL_FIELDS)[:limit]
    return [full_cell(row) for row in rows]


def compact_map(rows: list[tuple], provinces: dict[str, tuple[str, str]]) -> dict:
    """The map of every leg from rows (pk, state, level, path, role) in path order.

    `groups`: the board's groups in order of their first site; `ids`: the legs' ids, the
    first then each one's difference from the one before; `runs`: [group index, how many
    legs] in order; `states` and `levels`: one character per leg, its index in
    `state_names` and `level_names`; `host`: the index of the host's leg (or None)."""
    groups: list[dict] = []
    index_of: dict[str, int] = {}
    runs: list[list[int]] = []
    ids: list[int] = []
    states, levels = [], []
    state_index = {state: str(i) for i, state in enumerate(STATE_LETTERS)}
    host = None
    previous = 0
    for position, (pk, state, level, path, role) in enumerate(rows):
        key, name = group_of(path, level, provinces)
        group = index_of.get(key)
        if group is None:
            group = index_of[key] = len(groups)
            groups.append({"key": key, "name": name})
        if runs and runs[-1][0] == group:
            runs[-1][1] += 1
        else:
            runs.append([group, 1])
        ids.append(pk - previous)
        previous = pk
        states.append(state_index[state])
        levels.append(str(level))
        if role == LegRole.HOST:
            host = position
    return {
        "groups": groups,
        "ids": ids,
        "runs": runs,
        "states": "".join(states),
        "state_names": list(STATE_LETTERS),
        "levels": "".join(levels),
        "level_names": list(LEVEL_LETTERS),
        "host": host,
    }


def decode_map(board_map: dict) -> list[dict]:
    """The legs of a compact map as {leg, group, state, level, host}, in order (the
    client's reading of it, board.js; used by the tests)."""
    legs, pk, position = [], 0, 0
    for group, length in board_map["runs"]:
        for _ in range(length):
            pk += board_map["ids"][position]
            legs.append(
                {
                    "leg": pk,
                    "group": board_map["groups"][group]["key"],
                    "state": board_map["state_names"][int(board_map["states"][position])],
                    "level": board_map["level_names"][int(board_map["levels"][position])],
                    "host": position == board_map["host"],
                }
            )
            position += 1
    return legs


def first_open(rows: list[tuple], board_map: dict) -> list[int]:
    """The groups a board starts with open: every one on a board of COLLAPSE_ABOVE sites
    or fewer; else the host's, then those with a problem, most problems first, while the
    ready cells they add stay within OPEN_READY_CELLS."""
    count = len(board_map["groups"])
    if len(rows) <= COLLAPSE_ABOVE:
        return list(range(count))
    problems, ready = [0] * count, [0] * count
    position = 0
    for group, length in board_map["runs"]:
        for row in rows[position : position + length]:
            if row[1] in PROBLEM_STATES:
                problems[group] += 1
            elif row[1] not in NOT_READY:
                ready[group] += 1
        position += length
    opened = []
    if board_map["host"] is not None:
        host_group = group_at(board_map, board_map["host"])
        opened.append(host_group)
    budget = OPEN_READY_CELLS
    for group in sorted(range(count), key=lambda g: (-problems[g], g)):
        if not problems[group] or group in opened:
            continue
        if ready[group] > budget:
            continue
        budget -= ready[group]
        opened.append(group)
    return sorted(opened)


def group_at(board_map: dict, position: int) -> int:
    """The group index of the leg at `position` of the map."""
    seen = 0
    for group, length in board_map["runs"]:
        seen += length
        if position < seen:
            return group
    raise IndexError(position)


def snapshot(conference_id: int, part: BoardPart = WHOLE_BOARD) -> dict:
    """The session's sites within `part`: a compact map of every leg (its state, level and
    group: every count is exact) and the full cells of the groups that start open
    (`map["open"]`: every group of a small board). Nothing else, whatever the states: at
    the opening of a national session's window none of 3,356 sites has reported, and
    the cells of the closed groups are asked for when shown (group_cells, leg_cells,
    state_cells, found_cells). Four queries.

    The sequence is the conference's, whatever the part: deltas continue from it.

    The sequence is read first and the cells after, so reports committed in
    between may show: the snapshot then stands at the newest of them. Reports of
    a conference commit in the order of their sequence numbers (each holds the
    conference's row until it commits), so no older one can still be missing."""
    seq = Conference.objects.filter(pk=conference_id).values_list("readiness_seq", flat=True)[0]
    provinces = province_names()
    legs = of_part(Leg.objects.filter(conference_id=conference_id), part)
    rows = list(
        legs.order_by("endpoint__path").values_list(
            "pk", "state", "endpoint__level", "endpoint__path", "role"
        )
    )
    board_map = compact_map(rows, provinces)
    board_map["open"] = first_open(rows, board_map)
    opened = {board_map["groups"][group]["key"] for group in board_map["open"]}
    wanted = [
        pk
        for pk, _state, level, path, _role in rows
        if group_of(path, level, provinces)[0] in opened
    ]
    cells = full_cells(legs.filter(pk__in=wanted)) if wanted else []
    seqs = [cell["seq"] for cell in cells]
    return {"seq": max([seq, *seqs]), "map": board_map, "cells": cells}


# At most this many cells answer a request for legs, or a search.
MAX_ASKED_LEGS = 500
MAX_FOUND = 200


def group_cells(conference_id: int, group: str, part: BoardPart = WHOLE_BOARD) -> list[dict]:
    """The full cells of one group of the board (a province's code, or the central or
    other group) within `part`; none for a group it does not have. Three queries."""
    provinces = province_names()
    legs = of_part(Leg.objects.filter(conference_id=conference_id), part)
    wanted = [
        pk
        for pk, level, path in legs.values_list("pk", "endpoint__level", "endpoint__path")
        if group_of(path, level, provinces)[0] == group
    ]
    return full_cells(legs.filter(pk__in=wanted)) if wanted else []


def leg_cells(conference_id: int, ids: list[int], part: BoardPart = WHOLE_BOARD) -> list[dict]:
    """The full cells of the legs `ids` of the session within `part` (others are not
    there, as if they did not exist); one query."""
    legs = of_part(Leg.objects.filter(conference_id=conference_id, pk__in=ids), part)
    return full_cells(legs)


def state_cells(conference_id: int, states: list[str], part: BoardPart = WHOLE_BOARD) -> list[dict]:
    """The full cells of the session's sites within `part` whose state is one of
    `states` (what a state filter shows), in path order, however many; one query."""
    legs = of_part(Leg.objects.filter(conference_id=conference_id, state__in=states), part)
    return full_cells(legs)


def found_cells(
    conference_id: int, query: str, part: BoardPart = WHOLE_BOARD
) -> tuple[list[dict], bool]:
    """The cells of the session's sites within `part` whose name or code contains every
    word of `query`, diacritics and case ignored (accounts.folded_search): at most
    MAX_FOUND of them, and whether there are more. One query."""
    legs = folded_search.matching(
        of_part(Leg.objects.filter(conference_id=conference_id), part), query, path="endpoint__"
    )
    cells = full_cells(legs, limit=MAX_FOUND + 1)
    return cells[:MAX_FOUND], len(cells) > MAX_FOUND


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
