"""Where events come from: each source, once committed, makes a delivery for a subscription
that hears of it (the sending itself is test_deliveries')."""

import pytest
from django.db import transaction

from conferencing.readiness import Report, submit_report
from integrations import signing
from integrations.models import EventType, WebhookDelivery, WebhookSubscription
from meetings.models import Classification
from meetings.records import archive
from meetings.records import signals as record_signals
from meetings.records.models import RecordKind, RecordStatus
from tests.factories import (
    DetailsFactory,
    RecordFactory,
    RecordVersionFactory,
    booked,
    open_session,
    serve,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def subscription(hanoi):
    return WebhookSubscription.objects.create(
        office=hanoi,
        url="http://127.0.0.1:9/hooks",
        secret=signing.new_secret(),
        events=list(EventType.values),
    )


def sent(event_type: str) -> list[dict]:
    return [
        delivery.payload
        for delivery in WebhookDelivery.objects.filter(event_type=event_type).order_by("pk")
    ]


def test_a_readiness_report_makes_a_delivery_due_a_second_later(hana, bob, bridge, subscription):
    serve(bob, "T01")
    meeting = open_session(hana, bridge_id=bridge.pk)
    leg = meeting.conference.legs.get()

    submit_report(Report(leg.pk, "checking"), bob)

    (delivery,) = WebhookDelivery.objects.filter(event_type=EventType.READINESS_CHANGED)
    assert delivery.payload["data"]["states"] == {"checking": 1}
    assert (delivery.next_attempt_at - delivery.created_at).total_seconds() == pytest.approx(
        1, abs=0.2
    )


def test_a_verified_recording_is_an_event_with_its_checksum(hana, bridge, subscription):
    meeting = booked(hana, bridge_id=bridge.pk)
    record = RecordFactory(meeting=meeting, kind=RecordKind.RECORDING, title="Ghi hình")
    version = RecordVersionFactory(record=record, status=RecordStatus.VERIFYING, sha256="")

    archive.mark_verified(version, sha256="a" * 64, content_type="video/mp4")

    (payload,) = sent(EventType.RECORDING_VERIFIED)
    assert payload["data"]["record"]["sha256"] == "a" * 64
    assert payload["data"]["record"]["title"] == "Ghi hình"


def test_published_minutes_of_a_confidential_session_keep_its_title_hidden(
    hana, bridge, subscription
):
    meeting = booked(
        hana,
        bridge_id=bridge.pk,
        details=DetailsFactory(title="Phiên mật", classification=Classification.CONFIDENTIAL),
    )
    record = RecordFactory(meeting=meeting, kind=RecordKind.MINUTES, title="Biên bản mật")
    version = RecordVersionFactory(record=record, status=RecordStatus.PUBLISHED)

    with transaction.atomic():
        record_signals.announce(record_signals.minutes_published, version.pk)

    (payload,) = sent(EventType.MINUTES_PUBLISHED)
    assert payload["data"]["meeting"]["details_visible"] is False
    assert "title" not in payload["data"]["record"]
    assert "Biên bản mật" not in str(payload)


def test_nothing_is_sent_for_a_change_rolled_back(hana, bridge, subscription):
    with pytest.raises(RuntimeError), transaction.atomic():
        booked(hana, bridge_id=bridge.pk)
        raise RuntimeError

    assert WebhookDelivery.objects.count() == 0
