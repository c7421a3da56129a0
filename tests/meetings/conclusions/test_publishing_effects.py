"""What publishing sets off once committed: one e-mail per secretariat member of the
offices that took part (the real task worker), and the webhook "conclusions.published";
nothing for a publishing rolled back."""

import pytest
from django.db import transaction

from integrations import signing
from integrations.models import EventType, WebhookDelivery, WebhookSubscription
from meetings.conclusions import workflow
from meetings.conclusions.models import ConclusionNotice
from tests.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed(drafted, alice, dung, hana, tam):
    return workflow.sign(workflow.approve(workflow.submit(drafted, alice), dung), dung)


@pytest.fixture
def subscription(hanoi):
    return WebhookSubscription.objects.create(
        office=hanoi,
        url="http://127.0.0.1:9/hooks",
        secret=signing.new_secret(),
        events=[EventType.CONCLUSIONS_PUBLISHED],
    )


def test_the_offices_that_took_part_are_emailed_once_each(signed, alice, mailoutbox):
    notice = workflow.publish(signed, alice)

    run_worker()

    # VPCP (alice, dung) owns it, Hà Nội (hana) took part; T03 (tam) did not.
    assert sorted(message.to[0] for message in mailoutbox) == [
        "alice@example.vn",
        "dung@example.vn",
        "hana@example.vn",
    ]
    message = mailoutbox[0]
    assert notice.number_symbol in message.subject
    assert f"/meetings/{notice.meeting_id}/conclusions/" in message.body


def test_the_webhook_carries_the_number_and_the_tasks(signed, alice, subscription):
    notice = workflow.publish(signed, alice)

    (delivery,) = WebhookDelivery.objects.filter(event_type=EventType.CONCLUSIONS_PUBLISHED)
    data = delivery.payload["data"]
    assert data["conclusions"]["number_symbol"] == notice.number_symbol
    assert [(task["item"], task["office"]) for task in data["conclusions"]["tasks"]] == [
        (2, "VP-HN"),
        (3, "VP-HN"),
        (3, "VP-T02"),
    ]


def test_a_publishing_rolled_back_sends_nothing(signed, alice, subscription, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.publish(signed, alice)
        raise RuntimeError

    run_worker()

    assert (mailoutbox, WebhookDelivery.objects.count()) == ([], 0)
    assert ConclusionNotice.objects.get().state == "signed"
