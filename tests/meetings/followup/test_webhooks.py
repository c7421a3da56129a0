"""Webhook events of task steps: the assigned and the assigning offices' subscriptions
hear of them, the other province's does not; nothing for a step rolled back."""

from datetime import timedelta

import pytest

from integrations import signing
from integrations.models import EventType, WebhookDelivery, WebhookSubscription
from meetings.followup import actions
from meetings.followup.transitions import WrongState


def subscribe(office) -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        office=office,
        url="http://127.0.0.1:9/hooks",
        secret=signing.new_secret(),
        events=list(EventType.values),
    )


@pytest.fixture
def subscriptions(task, hanoi, other, alice):
    return {
        "hanoi": subscribe(hanoi),
        "other": subscribe(other),
        "centre": subscribe(alice.offices.get()),
    }


def delivered(subscription) -> list[str]:
    return list(
        WebhookDelivery.objects.filter(subscription=subscription)
        .order_by("pk")
        .values_list("event_type", flat=True)
    )


def test_each_step_is_an_event_for_both_offices(
    task, hana, alice, subscriptions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_extension(
            hana, task, new_deadline=task.deadline_on + timedelta(days=3), reason="Chờ"
        )
        actions.decide_extension(alice, task, grant=True)
        actions.report_progress(hana, task, percent=50)
        actions.report_completion(hana, task)
        actions.decide_completion(alice, task, accept=False, reason="Thiếu")
        actions.report_completion(hana, task)
        actions.decide_completion(alice, task, accept=True)

    expected = [
        "task.extension_requested",
        "task.extension_decided",
        "task.reported",
        "task.reported",
        "task.sent_back",
        "task.reported",
        "task.completed",
    ]
    assert delivered(subscriptions["hanoi"]) == expected
    assert delivered(subscriptions["centre"]) == expected
    assert delivered(subscriptions["other"]) == []
    last = WebhookDelivery.objects.filter(subscription=subscriptions["hanoi"]).last().payload
    assert last["data"]["task"]["state"] == "done"
    assert last["data"]["step"]["kind"] == "accepted"
    assert last["data"]["task"]["office"] == "VP-HN"


def test_a_refused_step_sends_nothing(
    task, alice, subscriptions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WrongState):
        actions.decide_completion(alice, task, accept=True)

    assert WebhookDelivery.objects.count() == 0
