"""/api/v1/webhooks/: status, scope and what each operation answers. Rules are tested where
they live (test_deliveries, test_addresses); this tests the transport."""

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import AuditEntry
from integrations import signing
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.factories import UserFactory
from tests.problems import members

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hooks"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_hana(api, hana):
    api.force_authenticate(hana)
    return api


@pytest.fixture
def own(hanoi, hana):
    return WebhookSubscription.objects.create(
        office=hanoi, url=URL, secret=signing.new_secret(), events=["meeting.booked"]
    )


@pytest.fixture
def others(other):
    return WebhookSubscription.objects.create(
        office=other, url=URL, secret=signing.new_secret(), events=["meeting.booked"]
    )


def a_delivery(subscription, n=0, status=DeliveryStatus.FAILED):
    return WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=f"msg_{subscription.pk}_{n}",
        event_type="meeting.booked",
        payload={"type": "meeting.booked"},
        status=status,
    )


def test_create_answers_the_secret_once_and_records_an_audit_entry(as_hana, hanoi):
    response = as_hana.post(
        "/api/v1/webhooks/", {"url": URL, "events": ["meeting.booked"]}, format="json"
    )

    assert response.status_code == 201
    made = WebhookSubscription.objects.get()
    assert (made.office, made.events, response.json()["secret"]) == (
        hanoi,
        ["meeting.booked"],
        made.secret,
    )
    assert made.secret.startswith("whsec_")
    assert "secret" not in as_hana.get(f"/api/v1/webhooks/{made.pk}/").json()
    assert AuditEntry.objects.filter(action="webhook.created").count() == 1


def test_create_refuses_unknown_events(as_hana):
    response = as_hana.post(
        "/api/v1/webhooks/", {"url": URL, "events": ["meeting.eaten"]}, format="json"
    )

    assert response.status_code == 400
    assert "meeting.eaten" in response.content.decode()
    assert WebhookSubscription.objects.count() == 0


@override_settings(WEBHOOKS_ALLOW_HTTP=False)
def test_create_refuses_plain_http_when_not_allowed(as_hana):
    response = as_hana.post(
        "/api/v1/webhooks/", {"url": URL, "events": ["meeting.booked"]}, format="json"
    )

    assert response.status_code == 400
    assert WebhookSubscription.objects.count() == 0


@override_settings(WEBHOOKS_ALLOW_PRIVATE_NETWORKS=False)
def test_create_refuses_a_loopback_address_ssrf(as_hana):
    response = as_hana.post(
        "/api/v1/webhooks/", {"url": URL, "events": ["meeting.booked"]}, format="json"
    )

    assert response.status_code == 400
    assert "url" in str(response.content)


def test_list_shows_the_acting_offices_subscriptions_only(as_hana, own, others):
    response = as_hana.get("/api/v1/webhooks/")

    assert [row["id"] for row in response.json()] == [own.pk]


def test_another_offices_subscription_answers_as_a_missing_one(as_hana, others):
    seen = as_hana.get(f"/api/v1/webhooks/{others.pk}/")
    missing = as_hana.get("/api/v1/webhooks/999999/")

    assert (seen.status_code, members(seen)) == (missing.status_code, members(missing))
    assert seen.status_code == 404
    assert as_hana.delete(f"/api/v1/webhooks/{others.pk}/").status_code == 404
    assert WebhookSubscription.objects.filter(pk=others.pk).exists()


def test_a_technician_is_refused_and_an_anonymous_caller_must_sign_in(api, own):
    assert api.get("/api/v1/webhooks/").status_code == 401
    api.force_authenticate(UserFactory(roles=[Role.TECHNICIAN]))

    assert api.get("/api/v1/webhooks/").status_code == 403


def test_patch_changes_events_and_switching_on_again_resends_what_waits(as_hana, own):
    own.active = False
    own.failure_streak = 5
    own.save()
    a_delivery(own, status=DeliveryStatus.PENDING)

    response = as_hana.patch(
        f"/api/v1/webhooks/{own.pk}/",
        {"active": True, "events": ["meeting.cancelled", "meeting.booked"]},
        format="json",
    )

    assert response.status_code == 200
    own.refresh_from_db()
    assert (own.active, own.failure_streak, own.events) == (
        True,
        0,
        ["meeting.booked", "meeting.cancelled"],
    )


def test_patch_with_an_unknown_event_and_a_bad_url_is_400_naming_both_and_changes_nothing(
    as_hana, own
):
    response = as_hana.patch(
        f"/api/v1/webhooks/{own.pk}/",
        {"url": "not a url", "events": ["meeting.exploded"]},
        format="json",
    )

    assert (response.status_code, members(response)["code"]) == (400, "invalid")
    assert sorted(error["field"] for error in response.json()["errors"]) == ["events.0", "url"]
    own.refresh_from_db()
    assert (own.url, own.events) == (URL, ["meeting.booked"])


def test_rotate_answers_a_new_secret(as_hana, own):
    before = own.secret

    response = as_hana.post(f"/api/v1/webhooks/{own.pk}/rotate-secret/")

    own.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["secret"] == own.secret != before


def test_delete_removes_the_subscription(as_hana, own):
    assert as_hana.delete(f"/api/v1/webhooks/{own.pk}/").status_code == 204
    assert WebhookSubscription.objects.count() == 0


def test_deliveries_list_newest_first_with_their_last_answer(as_hana, own):
    first, second = a_delivery(own, 1), a_delivery(own, 2)
    WebhookDelivery.objects.filter(pk=second.pk).update(last_status_code=503)

    response = as_hana.get(f"/api/v1/webhooks/{own.pk}/deliveries/")

    rows = response.json()["results"]
    assert [(row["id"], row["last_status_code"]) for row in rows] == [
        (second.pk, 503),
        (first.pk, None),
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_deliveries_list_costs_the_same_queries_whatever_their_number(
    as_hana, own, count, django_assert_num_queries
):
    for n in range(count):
        a_delivery(own, n)

    # The user's roles, their offices, the subscription, the count, the page.
    with django_assert_num_queries(5):
        as_hana.get(f"/api/v1/webhooks/{own.pk}/deliveries/")


def test_redeliver_sends_the_same_event_again(as_hana, own, django_capture_on_commit_callbacks):
    delivery = a_delivery(own)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_hana.post(f"/api/v1/webhooks/{own.pk}/deliveries/{delivery.pk}/redeliver/")

    assert response.status_code == 202
    delivery.refresh_from_db()
    assert (delivery.status, response.json()["event_id"]) == ("pending", delivery.event_id)
    assert DBTaskResult.objects.filter(queue_name="webhooks").count() == 1


def test_redeliver_is_refused_while_the_subscription_is_off(as_hana, own):
    own.active = False
    own.save()
    delivery = a_delivery(own)

    response = as_hana.post(f"/api/v1/webhooks/{own.pk}/deliveries/{delivery.pk}/redeliver/")

    assert response.status_code == 409
    delivery.refresh_from_db()
    assert delivery.status == "failed"


def test_redeliver_of_another_subscriptions_delivery_answers_404(as_hana, own, others):
    delivery = a_delivery(others)

    response = as_hana.post(f"/api/v1/webhooks/{own.pk}/deliveries/{delivery.pk}/redeliver/")

    assert response.status_code == 404
