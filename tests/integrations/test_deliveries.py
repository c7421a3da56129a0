"""Deliveries to a real receiver on loopback, sent by the real task worker after commit:
signed, retried with growing waits while the receiver is down or slow, delivered once it
is back, and the subscription switched off after persistent failure."""

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conferencing import readiness_signals
from integrations import signing
from integrations.models import DeliveryStatus, EventType, WebhookDelivery, WebhookSubscription
from meetings.booking import cancel
from meetings.models import Classification
from tests.factories import DetailsFactory, booked, local_time
from tests.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

ALL = list(EventType.values)


@pytest.fixture
def subscription(hanoi, hana, receiver):
    made = WebhookSubscription.objects.create(
        office=hanoi, url=receiver.url, secret=signing.new_secret(), events=ALL, created_by=hana
    )
    receiver.secret = made.secret
    return made


def book_in_hanoi(hana, bridge, **details):
    return booked(hana, bridge_id=bridge.pk, details=DetailsFactory(**details))


def make_due() -> None:
    """The waits are real (seconds to hours): the test moves every waiting attempt to now."""
    DBTaskResult.objects.filter(queue_name="webhooks", status="READY").update(
        run_after=timezone.now()
    )


def deliver_now() -> None:
    make_due()
    run_worker("webhooks")


def test_a_booking_is_delivered_signed_after_commit(hana, bridge, subscription, receiver):
    meeting = book_in_hanoi(hana, bridge, title="Giao ban tháng 12")

    run_worker("webhooks")

    (got,) = receiver.received
    body = json.loads(got.body)
    assert got.signed is True
    assert got.headers["webhook-id"].startswith("msg_")
    assert abs(int(got.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 30
    assert (body["type"], body["data"]["meeting"]["id"], body["data"]["meeting"]["title"]) == (
        "meeting.booked",
        meeting.pk,
        "Giao ban tháng 12",
    )
    assert body["data"]["meeting"]["sites"] == ["T01"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
        "",
    )
    assert len(delivery.last_response_body) == 1024


def test_a_cancellation_is_its_own_event(hana, bridge, subscription, receiver):
    meeting = book_in_hanoi(hana, bridge)

    cancel(meeting, "Hoãn", hana)
    run_worker("webhooks")

    types = [json.loads(got.body)["type"] for got in receiver.received]
    assert sorted(types) == ["meeting.booked", "meeting.cancelled"]


def test_a_confidential_session_reaches_the_office_as_busy_time_only(
    hana, bridge, subscription, receiver
):
    meeting = book_in_hanoi(
        hana, bridge, title="Phiên mật", classification=Classification.CONFIDENTIAL
    )

    run_worker("webhooks")

    data = json.loads(receiver.received[0].body)["data"]
    assert data["meeting"]["id"] == meeting.pk
    assert data["meeting"]["details_visible"] is False
    assert "title" not in data["meeting"] and "sites" not in data["meeting"]
    assert b"Phi\xc3\xaan m\xe1\xba\xadt" not in receiver.received[0].body


def test_another_office_hears_nothing_of_a_session_outside_its_jurisdiction(
    hana, bridge, other, receiver
):
    WebhookSubscription.objects.create(
        office=other, url=receiver.url, secret=signing.new_secret(), events=ALL
    )

    book_in_hanoi(hana, bridge)
    run_worker("webhooks")

    assert (receiver.received, WebhookDelivery.objects.count()) == ([], 0)


def test_receiver_down_then_back_retries_with_growing_waits_and_delivers(
    hana, bridge, subscription, receiver
):
    receiver.stop()
    book_in_hanoi(hana, bridge)

    waits = []
    for _ in range(3):
        before = timezone.now()
        deliver_now()
        delivery = WebhookDelivery.objects.get()
        waits.append((delivery.next_attempt_at - before).total_seconds())
    receiver.start()
    deliver_now()

    assert [round(wait, -1) for wait in waits] == [10, 30, 120]
    assert waits[0] >= 5
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.DELIVERED,
        4,
        "",
    )
    (got,) = receiver.received
    assert got.signed is True


@override_settings(WEBHOOKS_TIMEOUT_SECONDS=1)
def test_a_slow_receiver_is_a_failed_attempt_retried_later(hana, bridge, subscription, receiver):
    receiver.delay = 2
    book_in_hanoi(hana, bridge)

    run_worker("webhooks")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.PENDING,
        1,
        "timeout",
    )
    assert delivery.last_duration_ms < 1900
    receiver.delay = 0
    deliver_now()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_a_day_of_failures_fails_the_delivery_and_disables_after_a_streak(
    hana, bridge, subscription, receiver, mailoutbox, settings
):
    settings.WEBHOOKS_RETRY_SECONDS = [3600]
    settings.WEBHOOKS_RETRY_HOURS = 1
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 2
    receiver.status = 500
    book_in_hanoi(hana, bridge)
    booked(hana, bridge_id=bridge.pk, slot__start=local_time(9, 8))

    deliver_now()  # the next wait would end past the hour of retries: failed for good

    assert sorted(WebhookDelivery.objects.values_list("status", "attempts")) == [
        ("failed", 1),
        ("failed", 1),
    ]
    subscription.refresh_from_db()
    assert (subscription.active, subscription.failure_streak) == (False, 2)
    assert subscription.disabled_at is not None
    (mail,) = mailoutbox
    assert mail.to == ["hana@hanoi.gov.vn"]
    assert receiver.url in mail.subject
    assert subscription.disabled_reason in mail.body


def test_410_gone_disables_the_subscription_at_once(
    hana, bridge, subscription, receiver, mailoutbox
):
    receiver.status = 410
    book_in_hanoi(hana, bridge)

    run_worker("webhooks")

    subscription.refresh_from_db()
    assert (subscription.active, WebhookDelivery.objects.get().status) == (False, "failed")
    assert len(mailoutbox) == 1


def test_readiness_changes_within_a_second_travel_as_one_delivery(
    hana, bridge, subscription, receiver
):
    meeting = book_in_hanoi(hana, bridge)
    run_worker("webhooks")

    for seq in (1, 2, 3):
        readiness_signals.tell_listeners(meeting.conference_id, seq)
    deliver_now()

    readiness = [
        json.loads(got.body)
        for got in receiver.received
        if json.loads(got.body)["type"] == "readiness.changed"
    ]
    assert len(readiness) == 1
    assert readiness[0]["data"]["conference"] == meeting.conference_id
    assert readiness[0]["data"]["states"] == {"pending": 1}


def test_a_readiness_change_after_the_sending_makes_a_new_delivery(
    hana, bridge, subscription, receiver
):
    meeting = book_in_hanoi(hana, bridge)
    readiness_signals.tell_listeners(meeting.conference_id, 1)
    deliver_now()

    readiness_signals.tell_listeners(meeting.conference_id, 2)
    pending = WebhookDelivery.objects.filter(event_type="readiness.changed", status="pending")

    assert pending.count() == 1
    assert pending.get().next_attempt_at > timezone.now() + timedelta(milliseconds=500)


def test_an_address_turned_private_is_not_contacted_at_delivery(
    hana, bridge, subscription, receiver, settings
):
    book_in_hanoi(hana, bridge)
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False

    run_worker("webhooks")

    delivery = WebhookDelivery.objects.get()
    assert receiver.received == []
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, None)
    assert delivery.last_error == "URL webhook không được trỏ vào mạng nội bộ."
