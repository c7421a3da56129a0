"""The meeting API's list filters, for each role, and their 400 answers."""

import pytest

from conferencing.models import Level
from meetings.models import AttendeeRole, Classification, MeetingStatus
from tests.factories import EndpointFactory
from tests.meetings.api.helpers import LIST_URL, at, booked, iso, listed_ids
from tests.problems import field_errors


@pytest.fixture
def schedule(alice, carol, tree, bridge):
    """A national session, a Hà Nội commune session, a cancelled one and a confidential one."""
    EndpointFactory(code="X", name="Xã khác", level=Level.COMMUNE, parent=tree["saigon"])
    national = booked(alice, bridge, at(2, 8), sites=("TW", "HN", "HCM"), host="TW")
    communes = booked(
        alice,
        bridge,
        at(3, 8),
        sites=("HN", "HN-01"),
        attendees=((carol.pk, AttendeeRole.MEMBER),),
    )
    cancelled = booked(alice, bridge, at(4, 8), sites=("HCM-01",), host="HCM-01")
    cancelled.status = MeetingStatus.CANCELLED
    cancelled.save()
    secret = booked(
        alice,
        bridge,
        at(5, 8),
        sites=("HN-02", "X"),
        host="HN-02",
        classification=Classification.CONFIDENTIAL,
    )
    return {"national": national, "communes": communes, "cancelled": cancelled, "secret": secret}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["national", "communes", "cancelled", "secret"]),
        ({"from": iso(at(3, 9))}, ["communes", "cancelled", "secret"]),
        ({"to": iso(at(3, 8))}, ["national"]),
        ({"from": iso(at(3, 0)), "to": iso(at(5, 0))}, ["communes", "cancelled"]),
        ({"level": "commune"}, ["communes", "cancelled", "secret"]),
        ({"level": "central"}, ["national"]),
        ({"province": "HN"}, ["national", "communes", "secret"]),
        ({"province": "HCM"}, ["national", "cancelled", "secret"]),
        ({"site": "HN-01"}, ["communes"]),
        ({"status": "cancelled"}, ["cancelled"]),
        ({"classification": "confidential"}, ["secret"]),
        ({"mine": "true"}, ["national", "communes", "cancelled", "secret"]),
    ],
)
def test_meeting_list_filters_for_the_secretariat(api_as, alice, schedule, filters, expected):
    response = api_as(alice).get(LIST_URL, filters)

    assert response.status_code == 200
    assert listed_ids(response) == [schedule[name].pk for name in expected]


@pytest.mark.parametrize(
    ("persona", "filters", "expected"),
    [
        ("carol", {}, ["communes"]),
        ("carol", {"mine": "true"}, ["communes"]),
        ("carol", {"province": "HCM"}, []),
        ("bob", {}, ["national", "communes", "secret"]),
        ("bob", {"mine": "true"}, ["national", "communes", "secret"]),
        ("bob", {"site": "HN-02"}, ["secret"]),
        # The confidential session's other site is none of bob's business.
        ("bob", {"site": "X"}, []),
        ("bob", {"province": "HCM"}, ["national"]),
        ("bob", {"level": "commune"}, ["communes", "secret"]),
    ],
)
def test_meeting_list_filters_for_technician_and_attendee(
    api_as, request, bob, schedule, persona, filters, expected
):
    bob_serves = schedule["secret"].conference.legs.get(endpoint__code="HN-02").endpoint
    bob_serves.technicians.add(bob)

    response = api_as(request.getfixturevalue(persona)).get(LIST_URL, filters)

    assert listed_ids(response) == [schedule[name].pk for name in expected]


@pytest.mark.parametrize(
    ("filters", "errors"),
    [
        ({"from": "2030-03-02T08:00:00"}, {"from": ["Give the time with its time zone offset."]}),
        ({"to": "yesterday"}, {"to": ["Datetime has wrong format."]}),
        (
            {"from": "2030-03-02T08:00:00+07:00", "to": "2030-03-02T08:00:00+07:00"},
            {"to": ["The end of the period must be after its start."]},
        ),
        ({"province": "NOPE"}, {"province": ["No site has the code NOPE."]}),
        ({"site": "NOPE"}, {"site": ["No site has the code NOPE."]}),
        ({"level": "galaxy"}, {"level": ['"galaxy" is not a valid choice.']}),
        ({"status": "lost"}, {"status": ['"lost" is not a valid choice.']}),
    ],
)
def test_meeting_list_bad_filter_is_400_with_the_field(api_as, alice, tree, filters, errors):
    response = api_as(alice).get(LIST_URL, filters)

    assert response.status_code == 400
    body = field_errors(response)
    # DRF's own message lists the accepted formats after the first sentence.
    assert {field: [m.split(" Use one")[0] for m in ms] for field, ms in body.items()} == errors
