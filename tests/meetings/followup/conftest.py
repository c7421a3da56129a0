"""The follow-up world: sites TW → T01 (Hà Nội), T02; offices VPCP (alice, the centre),
VP-HN (hana) and VP-T02 (tung). The centre's session "national" has a published notice
whose item 1 is a task assigned to Hà Nội (`task`), deadline in ten days."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.conclusions.models import ConclusionItem, ConclusionNotice, NoticeState, Task
from tests.factories import UserFactory, booked, site_tree


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=1)


@pytest.fixture
def tung(other):
    return UserFactory(username="tung", roles=[Role.SECRETARIAT], offices=[other])


@pytest.fixture
def national(alice, sites):
    return booked(alice, sites=SiteSelection(sites=("TW", "T01", "T02")), host_code="TW")


def published_task(meeting, office, deadline_on: date, position: int = 1, text: str = "") -> Task:
    """A task of `meeting`'s published notice (made here, as publishing would)."""
    notice, _created = ConclusionNotice.objects.get_or_create(
        meeting=meeting,
        defaults={
            "state": NoticeState.PUBLISHED,
            "due_on": timezone.localdate(),
            "drafted_by": meeting.organiser,
            "published_at": timezone.now(),
            "number_symbol": f"{meeting.pk}/TB-VP",
        },
    )
    item, _created = ConclusionItem.objects.get_or_create(
        notice=notice,
        position=position,
        defaults={
            "text": text or f"Nhiệm vụ số {position}",
            "is_task": True,
            "deadline_on": deadline_on,
        },
    )
    item.offices.add(office)
    return Task.objects.create(item=item, office=office, deadline_on=deadline_on)


@pytest.fixture
def task(national, hanoi, hana, tung):
    return published_task(national, hanoi, timezone.localdate() + timedelta(days=10))
