"""Migrations conferencing 0010 and meetings 0011 carry a populated database forward:
sites and meetings become searchable, booked sessions keep their sites as single sites,
and minutes already waiting for approval were submitted by their uploader."""

import pytest

from accounts.folded_search import matching
from conferencing.models import Conference, Endpoint
from meetings.models import Meeting
from meetings.records.models import RecordVersion
from tests.historical import latest, meeting, migrate, models_at, site_rows, user

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("conferencing", "0009_token_offices_carried_to_people"),
    ("meetings", "0010_feed_tokens_act_for_an_office"),
]


def test_a_populated_database_is_carried_forward():
    migrate(BEFORE)
    apps = models_at(BEFORE)
    sites = site_rows(apps)
    Endpoint_then = apps.get_model("conferencing", "Endpoint")
    Endpoint_then.objects.filter(code="X0101").update(name="Phường Hoàn Kiếm")
    office = apps.get_model("conferencing", "Office").objects.create(
        code="VPCP", name="Văn phòng Chính phủ", jurisdiction=sites["TW"]
    )
    organiser = user(apps, "thuky")
    session = meeting(
        apps,
        organiser,
        apps.get_model("conferencing", "Bridge").objects.create(
            name="MCU Quốc gia", dial_in="sip:mcu@vc.example.vn", port_capacity=40, owner=office
        ),
        [sites["T01"], sites["X0101"], sites["TW"]],
        title="Giao ban Đà Nẵng",
        owner_office=office,
    )
    record = apps.get_model("meetings", "Record").objects.create(
        meeting=session, kind="minutes", title="Biên bản"
    )
    waiting = apps.get_model("meetings", "RecordVersion").objects.create(
        record=record,
        number=1,
        key="records/x/1",
        original_name="Biên bản.pdf",
        size=1,
        content_type="application/pdf",
        status="submitted",
        uploaded_by=organiser,
    )

    migrate(latest())

    assert set(matching(Endpoint.objects.all(), "hoan kiem").values_list("code", flat=True)) == {
        "X0101"
    }
    assert list(matching(Meeting.objects.all(), "da nang").values_list("pk", flat=True)) == [
        session.pk
    ]
    conference = Conference.objects.get(pk=session.conference_id)
    assert conference.site_selection == {"sites": ["TW", "T01", "X0101"]}
    version = RecordVersion.objects.get(pk=waiting.pk)
    assert version.submitted_by_id == organiser.pk
    assert version.submitted_at == version.uploaded_at


def test_an_empty_database_is_carried_forward():
    migrate(BEFORE)
    migrate(latest())
    assert not matching(Endpoint.objects.all(), "hoan kiem").exists()
    assert not Conference.objects.exists()
