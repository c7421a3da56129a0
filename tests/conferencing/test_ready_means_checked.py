"""Ready means checked (issue 15): a report of `ready` with a check not ok is refused
unless the technician says why the site is ready nonetheless (conferencing.readiness).

The `session` fixture (conftest) has its setup window open; bob serves T01.
"""

import pytest
from django.utils import translation

from conferencing.models import Leg, ReadinessEvent
from conferencing.readiness import (
    CHECK_ITEMS,
    MAX_OVERRIDE_LENGTH,
    ReadinessRefused,
    Report,
    submit_report,
)
from conferencing.readiness_board import changes_since, snapshot

ALL_OK = dict.fromkeys(CHECK_ITEMS, True)
VIDEO_FAILED = {**ALL_OK, "video": False}
REASON = "Dùng camera dự phòng, đã thử hình tốt"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def checking(session, legs, bob) -> int:
    """T01's leg, checking."""
    submit_report(Report(legs["T01"], "checking"), bob)
    return legs["T01"]


def refusal(report: Report, user) -> tuple[str, str]:
    with pytest.raises(ReadinessRefused) as refused:
        submit_report(report, user)
    return refused.value.code, refused.value.message


def stored(leg: int) -> tuple[str, str, str]:
    """The leg's state and override reason, and its latest event's reason."""
    state, reason = Leg.objects.values_list("state", "override_reason").get(pk=leg)
    latest = ReadinessEvent.objects.filter(leg_id=leg).order_by("-seq").first()
    return state, reason, latest.override_reason


def test_ready_with_a_failed_check_is_refused_and_names_it(checking, bob):
    refused = refusal(Report(checking, "ready", VIDEO_FAILED), bob)

    assert refused == (
        "unchecked",
        "Not ready: Video not checked ok. Check them, report a problem, or give the reason "
        "the site is ready nonetheless.",
    )
    assert ReadinessEvent.objects.filter(leg_id=checking).count() == 1
    assert Leg.objects.get(pk=checking).state == "checking"


def test_a_check_left_out_is_not_ok(checking, bob):
    code, message = refusal(Report(checking, "ready", {"audio": True}), bob)

    assert code == "unchecked"
    assert message.startswith("Not ready: Video, Network, Display not checked ok.")


def test_the_refusal_is_in_the_language_of_the_request(checking, bob):
    with translation.override("vi"):
        _code, message = refusal(Report(checking, "ready", VIDEO_FAILED), bob)

    assert message.startswith("Chưa sẵn sàng: Hình ảnh chưa đạt.")


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_blank_reason_overrides_nothing(checking, bob, reason):
    code, _message = refusal(Report(checking, "ready", VIDEO_FAILED, override_reason=reason), bob)

    assert code == "unchecked"


def test_ready_with_every_check_ok_needs_no_reason(checking, bob):
    outcome = submit_report(Report(checking, "ready", ALL_OK), bob)

    assert (outcome.event.to_state, stored(checking)) == ("ready", ("ready", "", ""))


def test_a_reason_makes_ready_with_a_failed_check_accepted_and_is_stored_stripped(checking, bob):
    outcome = submit_report(
        Report(checking, "ready", VIDEO_FAILED, override_reason=f"  {REASON}\n"), bob
    )

    assert outcome.event.to_state == "ready"
    assert stored(checking) == ("ready", REASON, REASON)


def test_a_reason_of_the_longest_length_is_accepted_and_a_longer_one_refused(checking, bob):
    longest = "x" * MAX_OVERRIDE_LENGTH

    refused = refusal(Report(checking, "ready", VIDEO_FAILED, override_reason=longest + "y"), bob)
    submit_report(Report(checking, "ready", VIDEO_FAILED, override_reason=f" {longest} "), bob)

    assert refused == ("invalid", "The reason for ready is longer than 200 characters.")
    assert stored(checking) == ("ready", longest, longest)


def test_a_long_reason_on_a_report_that_is_not_ready_is_not_refused_but_dropped(checking, bob):
    too_long = "x" * (MAX_OVERRIDE_LENGTH + 1)

    submit_report(Report(checking, "problem", VIDEO_FAILED, override_reason=too_long), bob)

    assert stored(checking) == ("problem", "", "")


@pytest.mark.parametrize("leaving_to", ["checking", "problem"])
def test_leaving_ready_clears_the_legs_reason_and_the_log_keeps_it(checking, bob, leaving_to):
    submit_report(Report(checking, "ready", VIDEO_FAILED, override_reason=REASON), bob)

    submit_report(Report(checking, leaving_to, VIDEO_FAILED, override_reason=REASON), bob)

    assert stored(checking) == (leaving_to, "", "")
    assert list(
        ReadinessEvent.objects.filter(leg_id=checking)
        .order_by("seq")
        .values_list("to_state", "override_reason")
    ) == [("checking", ""), ("ready", REASON), (leaving_to, "")]


def test_a_reason_that_overrides_nothing_is_not_kept(checking, bob):
    submit_report(Report(checking, "ready", ALL_OK, override_reason=REASON), bob)

    assert stored(checking) == ("ready", "", "")


def test_the_board_shows_the_reason_in_snapshot_and_delta(session, checking, bob):
    submit_report(Report(checking, "ready", VIDEO_FAILED, override_reason=REASON), bob)

    (cell,) = [cell for cell in snapshot(session.conference_id)["cells"] if cell["leg"] == checking]
    (changed,) = changes_since(session.conference_id, 1)["cells"]

    assert (cell["override"], cell["checklist"]) == (REASON, VIDEO_FAILED)
    assert changed["override"] == REASON
