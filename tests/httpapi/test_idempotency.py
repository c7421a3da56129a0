"""Idempotency-Key (httpapi.idempotency), exercised on booking (POST /api/v1/meetings/):
a retry gets the first answer, a reused key is 422, a bad key 400, a refused request
keeps nothing, and a key expires after 24 hours."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from httpapi.idempotency import RETENTION, purge_expired
from httpapi.models import IdempotencyRecord
from httpapi.tasks import PURGE, purge_idempotency_keys_task
from meetings.models import Meeting
from people import api_tokens
from tests.httpapi.helpers import error_code, keys
from tests.meetings.api.helpers import LIST_URL, at, booking_body, iso

TOKENS = "/api/v1/tokens/"


def book(api, bridge, key="k-1", **changes):
    return api.post(LIST_URL, booking_body(bridge, **changes), HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_key_gets_the_first_answer_byte_for_byte(api_as, alice, tree, bridge):
    api = api_as(alice)
    first = book(api, bridge)

    again = book(api, bridge)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Location"] == first["Location"] == f"{LIST_URL}{Meeting.objects.get().pk}/"
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Meeting.objects.count() == 1


def test_the_body_is_compared_in_canonical_form(api_as, alice, tree, bridge):
    api = api_as(alice)
    body = booking_body(bridge)
    book(api, bridge)

    reordered = api.post(
        LIST_URL,
        json.dumps(dict(reversed(body.items())), indent=2),  # the same JSON, other order
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert reordered.status_code == 201
    assert reordered["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_422_and_runs_nothing(api_as, alice, tree, bridge):
    api = api_as(alice)
    book(api, bridge)

    reused = book(api, bridge, title="Họp khác")

    assert reused.status_code == 422
    assert error_code(reused) == "idempotency_key_reused"
    assert Meeting.objects.count() == 1


def test_the_same_key_on_another_path_is_422(api_as, alice, tree, bridge):
    api = api_as(alice)
    book(api, bridge)

    other = api.post(TOKENS, {"name": "Tích hợp"}, HTTP_IDEMPOTENCY_KEY="k-1")

    assert other.status_code == 422
    assert error_code(other) == "idempotency_key_reused"


def test_without_the_header_every_post_creates(api_as, alice, tree, bridge):
    api = api_as(alice)

    api.post(LIST_URL, booking_body(bridge))
    api.post(LIST_URL, booking_body(bridge, start=iso(at(4, 8)), end=iso(at(4, 10))))

    assert Meeting.objects.count() == 2
    assert keys() == []


@pytest.mark.parametrize("key", ["", "x" * 256, "khóa", "tab\there", "line\n"])
def test_a_key_that_is_not_1_to_255_printable_ascii_is_400(api_as, alice, tree, bridge, key):
    response = book(api_as(alice), bridge, key=key)

    assert response.status_code == 400
    assert error_code(response) == "idempotency_key_invalid"
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize("key", ["a", "x" * 255, "order 42/~!"])
def test_a_key_of_1_to_255_printable_ascii_is_taken(api_as, alice, tree, bridge, key):
    assert book(api_as(alice), bridge, key=key).status_code == 201


def test_a_refused_request_keeps_no_answer_so_the_fix_may_reuse_the_key(
    api_as, alice, tree, bridge
):
    api = api_as(alice)

    refused = book(api, bridge, title="")
    fixed = book(api, bridge)

    assert refused.status_code == 400
    assert fixed.status_code == 201
    assert "Idempotent-Replayed" not in fixed
    assert keys() == [("k-1", 201)]


def test_a_conflict_keeps_no_answer_either(api_as, alice, tree, bridge):
    api = api_as(alice)
    book(api, bridge, key="first")

    taken = book(api, bridge, key="second")

    assert taken.status_code == 409
    assert keys() == [("first", 201)]


def test_a_key_is_the_principals_own(api_as, alice, dave, tree, bridge):
    book(api_as(alice), bridge)
    api_as(dave)

    davids = book(api_as(dave), bridge, start=iso(at(4, 8)), end=iso(at(4, 10)))

    assert davids.status_code == 201
    assert "Idempotent-Replayed" not in davids
    assert Meeting.objects.count() == 2


def test_each_api_token_of_a_person_has_its_own_keys(api, alice):
    first = api_tokens.create(alice, name="Một", scope="read_write")
    second = api_tokens.create(alice, name="Hai", scope="read_write")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {first.key}")
    made = api.post(TOKENS, {"name": "Ba", "scope": "read"}, HTTP_IDEMPOTENCY_KEY="k-1")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {second.key}")

    other = api.post(TOKENS, {"name": "Ba", "scope": "read"}, HTTP_IDEMPOTENCY_KEY="k-1")

    assert (made.status_code, other.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in other
    assert other.json()["token"] != made.json()["token"]
    assert sorted(IdempotencyRecord.objects.values_list("token_id", flat=True)) == sorted(
        [first.token.pk, second.token.pk]
    )


def test_a_key_is_new_again_after_24_hours(api_as, alice, tree, bridge):
    api = api_as(alice)
    book(api, bridge)
    IdempotencyRecord.objects.update(created_at=timezone.now() - RETENTION - timedelta(seconds=1))

    later = book(api, bridge, title="Họp khác", start=iso(at(4, 8)), end=iso(at(4, 10)))

    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later
    assert Meeting.objects.count() == 2


def test_the_purge_removes_keys_older_than_24_hours(alice, db):
    now = timezone.now()
    for key, age in [("old", RETENTION + timedelta(minutes=1)), ("young", timedelta(hours=23))]:
        IdempotencyRecord.objects.create(
            user_id=alice.pk, key=key, method="POST", path="/", request_sha256="0" * 64,
            created_at=now - age,
        )  # fmt: skip

    assert purge_expired(now) == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["young"]


def test_the_purge_command_removes_expired_keys(alice, db):
    IdempotencyRecord.objects.create(
        user_id=alice.pk, key="old", method="POST", path="/", request_sha256="0" * 64,
        created_at=timezone.now() - RETENTION - timedelta(minutes=1),
    )  # fmt: skip

    call_command("purge_idempotency_keys")

    assert IdempotencyRecord.objects.count() == 0


def test_a_series_answers_the_location_of_its_first_occurrence(api_as, alice, tree, bridge):
    response = book(api_as(alice), bridge, rrule="FREQ=WEEKLY;COUNT=3")

    first = min(occurrence["id"] for occurrence in response.json()["booked"])
    assert response.status_code == 201
    assert response["Location"] == f"{LIST_URL}{first}/"
    assert book(api_as(alice), bridge, rrule="FREQ=WEEKLY;COUNT=3").content == response.content
    assert Meeting.objects.count() == 3


def test_the_purge_is_scheduled_once(db):
    call_command("purge_idempotency_keys", "--schedule")
    call_command("purge_idempotency_keys", "--schedule")

    assert PURGE.waiting()
    assert (
        DBTaskResult.objects.filter(task_path=purge_idempotency_keys_task.module_path).count() == 1
    )
