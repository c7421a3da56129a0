"""Records follow the owning office (issue #13): only members of the office that owns a
session manage its records and minutes. The Hà Nội secretariat reading a national
session the centre booked (which includes a Hà Nội commune) downloads what is out,
like an attendee, and finds no upload, approval, return or hold: those answer 404,
exactly as for a session that does not exist.

alice: central secretariat (owner); hana: Hà Nội secretariat (VPUB-T01, jurisdiction T01).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.records.models import RecordKind, RecordStatus, RecordVersion
from meetings.records.views import records_section
from tests.factories import (
    BridgeFactory,
    OfficeFactory,
    RecordFactory,
    UserFactory,
    booked,
    end_now,
    local_time,
    site_tree,
    stored_version,
)
from tests.meetings.records.helpers import PDF, local_storage
from tests.meetings.refusals import MISSING, answer
from tests.problems import members


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    local_storage(settings, tmp_path)


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=1)


@pytest.fixture
def hana(sites):
    hanoi = OfficeFactory(code="VPUB-T01", name="Văn phòng UBND Hà Nội", jurisdiction=sites["T01"])
    return UserFactory(username="hana", roles=[Role.SECRETARIAT], offices=[hanoi])


@pytest.fixture
def national(alice, sites):
    return booked(
        alice,
        bridge_id=BridgeFactory(name="MCU Trung ương").pk,
        sites=SiteSelection(sites=("TW", "X0101", "X0201")),
        host_code="TW",
        slot__start=local_time(3, 8),
    )


@pytest.fixture
def versions(national, alice):
    """Published minutes with a newer submitted version, and a draft agenda."""
    minutes = RecordFactory(meeting=national, kind=RecordKind.MINUTES, title="Biên bản")
    published = stored_version(record=minutes, status=RecordStatus.PUBLISHED, uploaded_by=alice)
    submitted = stored_version(record=minutes, status=RecordStatus.SUBMITTED, uploaded_by=alice)
    return {"published": published, "submitted": submitted}


def page_url(name: str, meeting_id: int, **kwargs) -> str:
    return reverse(f"meetings:{name}", kwargs={"meeting_id": meeting_id, **kwargs})


def test_reading_office_sees_what_is_out_owner_sees_every_version(hana, alice, national, versions):
    (hana_row,) = records_section(hana, national, manage=False)["record_rows"]
    (alice_row,) = records_section(alice, national, manage=True)["record_rows"]

    assert [version.pk for version in hana_row.versions] == [versions["published"].pk]
    assert [version.pk for version in alice_row.versions] == [
        versions["submitted"].pk,
        versions["published"].pk,
    ]


def test_reading_office_downloads_published_minutes(client_as, hana, national, versions):
    client = client_as(hana)

    published = client.get(
        page_url("record-download", national.pk, version_id=versions["published"].pk)
    )
    submitted = client.get(
        page_url("record-download", national.pk, version_id=versions["submitted"].pk)
    )

    assert (published.status_code, submitted.status_code) == (200, 404)
    assert b"".join(published.streaming_content) == PDF


def test_reading_office_page_offers_no_record_management(client_as, hana, national, versions):
    response = client_as(hana).get(reverse("meetings:detail", args=[national.pk]))

    assert response.status_code == 200
    assert response.context["manage_records"] is False
    assert 'id="record-upload-form"' not in response.content.decode()


def test_owning_office_page_offers_record_management(client_as, alice, national, versions):
    response = client_as(alice).get(reverse("meetings:detail", args=[national.pk]))

    assert response.context["manage_records"] is True


@pytest.mark.parametrize(
    ("name", "kwargs", "data"),
    [
        ("record-upload", {}, {"kind": "agenda", "title": "Tài liệu"}),
        ("record-approve", {"version_id": "submitted"}, {}),
        ("record-submit", {"version_id": "submitted"}, {}),
        ("record-return", {"version_id": "submitted"}, {"comment": "Sửa"}),
        ("record-hold", {"record_id": "record"}, {"hold": "on"}),
    ],
)
def test_reading_office_cannot_manage_records_on_the_web(
    client_as, hana, national, versions, name, kwargs, data
):
    submitted = versions["submitted"]
    ids = {"submitted": submitted.pk, "record": submitted.record_id}
    resolved = {key: ids[value] for key, value in kwargs.items()}
    if name == "record-upload":
        data = {**data, "file": SimpleUploadedFile("a.pdf", PDF)}
    client = client_as(hana)

    refused = client.post(page_url(name, national.pk, **resolved), data)
    missing = client.post(page_url(name, MISSING, **resolved), data)

    assert answer(refused, national.pk) == answer(missing, MISSING)
    assert refused.status_code == 404
    assert RecordVersion.objects.get(pk=submitted.pk).status == RecordStatus.SUBMITTED
    assert RecordVersion.objects.count() == 2


def test_reading_office_api_lists_only_what_is_out(api_as, hana, national, versions):
    response = api_as(hana).get(f"/api/v1/meetings/{national.pk}/records/")

    assert response.status_code == 200
    assert [v["id"] for v in response.json()[0]["versions"]] == [versions["published"].pk]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/meetings/{meeting}/records/",
        "/api/v1/meetings/{meeting}/recording-uploads/",
        "/api/v1/meetings/{meeting}/document-uploads/",
        "/api/v1/record-versions/{submitted}/approve/",
        "/api/v1/record-versions/{submitted}/submit/",
        "/api/v1/record-versions/{submitted}/return/",
        "/api/v1/records/{record}/legal-hold/",
    ],
)
def test_reading_office_cannot_manage_records_in_the_api(api_as, hana, national, versions, path):
    submitted = versions["submitted"]
    client = api_as(hana)
    ids = {"meeting": national.pk, "submitted": submitted.pk, "record": submitted.record_id}

    refused = client.post(path.format(**ids), {}, format="json")
    missing = client.post(path.format(**dict.fromkeys(ids, MISSING)), {}, format="json")

    assert (refused.status_code, missing.status_code) == (404, 404)
    assert members(refused) == members(missing)
    assert RecordVersion.objects.get(pk=submitted.pk).status == RecordStatus.SUBMITTED


def test_owning_office_approves_in_the_api(api_as, alice, national, versions):
    end_now(national)
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])

    response = api_as(dung).post(f"/api/v1/record-versions/{versions['submitted'].pk}/approve/")

    assert response.status_code == 200
    assert response.json()["status"] == RecordStatus.PUBLISHED
