"""Two requests with one Idempotency-Key at once, each on its own database connection
(threads), on PostgreSQL: the first claims the key (a committed row) and runs; the
second, while the first still runs, is 409 `idempotency_key_in_use` and runs nothing;
once the first answered, the key replays its answer."""

import threading
import time

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from conferencing.models import Bridge
from httpapi.models import IdempotencyRecord
from meetings.models import Meeting
from tests.meetings.api.helpers import LIST_URL, booking_body

WAIT_S = 30
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite lets one connection write at a time, so the held "
        "bridge lock would hold back the key's claim too",
    ),
]


def post_in_thread(client: APIClient, body: dict, answers: dict, name: str) -> threading.Thread:
    def run():
        try:
            answers[name] = client.post(LIST_URL, body, HTTP_IDEMPOTENCY_KEY="together")
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def wait_for_the_claim() -> None:
    deadline = time.monotonic() + WAIT_S
    while not IdempotencyRecord.objects.filter(key="together").exists():
        assert time.monotonic() < deadline, "the first request never claimed its key"
        time.sleep(0.05)


def test_a_second_request_while_the_first_runs_is_409_then_the_answer_replays(alice, tree, bridge):
    body = booking_body(bridge)
    answers: dict = {}
    clients = [signed_in(alice), signed_in(alice)]  # sessions committed before the lock
    with transaction.atomic():
        # The booking locks its bridge first: holding that lock keeps the first request
        # running, its key claimed, for as long as the test needs.
        Bridge.objects.select_for_update().get(pk=bridge.pk)
        first = post_in_thread(clients[0], body, answers, "first")
        wait_for_the_claim()
        second = post_in_thread(clients[1], body, answers, "second")
        second.join(WAIT_S)
    first.join(WAIT_S)
    replay = signed_in(alice).post(LIST_URL, body, HTTP_IDEMPOTENCY_KEY="together")

    assert answers["second"].status_code == 409
    assert answers["second"].json()["code"] == "idempotency_key_in_use"
    assert answers["first"].status_code == 201
    assert (replay.status_code, replay.content) == (201, answers["first"].content)
    assert replay["Idempotent-Replayed"] == "true"
    assert Meeting.objects.count() == 1
