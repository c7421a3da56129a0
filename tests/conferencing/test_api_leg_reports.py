"""POST /api/v1/legs/{leg_id}/reports/: a site's readiness report from a machine, through
the same domain function as the socket and the console (conferencing.readiness).

The `session` fixture (conftest) has its setup window open: T01 hosts T02 and four
communes; bob serves T01 and X0101, dung X0102; alice is the secretariat.
"""

import pytest
from django.utils import timezone

from conferencing.models import Leg, ReadinessEvent
from conferencing.readiness import CHECK_ITEMS
from people import api_tokens
from people.models import TokenScope
from tests.factories import end_now
from tests.problems import field_errors, members

ALL_OK = dict.fromkeys(CHECK_ITEMS, True)


def url_of(leg_id: int) -> str:
    return f"/api/v1/legs/{leg_id}/reports/"


def events(leg_id: int) -> int:
    return ReadinessEvent.objects.filter(leg_id=leg_id).count()


def test_a_technician_reports_and_gets_the_event(api_as, bob, legs):
    response = api_as(bob).post(
        url_of(legs["T01"]),
        {"state": "checking", "checklist": {"audio": True}, "people_present": 12, "note": "ok"},
    )

    assert response.status_code == 201
    event = ReadinessEvent.objects.get(leg_id=legs["T01"])
    assert response.json() == {
        "id": event.pk,
        "leg": legs["T01"],
        "seq": event.seq,
        "at": timezone.localtime(event.at).isoformat(),
        "from_state": "pending",
        "to_state": "checking",
        "checklist": {"audio": True},
        "people_present": 12,
        "note": "ok",
        "override_reason": "",
        "client_id": "",
        "replayed": False,
    }
    assert Leg.objects.get(pk=legs["T01"]).state == "checking"


def test_the_same_client_id_again_answers_the_first_report(api_as, bob, legs):
    body = {"state": "checking", "client_id": "phone-1-42"}
    first = api_as(bob).post(url_of(legs["T01"]), body)

    again = api_as(bob).post(url_of(legs["T01"]), body)

    assert (again.status_code, again.json()["id"], again.json()["replayed"]) == (
        200,
        first.json()["id"],
        True,
    )
    assert events(legs["T01"]) == 1


def test_an_idempotency_key_replays_the_report_and_refuses_another_body(api_as, bob, legs):
    client = api_as(bob)
    body = {"state": "checking", "note": "mic ok"}
    first = client.post(url_of(legs["T01"]), body, HTTP_IDEMPOTENCY_KEY="report-7")

    again = client.post(url_of(legs["T01"]), body, HTTP_IDEMPOTENCY_KEY="report-7")
    other = client.post(
        url_of(legs["T01"]), {"state": "problem", "note": "no"}, HTTP_IDEMPOTENCY_KEY="report-7"
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert events(legs["T01"]) == 1
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_ready_with_a_check_not_ok_is_400_naming_it(api_as, bob, legs):
    api_as(bob).post(url_of(legs["T01"]), {"state": "checking"})

    response = api_as(bob).post(
        url_of(legs["T01"]), {"state": "ready", "checklist": {**ALL_OK, "video": False}}
    )

    assert response.status_code == 400
    assert field_errors(response) == {
        "checklist": [
            "Not ready: Video not checked ok. Check them, report a problem, or give the "
            "reason the site is ready nonetheless."
        ]
    }
    assert events(legs["T01"]) == 1


def test_ready_with_a_reason_is_accepted(api_as, bob, legs):
    api_as(bob).post(url_of(legs["T01"]), {"state": "checking"})

    response = api_as(bob).post(
        url_of(legs["T01"]),
        {
            "state": "ready",
            "checklist": {**ALL_OK, "video": False},
            "override_reason": "Camera dự phòng",
        },
    )

    assert response.status_code == 201
    assert response.json()["override_reason"] == "Camera dự phòng"


def test_an_invalid_report_is_400_with_every_field_error(api_as, bob, legs):
    response = api_as(bob).post(
        url_of(legs["T01"]),
        {
            "state": "pending",
            "checklist": {"audio": "perhaps"},
            "people_present": -1,
            "note": "x" * 501,
        },
    )

    assert response.status_code == 400
    assert {field.split(".")[0] for field in field_errors(response)} == {
        "state",
        "checklist",
        "people_present",
        "note",
    }
    assert events(legs["T01"]) == 0


def test_an_illegal_transition_is_409(api_as, bob, legs):
    response = api_as(bob).post(url_of(legs["T01"]), {"state": "ready", "checklist": ALL_OK})

    assert response.status_code == 409
    assert response.json()["detail"] == "A site cannot go from “Not reported” to “Ready”."


def test_a_report_after_the_session_is_409(api_as, bob, session, legs):
    end_now(session)

    response = api_as(bob).post(url_of(legs["T01"]), {"state": "checking"})

    assert response.status_code == 409
    assert events(legs["T01"]) == 0


def test_another_sites_leg_answers_as_a_missing_one(api_as, dung, legs):
    refused = api_as(dung).post(url_of(legs["T01"]), {"state": "checking"})
    missing = api_as(dung).post(url_of(999_999), {"state": "checking"})

    assert (refused.status_code, members(refused)) == (404, members(missing))
    assert events(legs["T01"]) == 0


def test_a_technicians_token_reports_and_a_read_only_one_is_refused(api, bob, legs):
    writer = api_tokens.create(bob, name="Máy trạm", scope=TokenScope.READ_WRITE).key
    reader = api_tokens.create(bob, name="Bảng", scope=TokenScope.READ).key

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {reader}")
    refused = api.post(url_of(legs["T01"]), {"state": "checking"})
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {writer}")
    accepted = api.post(url_of(legs["T01"]), {"state": "checking"})

    assert (refused.status_code, accepted.status_code) == (403, 201)


@pytest.mark.parametrize("persona", ["alice", "carol", "mallory"])
def test_other_roles_are_refused(api_as, legs, request, persona):
    response = api_as(request.getfixturevalue(persona)).post(
        url_of(legs["T01"]), {"state": "checking"}
    )

    assert response.status_code == 403
    assert events(legs["T01"]) == 0


def test_anonymous_is_401(api, legs):
    assert api.post(url_of(legs["T01"]), {"state": "checking"}).status_code == 401
