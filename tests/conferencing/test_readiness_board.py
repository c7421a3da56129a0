"""What a readiness board may show and to whom (conferencing.readiness_board)."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.roles import Role
from conferencing import watch_policy
from conferencing.instants import iso
from conferencing.models import Endpoint
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
    delta_pages,
    pages,
    snapshot,
)
from conferencing.watch_policy import may_watch
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
        "override": "",
        "site": "T01",
        "name": "Điểm cầu T01",
        "level": "province",
        "province": "T01",
        "province_name": "Điểm cầu T01",
        "host": True,
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

    cells = snapshot(meeting.conference_id)["cells"]

    assert [
        (c["site"], c["level"], c["province"], c["province_name"], c["host"]) for c in cells
    ] == [
        ("TW", "central", None, None, True),
        ("X0201", "commune", "T02", "Điểm cầu T02", False),
    ]


@pytest.mark.parametrize("sites", [1, 3])
def test_snapshot_takes_three_queries_whatever_the_number_of_sites(
    readiness_sites, alice, django_assert_num_queries, sites
):
    codes = ("T01", "X0101", "X0102")[:sites]
    meeting = open_session(alice, sites=codes, host_code="T01", bridge_id=BridgeFactory().pk)

    with django_assert_num_queries(3):
        board = snapshot(meeting.conference_id)

    assert len(board["cells"]) == sites


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
