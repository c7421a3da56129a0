"""The audit trail page (/audit/): the secretariat acting for an office and the
superuser read it, paginated, times as dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh; others
are refused by role (403), anonymous users sent to sign in."""

from datetime import UTC, datetime

import pytest

from audit import trail
from audit.models import AuditEntry
from tests.factories import UserFactory, central_office

URL = "/audit/"


@pytest.fixture
def office(db):
    return central_office()


def test_secretariat_reads_its_entries_in_local_time(client_as, alice, office):
    entry = trail.record(alice, "office.changed", office, {"name": "VPCP"})
    AuditEntry.objects.filter(pk=entry.pk).update(at=datetime(2026, 12, 6, 17, 30, tzinfo=UTC))

    response = client_as(alice).get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="entry-{entry.pk}"' in content
    assert "07/12/2026 00:30" in content
    assert "office.changed" in content


def test_the_trail_is_paginated(client_as, alice, office):
    for _ in range(51):
        trail.record(None, "office.changed", office)
    client = client_as(alice)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1


def test_the_superuser_reads_the_trail(client_as, db):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    trail.record_about(None, "auth.login_failed", "auth.user", "")

    response = client_as(root).get(URL)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_others_are_refused_by_role(request, client_as, persona):
    response = client_as(request.getfixturevalue(persona)).get(URL)

    assert response.status_code == 403


def test_anonymous_users_sign_in_first(client, db):
    response = client.get(URL)

    assert response.status_code == 302


@pytest.mark.parametrize("count", [1, 3])
def test_page_queries_do_not_grow_with_entries(
    client_as, alice, office, django_assert_num_queries, count
):
    for _ in range(count):
        trail.record(alice, "office.changed", office)
    client = client_as(alice)
    client.get(URL)

    # session, user, offices, roles (header), count, the page of entries with their actors
    with django_assert_num_queries(6):
        client.get(URL)
