"""A meeting's ETag (meetings.revisions, httpapi.preconditions): GET answers it and 304
for If-None-Match; reschedule, sites and cancel honour If-Match (412, nothing written,
when stale) and answer the new ETag."""

import pytest

from meetings.models import Meeting
from meetings.revisions import revision_tag
from tests.httpapi.helpers import error_code
from tests.meetings.api.helpers import LIST_URL, at, booked, iso, series_of_three, written

CHANGES = {
    "reschedule": {"start": iso(at(3, 14)), "end": iso(at(3, 16))},
    "sites": {"sites": {"subtrees": ["HCM"]}, "host": "HCM"},
    "cancel": {"reason": "Bão số 3"},
}


def etag(meeting: Meeting) -> str:
    return f'"{revision_tag(Meeting.objects.get(pk=meeting.pk))}"'


def test_a_session_answers_its_etag(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(alice).get(f"{LIST_URL}{meeting.pk}/")

    assert response.status_code == 200
    assert response["ETag"] == etag(meeting)
    assert response["ETag"].startswith('"0-')


def test_the_etag_it_holds_answers_304_without_a_body(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(alice).get(f"{LIST_URL}{meeting.pk}/", HTTP_IF_NONE_MATCH=etag(meeting))

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag(meeting)


@pytest.mark.parametrize("held", ['"0-0000000000000000"', 'W/"0-0000000000000000", "1-x"'])
def test_an_older_etag_gets_the_session(api_as, alice, tree, bridge, held):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(alice).get(f"{LIST_URL}{meeting.pk}/", HTTP_IF_NONE_MATCH=held)

    assert response.status_code == 200


def test_a_weak_etag_in_if_none_match_counts(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(alice).get(
        f"{LIST_URL}{meeting.pk}/", HTTP_IF_NONE_MATCH=f"W/{etag(meeting)}"
    )

    assert response.status_code == 304


def test_a_session_that_is_not_mine_is_404_whatever_the_etag(api_as, carol, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(carol).get(f"{LIST_URL}{meeting.pk}/", HTTP_IF_NONE_MATCH="*")

    assert response.status_code == 404


@pytest.mark.parametrize("action", CHANGES)
def test_a_change_with_the_current_etag_runs_and_answers_the_new_one(
    api_as, alice, tree, bridge, action
):
    meeting = booked(alice, bridge, at(2, 8))
    held = etag(meeting)

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/{action}/", CHANGES[action], HTTP_IF_MATCH=held
    )

    assert response.status_code == 200
    assert response["ETag"] == etag(meeting) != held
    assert response["ETag"].startswith('"1-')


@pytest.mark.parametrize("action", CHANGES)
def test_a_change_with_a_stale_etag_is_412_and_writes_nothing(api_as, alice, tree, bridge, action):
    meeting = booked(alice, bridge, at(2, 8))
    stale = etag(meeting)
    booked_again = api_as(alice).post(f"{LIST_URL}{meeting.pk}/reschedule/", CHANGES["reschedule"])
    assert booked_again.status_code == 200
    before = written()
    state = Meeting.objects.values().get(pk=meeting.pk)

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/{action}/", CHANGES[action], HTTP_IF_MATCH=stale
    )

    assert response.status_code == 412
    assert error_code(response) == "precondition_failed"
    assert written() == before
    assert Meeting.objects.values().get(pk=meeting.pk) == state


@pytest.mark.parametrize("header", ["*", None, '"9-stale", {current}'])
def test_a_change_runs_with_any_etag_or_none(api_as, alice, tree, bridge, header):
    meeting = booked(alice, bridge, at(2, 8))
    extra = {} if header is None else {"HTTP_IF_MATCH": header.format(current=etag(meeting))}

    response = api_as(alice).post(f"{LIST_URL}{meeting.pk}/cancel/", CHANGES["cancel"], **extra)

    assert response.status_code == 200


def test_a_weak_etag_never_matches_a_change(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/cancel/", CHANGES["cancel"], HTTP_IF_MATCH=f"W/{etag(meeting)}"
    )

    assert response.status_code == 412


def test_a_stale_etag_stops_the_following_occurrences_too(api_as, alice, tree, bridge):
    second = series_of_three(alice, bridge)[1]
    stale = etag(second)
    Meeting.objects.filter(pk=second.pk).update(sequence=5)
    before = written()

    response = api_as(alice).post(
        f"{LIST_URL}{second.pk}/cancel/",
        {"reason": "Nghỉ lễ", "scope": "following"},
        HTTP_IF_MATCH=stale,
    )

    assert response.status_code == 412
    assert written() == before
    assert (
        list(Meeting.objects.order_by("pk").values_list("status", flat=True)) == ["scheduled"] * 3
    )


def test_a_details_change_honours_if_match(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))
    stale = etag(meeting)
    api_as(alice).patch(f"{LIST_URL}{meeting.pk}/", {"title": "Giao ban quý I"})
    state = Meeting.objects.values().get(pk=meeting.pk)

    refused = api_as(alice).patch(
        f"{LIST_URL}{meeting.pk}/", {"title": "Giao ban quý II"}, HTTP_IF_MATCH=stale
    )
    changed = api_as(alice).patch(
        f"{LIST_URL}{meeting.pk}/", {"title": "Giao ban quý II"}, HTTP_IF_MATCH=etag(meeting)
    )

    assert refused.status_code == 412
    assert error_code(refused) == "precondition_failed"
    assert state["title"] == "Giao ban quý I"
    assert changed.status_code == 200
    assert changed["ETag"] == etag(meeting)
