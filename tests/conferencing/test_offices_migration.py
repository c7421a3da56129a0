"""The migration to offices (issue 13): a database migrated to the head before it, with
sites, bridges, secretariat staff and meetings, moves forward under one central office
whose jurisdiction is the root; nothing is lost. An empty database gets no office."""

import pytest
from django.apps import apps

from conferencing.models import Bridge, Office
from meetings.models import Meeting
from tests.historical import (
    bridge,
    counts,
    latest,
    meeting,
    meetings_rows,
    migrate,
    models_at,
    site_rows,
    user,
)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_OFFICES = [
    ("conferencing", "0005_readiness"),
    ("meetings", "0007_queued_tasks_follow_the_recut"),
]


def populated_database() -> dict[str, int]:
    """Two secretaries, a technician, an attendee, three sites, two bridges, three
    meetings and a row in every meetings table, written with the models of that time."""
    old = models_at(BEFORE_OFFICES)
    lan = user(old, "lan", "Secretariat")
    hung = user(old, "hung", "Secretariat", "Technician")
    user(old, "kythuat", "Technician")
    minh = user(old, "minh", "Attendee")
    sites = site_rows(old)
    national, spare = bridge(old, "MCU Quốc gia"), bridge(old, "MCU Dự phòng")
    first = meeting(old, lan, national, [sites["TW"], sites["T01"], sites["X0101"]])
    meeting(old, hung, spare, [sites["T01"]], days_ahead=8, classification="confidential")
    meeting(old, lan, national, [sites["X0101"]], days_ahead=9, status="cancelled")
    meetings_rows(old, lan, minh, first)
    return counts(old, "meetings", "conferencing", "auth")


def test_a_populated_database_migrates_to_one_central_office_with_nothing_lost():
    migrate(BEFORE_OFFICES)
    before = populated_database()

    migrate(latest())

    after = counts(apps, "meetings", "conferencing", "auth")
    assert 0 not in {table: rows for table, rows in before.items() if table != "auth_permission"}
    assert {table: after[table] for table in before} == before
    central = Office.objects.get()
    assert (central.code, central.name, central.jurisdiction.code) == (
        "VPCP",
        "Văn phòng Chính phủ",
        "TW",
    )
    assert central.is_central
    assert central.is_active
    assert sorted(central.members.values_list("username", flat=True)) == ["hung", "lan"]
    assert list(Bridge.objects.exclude(owner=central)) == []
    assert Bridge.objects.filter(shared_with__isnull=False).count() == 0
    assert Meeting.objects.filter(owner_office=central).count() == 3
    assert list(Meeting.objects.exclude(owner_office=central)) == []


def test_an_empty_database_migrates_without_an_office():
    migrate(BEFORE_OFFICES)

    migrate(latest())

    assert Office.objects.count() == 0
    assert Bridge.objects.count() == 0


def test_bridges_without_any_site_get_the_root_the_central_office_needs():
    migrate(BEFORE_OFFICES)
    old = models_at(BEFORE_OFFICES)
    bridge(old, "MCU Quốc gia")
    user(old, "lan", "Secretariat")

    migrate(latest())

    central = Office.objects.get()
    assert (central.jurisdiction.code, central.jurisdiction.path) == ("TW", "/TW/")
    assert list(Bridge.objects.values_list("owner__code", flat=True)) == ["VPCP"]
    assert list(central.members.values_list("username", flat=True)) == ["lan"]
