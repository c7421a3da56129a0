"""OPTIONS on the upload endpoints (issue #11, defect 9): DRF's metadata describes PUT
by calling the view's get_object(), which asserted a queryset and answered 500."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from meetings.records.models import RecordingUpload, RecordKind, UploadMode
from tests.factories import UserFactory
from tests.meetings.records.helpers import local_storage, session

ENDPOINTS = [
    ("recording-upload-part", RecordKind.RECORDING, {"number": 1}),
    ("recording-upload", RecordKind.RECORDING, {}),
    ("recording-upload-sign", RecordKind.RECORDING, {}),
    ("recording-upload-complete", RecordKind.RECORDING, {}),
    ("document-upload-part", RecordKind.AGENDA, {"number": 1}),
    ("document-upload", RecordKind.AGENDA, {}),
    ("document-upload-sign", RecordKind.AGENDA, {}),
    ("document-upload-complete", RecordKind.AGENDA, {}),
]


def an_upload(owner, kind: str) -> RecordingUpload:
    return RecordingUpload.objects.create(
        meeting=session(owner),
        created_by=owner,
        kind=kind,
        title="Tài liệu",
        original_name="a.pdf",
        size=10,
        content_type="application/pdf",
        key=f"records/x/{kind}",
        mode=UploadMode.APP,
        part_size=10,
        part_count=1,
    )


@pytest.mark.parametrize(("name", "kind", "extra"), ENDPOINTS)
def test_upload_options_answers_200_for_the_owner(
    api_as, alice, settings, tmp_path, name, kind, extra
):
    local_storage(settings, tmp_path)
    upload = an_upload(alice, kind)

    response = api_as(alice).options(
        reverse(f"meetings-api:{name}", kwargs={"pk": upload.pk, **extra})
    )

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["bob", "mallory"])  # SecretariatOnly holds for OPTIONS
@pytest.mark.parametrize(("name", "kind", "extra"), ENDPOINTS)
def test_upload_options_is_refused_to_other_roles(
    api_as, alice, request, settings, tmp_path, persona, name, kind, extra
):
    local_storage(settings, tmp_path)
    upload = an_upload(alice, kind)
    other = api_as(request.getfixturevalue(persona))

    response = other.options(reverse(f"meetings-api:{name}", kwargs={"pk": upload.pk, **extra}))

    assert response.status_code == 403


def test_upload_options_someone_elses_upload_has_no_actions(api_as, alice, settings, tmp_path):

    local_storage(settings, tmp_path)
    lan = UserFactory(username="lan", roles=[Role.SECRETARIAT])
    upload = an_upload(alice, RecordKind.AGENDA)

    response = api_as(lan).options(
        reverse("meetings-api:document-upload-part", kwargs={"pk": upload.pk, "number": 1})
    )

    assert (response.status_code, "actions" in response.json()) == (200, False)


def test_upload_options_create_endpoints(api_as, alice, settings, tmp_path):
    local_storage(settings, tmp_path)
    meeting = session(alice)
    api = api_as(alice)

    answers = [
        api.options(reverse(f"meetings-api:{name}", kwargs={"meeting_id": meeting.pk})).status_code
        for name in ("recording-uploads", "document-uploads")
    ]

    assert answers == [200, 200]
