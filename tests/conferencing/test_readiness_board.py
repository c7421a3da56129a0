"""What a readiness board may show and to whom (conferencing.readiness_board)."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.roles import Role
from conferencing import readiness_board, watch_policy
from conferencing.instants import iso
from conferencing.models import Endpoint, Leg
from conferencing.readiness import (
    CHECK_ITEMS,
    MAX_NOTE_LENGTH,
    MAX_OVERRIDE_LENGTH,
    MAX_PEOPLE,
    Report,
    submit_report,
)
from conferencing.readiness_board import (
    PAGE_CELLS,
    changes_since,
    decode_map,
    delta_pages,
    found_cells,
    group_cells,
    leg_cells,
    pages,
    snapshot,
    state_cells,
)
from conferencing.watch_policy import BoardPart, may_watch
from tests.factories import BridgeFactory, UserFactory, open_session, serve

ALL_OK = {"audio": True, "video": True, "network": True, "display": True}


# -- Who may watch (the rule meetings registers; confidential sessions: tests/meetings) ----------


def test_watch_policy_refuses_every_board_until_a_rule_is_registered(session, alice):
    registered = watch_policy.registered()
    watch_policy.register(watch_policy.refuse)
    try:
        refused = may_watch(alice, session.conference_id)
    finally:
        watch_policy.register(registered)

    assert (refused, may_watch(alice, session.conference_id)) == (False, True)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("alice", True), ("bob", True), ("dung", False), ("carol", False), ("mallory", False)],
    ids=["secretariat", "host-technician", "participant-technician", "attendee", "no-role"],
)
def test_board_is_for_the_secretariat_and_the_host_sites_technicians(
    request, session, persona, allowed
):
    user = request.getfixturevalue(persona)

    assert may_watch(user, session.conference_id) is allowed


def test_board_is_closed_to_anonymous_users(session):
    assert may_watch(AnonymousUser(), session.conference_id) is False


def test_board_is_closed_to_the_superuser_who_acts_on_no_session(session):
    admin = UserFactory(username="admin", is_superuser=True)

    assert may_watch(admin, session.conference_id) is False


def test_board_of_a_conference_that_does_not_exist_is_closed(session, alice):
    assert may_watch(alice, session.conference_id + 1000) is False


def test_host_technician_of_one_session_may_not_watch_another(session, alice, bob):
    # bob serves T01, the host of `session`; here T02 hosts and T01 only takes part.
    other = open_session(
        alice,
        sites=("T01", "T02"),
        host_code="T02",
        starts_in=timedelta(days=2),
        bridge_id=session.conference.bridge_id,
    )

    assert (may_watch(bob, session.conference_id), may_watch(bob, other.conference_id)) == (
        True,
        False,
    )


def test_technician_role_alone_does_not_open_a_board(session):
    stranger = UserFactory(username="eve", roles=[Role.TECHNICIAN])

    assert may_watch(stranger, session.conference_id) is False


# -- Snapshot ------------------------------------------------------------------------------------


def test_snapshot_shows_each_sites_latest_report(session, legs, bob):
    now = timezone.now()
    submit_report(Report(legs["T01"], "checking"), bob, now - timedelta(minutes=2))
    submit_report(Report(legs["T01"], "ready", ALL_OK, 9, "Sẵn sàng"), bob, now)

    board = snapshot(session.conference_id)

    assert board["seq"] == 2
    assert board["cells"][0] == {
        "leg": legs["T01"],
        "state": "ready",
        "seq": 2,
        "at": iso(now),
        "people": 9,
        "note": "Sẵn sàng",
        "checklist": ALL_OK,
        "site": "T01",
        "name": "Điểm cầu T01",
        "host": True,
    }
    # A site that has not reported is its code and name: the empty fields are left out.
    assert board["cells"][1] == {
        "leg": legs["X0101"],
        "state": "pending",
        "seq": 0,
        "site": "X0101",
        "name": "Điểm cầu X0101",
    }
    assert [(c["site"], c["state"], c["seq"]) for c in board["cells"]] == [
        ("T01", "ready", 2),
        ("X0101", "pending", 0),
        ("X0102", "pending", 0),
        ("T02", "pending", 0),
        ("X0201", "pending", 0),
        ("X0202", "pending", 0),
    ]


def test_snapshot_of_the_central_site_has_no_province(readiness_sites, alice):
    meeting = open_session(alice, sites=("TW", "X0201"), host_code="TW")

    board = snapshot(meeting.conference_id)
    cells = board["cells"]

    assert [(c["site"], c.get("host", False)) for c in cells] == [("TW", True), ("X0201", False)]
    assert [(leg["group"], leg["level"]) for leg in decode_map(board["map"])] == [
        ("central", "central"),
        ("T02", "commune"),
    ]


@pytest.mark.parametrize("sites", [1, 3])
def test_snapshot_takes_four_queries_whatever_the_number_of_sites(
    readiness_sites, alice, django_assert_num_queries, sites
):
    codes = ("T01", "X0101", "X0102")[:sites]
    meeting = open_session(alice, sites=codes, host_code="T01", bridge_id=BridgeFactory().pk)

    with django_assert_num_queries(4):
        board = snapshot(meeting.conference_id)

    assert len(board["cells"]) == sites


# -- The compact map and what the snapshot carries in full ----------------------------------------


def set_states(legs: dict[str, int], **states: str) -> None:
    """Sites' latest states as reports leave them (the snapshot reads only the leg)."""
    for code, state in states.items():
        Leg.objects.filter(pk=legs[code]).update(state=state)


def test_the_map_holds_every_leg_in_tree_order_and_reads_back(readiness_sites, alice):
    meeting = open_session(alice, sites=("TW", "T01", "X0101", "X0102", "X0201"), host_code="T01")
    legs = dict(meeting.conference.legs.values_list("endpoint__code", "pk"))
    set_states(legs, X0101="problem", X0201="ready")

    board_map = snapshot(meeting.conference_id)["map"]

    assert decode_map(board_map) == [
        {"leg": legs[code], "group": group, "state": state, "level": level, "host": host}
        for code, group, state, level, host in [
            ("TW", "central", "pending", "central", False),
            ("T01", "T01", "pending", "province", True),
            ("X0101", "T01", "problem", "commune", False),
            ("X0102", "T01", "pending", "commune", False),
            ("X0201", "T02", "ready", "commune", False),
        ]
    ]
    # Compact: ids as differences, groups as runs, a state and a level a character each.
    assert board_map["ids"][0] == legs["TW"]
    assert sum(board_map["ids"]) == legs["X0201"]
    assert board_map["runs"] == [[0, 1], [1, 3], [2, 1]]
    assert [(g["key"], g["name"]) for g in board_map["groups"]] == [
        ("central", None),
        ("T01", "Điểm cầu T01"),
        ("T02", "Điểm cầu T02"),
    ]
    assert len(board_map["states"]) == len(board_map["levels"]) == 5


def test_a_small_board_opens_every_group_and_carries_every_cell(session, legs):
    set_states(legs, T02="ready", X0201="ready")

    board = snapshot(session.conference_id)

    assert board["map"]["open"] == [0, 1]
    assert len(board["cells"]) == len(legs)


def test_a_large_board_carries_the_cells_of_the_groups_that_start_open_only(
    session, legs, monkeypatch
):
    # Six sites stand for 3,356: beyond three the groups start closed.
    monkeypatch.setattr(readiness_board, "COLLAPSE_ABOVE", 3)
    set_states(legs, T01="ready", X0101="ready", X0102="ready", T02="ready", X0201="problem")
    set_states(legs, X0202="ready")

    board = snapshot(session.conference_id)

    # The host's group (T01) and the one with a problem (T02) start open: all their cells.
    assert board["map"]["open"] == [0, 1]
    assert len(board["cells"]) == 6

    monkeypatch.setattr(readiness_board, "OPEN_READY_CELLS", 1)
    board = snapshot(session.conference_id)

    # T02's two ready sites are beyond the budget: T02 stays closed, its problem with it
    # (the problem filter asks for it); the map still counts it.
    assert board["map"]["open"] == [0]
    assert [cell["site"] for cell in board["cells"]] == ["T01", "X0101", "X0102"]
    assert [leg["state"] for leg in decode_map(board["map"])].count("problem") == 1


def test_a_large_board_nobody_reported_carries_the_hosts_group_and_counts_every_site(
    session, legs, monkeypatch
):
    """The opening of a national session's window: every site pending. The cells of the
    closed groups are not sent (3,356 of them would be over the page's budget), the map
    holds every site's state."""
    monkeypatch.setattr(readiness_board, "COLLAPSE_ABOVE", 3)

    board = snapshot(session.conference_id)

    assert board["map"]["open"] == [0]
    assert [cell["site"] for cell in board["cells"]] == ["T01", "X0101", "X0102"]
    assert [(leg["group"], leg["state"]) for leg in decode_map(board["map"])] == [
        ("T01", "pending")
    ] * 3 + [("T02", "pending")] * 3


def test_a_board_without_a_problem_starts_with_the_hosts_group_only(session, legs, monkeypatch):
    monkeypatch.setattr(readiness_board, "COLLAPSE_ABOVE", 3)
    set_states(legs, T01="ready", X0101="ready", X0102="ready", T02="ready", X0201="ready")
    set_states(legs, X0202="checking")

    board = snapshot(session.conference_id)

    assert board["map"]["open"] == [0]
    assert [cell["site"] for cell in board["cells"]] == ["T01", "X0101", "X0102"]


# -- Cells on demand: a group, some legs, a search ----------------------------------------------


def test_a_groups_cells_are_all_its_sites_in_tree_order(session, legs):
    cells = group_cells(session.conference_id, "T02")

    assert [cell["site"] for cell in cells] == ["T02", "X0201", "X0202"]
    assert group_cells(session.conference_id, "T09") == []


def test_the_cells_in_some_states_are_all_those_sites_in_tree_order(session, legs):
    set_states(legs, T01="ready", X0101="problem", X0202="disconnected", T02="checking")

    def sites(*states):
        return [cell["site"] for cell in state_cells(session.conference_id, list(states))]

    assert sites("pending") == ["X0102", "X0201"]
    assert sites("problem", "disconnected") == ["X0101", "X0202"]
    assert sites("connected") == []


def test_the_central_group_holds_the_sites_outside_any_province(readiness_sites, alice):
    meeting = open_session(alice, sites=("TW", "T01", "X0101"), host_code="TW")

    assert [cell["site"] for cell in group_cells(meeting.conference_id, "central")] == ["TW"]


def test_cells_on_demand_stay_within_the_part(session, legs):
    part = BoardPart(within=Endpoint.objects.get(code="T02").path)

    assert group_cells(session.conference_id, "T01", part) == []
    assert [c["site"] for c in leg_cells(session.conference_id, list(legs.values()), part)] == [
        "T02",
        "X0201",
        "X0202",
    ]
    assert found_cells(session.conference_id, "Điểm cầu X01", part) == ([], False)
    assert [c["site"] for c in state_cells(session.conference_id, ["pending"], part)] == [
        "T02",
        "X0201",
        "X0202",
    ]


def test_legs_of_another_session_are_not_among_its_cells(session, legs, alice):
    other = open_session(
        alice,
        sites=("T01",),
        starts_in=timedelta(days=2),
        bridge_id=session.conference.bridge_id,
    )
    stranger = other.conference.legs.get().pk

    assert leg_cells(session.conference_id, [stranger, legs["X0101"]]) == [
        leg_cells(session.conference_id, [legs["X0101"]])[0]
    ]


def test_the_search_ignores_diacritics_and_case(session, legs):
    for code, name in (("T01", "Thành phố Hà Nội"), ("X0201", "Phường Đà Nẵng")):
        endpoint = Endpoint.objects.get(code=code)
        endpoint.name = name
        endpoint.save()  # its search key too

    def sites(query):
        cells, more = found_cells(session.conference_id, query)
        return [cell["site"] for cell in cells], more

    assert sites("ha noi") == (["T01"], False)
    assert sites("HÀ NỘI") == (["T01"], False)
    assert sites("da nang") == (["X0201"], False)
    assert sites("x02") == (["X0201", "X0202"], False)
    assert sites("không có") == ([], False)


def test_the_search_answers_at_most_its_bound_and_says_there_are_more(session, legs, monkeypatch):
    monkeypatch.setattr(readiness_board, "MAX_FOUND", 2)

    cells, more = found_cells(session.conference_id, "điểm cầu")

    assert ([cell["site"] for cell in cells], more) == (["T01", "X0101"], True)


@pytest.mark.parametrize("sites", [1, 3])
def test_cells_on_demand_take_a_bounded_number_of_queries(
    readiness_sites, alice, django_assert_num_queries, sites
):
    codes = ("T01", "X0101", "X0102")[:sites]
    meeting = open_session(alice, sites=codes, host_code="T01", bridge_id=BridgeFactory().pk)
    ids = list(meeting.conference.legs.values_list("pk", flat=True))

    with django_assert_num_queries(3):
        assert len(group_cells(meeting.conference_id, "T01")) == sites
    with django_assert_num_queries(1):
        assert len(leg_cells(meeting.conference_id, ids)) == sites
    with django_assert_num_queries(1):
        assert len(found_cells(meeting.conference_id, "điểm")[0]) == sites
    with django_assert_num_queries(1):
        assert len(state_cells(meeting.conference_id, ["pending"])) == sites


# -- Changes since a sequence number -------------------------------------------------------------


def test_changes_since_carry_every_cell_changed_after_it(session, legs, bob, dung):
    submit_report(Report(legs["T01"], "checking"), bob)  # 1
    submit_report(Report(legs["X0101"], "checking"), bob)  # 2
    submit_report(Report(legs["X0102"], "checking"), dung)  # 3
    submit_report(Report(legs["T01"], "ready", ALL_OK), bob)  # 4

    since_two = changes_since(session.conference_id, 2)

    assert (since_two["since"], since_two["seq"]) == (2, 4)
    assert sorted((c["leg"], c["state"], c["seq"]) for c in since_two["cells"]) == sorted(
        [(legs["X0102"], "checking", 3), (legs["T01"], "ready", 4)]
    )
    # The protocol's cell, and the site's path for the feed to tell board parts apart
    # (readiness_feed takes it out before sending).
    assert set(since_two["cells"][0]) == {
        "leg",
        "state",
        "seq",
        "at",
        "people",
        "note",
        "checklist",
        "override",
        "path",
    }


def test_changes_since_the_current_sequence_are_empty(session, legs, bob):
    submit_report(Report(legs["T01"], "checking"), bob)

    assert changes_since(session.conference_id, 1) == {"since": 1, "seq": 1, "cells": []}


def test_changes_since_zero_after_no_report_are_empty(session):
    assert changes_since(session.conference_id, 0) == {"since": 0, "seq": 0, "cells": []}


@pytest.mark.parametrize("changed", [1, 3])
def test_changes_since_take_two_queries_whatever_the_number_of_cells(
    session, legs, bob, dung, django_assert_num_queries, changed
):
    reports = [(legs["T01"], bob), (legs["X0101"], bob), (legs["X0102"], dung)][:changed]
    for leg, user in reports:
        submit_report(Report(leg, "checking"), user)

    with django_assert_num_queries(2):
        delta = changes_since(session.conference_id, 0)

    assert len(delta["cells"]) == changed


def test_changes_of_another_conference_are_not_included(session, legs, alice, bob):
    serve(bob, "TW")
    other = open_session(
        alice, sites=("TW",), host_code="TW", bridge_id=session.conference.bridge_id
    )
    submit_report(Report(other.conference.legs.get().pk, "checking"), bob)

    assert changes_since(session.conference_id, 0) == {"since": 0, "seq": 0, "cells": []}


# -- Messages small enough to send ---------------------------------------------------------------


def cells_with_seqs(*seqs: int) -> list[dict]:
    return [{"leg": 100 + seq, "seq": seq} for seq in seqs]


def test_pages_cut_a_snapshot_into_messages_of_at_most_the_page_size():
    cells = cells_with_seqs(*range(1, 11))

    assert [len(page) for page in pages(cells, size=4)] == [4, 4, 2]
    assert pages([], size=4) == [[]]


def test_a_long_delta_becomes_a_chain_of_deltas_in_sequence_order():
    cells = cells_with_seqs(9, 3, 7, 12, 5)

    parts = delta_pages(2, 15, cells, size=2)

    assert [(part["since"], part["seq"], [c["seq"] for c in part["cells"]]) for part in parts] == [
        (2, 5, [3, 5]),
        (5, 9, [7, 9]),
        (9, 15, [12]),
    ]


def test_a_short_delta_stays_one_message_up_to_the_boards_sequence():
    assert delta_pages(2, 15, cells_with_seqs(9), size=2) == [
        {"since": 2, "seq": 15, "cells": cells_with_seqs(9)}
    ]


def test_a_page_of_the_longest_cells_fits_in_one_websocket_message(session, legs, bob):
    """Daphne refuses to send a message over 1 MiB: a page of cells with the longest note,
    override reason and site name, in three-byte Vietnamese letters, stays under it."""
    letter = "ệ"  # three bytes in UTF-8, sent as such (ensure_ascii=False)
    Endpoint.objects.filter(code="T01").update(
        name=letter * Endpoint._meta.get_field("name").max_length
    )
    submit_report(Report(legs["T01"], "checking"), bob)
    submit_report(
        Report(
            legs["T01"],
            "ready",
            {**dict.fromkeys(CHECK_ITEMS, True), "video": False},
            MAX_PEOPLE,
            letter * MAX_NOTE_LENGTH,
            override_reason=letter * MAX_OVERRIDE_LENGTH,
        ),
        bob,
    )
    (longest,) = [
        cell for cell in snapshot(session.conference_id)["cells"] if cell["site"] == "T01"
    ]

    page = {"seq": 10**12, "part": 99, "parts": 99, "cells": [longest] * PAGE_CELLS}
    message = json.dumps(
        {"type": "snapshot", "in_response": None, "content": page}, ensure_ascii=False
    )

    assert len(longest["override"]) == MAX_OVERRIDE_LENGTH
    assert len(message.encode()) < 1024 * 1024
