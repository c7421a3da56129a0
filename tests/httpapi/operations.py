"""The API's operations read from its OpenAPI schema, and a small world with one object
for each path parameter, so that a test can ask every operation of the schema (a new
operation is asked too, and fails loudly until its parameter has an object here).

The world belongs to alice (secretariat of the central office): a session at T01 with
carol attending and bob serving T01, a record with a version, a recording upload and a
document upload she started (app mode, local disk), her webhook subscription with a
delivery, a calendar feed, an API token, a site import and a people import; the
session's published conclusion notice with a task assigned to her own office (so she
both reports on it and decides on it) and a progress report on it."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from conferencing.models import EndpointImportJob, Leg
from integrations import signing
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from meetings.calendar import feed_tokens
from meetings.calendar.models import FeedKind
from meetings.conclusions.models import Task
from meetings.followup import actions
from meetings.records.models import RecordingUpload, RecordKind
from people import api_tokens
from people.models import PeopleImportJob, TokenScope
from tests.factories import RecordFactory, RecordVersionFactory, central_office
from tests.meetings.followup.conftest import published_task
from tests.meetings.records.helpers import PDF, session

METHODS = ("get", "put", "post", "delete", "patch")
PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    documented: frozenset[int]
    has_body: bool

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (
            Operation(
                method.upper(),
                path,
                frozenset(int(code) for code in operation["responses"] if code.isdigit()),
                "requestBody" in operation,
            )
            for path, by_method in schema["paths"].items()
            for method, operation in by_method.items()
            if method in METHODS
        ),
        key=str,
    )


@dataclass
class World:
    """The object of each path parameter, named by the collection it follows
    (`/meetings/{id}/` → "meetings"), or by the last two segments where the last one
    alone is ambiguous (`/people/imports/{id}/` → "people/imports")."""

    objects: dict[str, object]

    def path(self, template: str) -> str:
        def value(match: re.Match) -> str:
            segments = template[: match.start()].rstrip("/").split("/")
            for collection in ("/".join(segments[-2:]), segments[-1]):
                if collection in self.objects:
                    return str(self.objects[collection])
            raise AssertionError(
                f"{template}: no object for {{{match.group(1)}}} after /{segments[-1]}/; "
                "add one to tests/httpapi/operations.py"
            )

        return PARAMETER.sub(value, template)


def own_task(meeting) -> Task:
    """A task of `meeting`'s published notice assigned to the office that owns it: its
    secretariat both reports on it (assigned) and decides on it (assigning)."""
    return published_task(meeting, meeting.owner_office, timezone.localdate() + timedelta(days=10))


def build_world(alice, bob, carol, api) -> World:
    """alice's world (the module docstring); `api` is signed in as alice."""
    meeting = session(alice, attendees=[carol], technicians=[bob])
    office = central_office()
    record = RecordFactory(meeting=meeting, kind=RecordKind.MINUTES, title="Biên bản")
    version = RecordVersionFactory(record=record, status="draft", uploaded_by=alice)
    recording = api.post(
        f"/api/v1/meetings/{meeting.pk}/recording-uploads/",
        {
            "title": "Ghi hình",
            "file_name": "ghi-hình.mp4",
            "size": 1024,
            "content_type": "video/mp4",
        },
        format="json",
    )
    document = api.post(
        f"/api/v1/meetings/{meeting.pk}/document-uploads/",
        {"kind": RecordKind.AGENDA, "title": "Tài liệu", "file_name": "Tài liệu.pdf",
         "size": len(PDF), "content_type": "application/pdf"},
        format="json",
    )  # fmt: skip
    assert (recording.status_code, document.status_code) == (201, 201)
    subscription = WebhookSubscription.objects.create(
        office=office, url="http://127.0.0.1:9/hooks", secret=signing.new_secret(),
        events=["meeting.booked"],
    )  # fmt: skip
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event_id="msg_world", event_type="meeting.booked",
        payload={"type": "meeting.booked"}, status=DeliveryStatus.FAILED,
    )  # fmt: skip
    feed, _secret = feed_tokens.create(alice, feed_tokens.FeedScope(kind=FeedKind.PERSONAL))
    token = api_tokens.create(alice, name="Tích hợp", scope=TokenScope.READ).token
    site_job = EndpointImportJob.objects.create(
        created_by=alice, office=office, file_name="sites.csv", data=b"code,name\n"
    )
    people_job = PeopleImportJob.objects.create(
        created_by=alice, office=office, file_name="people.csv", data=b"full_name,email\n"
    )
    leg = Leg.objects.get(conference=meeting.conference, endpoint__code="T01")
    task = own_task(meeting)
    event = actions.report_progress(alice, task, percent=10, note="Đang làm")
    return World(
        {
            "meetings": meeting.pk,
            "attendees": carol.pk,
            "records": record.pk,
            "record-versions": version.pk,
            "recording-uploads": RecordingUpload.objects.get(pk=recording.json()["id"]).pk,
            "document-uploads": document.json()["id"],
            "parts": 1,
            "legs": leg.pk,
            "webhooks": subscription.pk,
            "deliveries": delivery.pk,
            "feeds": feed.pk,
            "tokens": token.pk,
            "endpoints": "T01",
            "bridges": meeting.conference.bridge_id,
            "offices": office.pk,
            "endpoints/imports": site_job.pk,
            "people/imports": people_job.pk,
            "tasks": task.pk,
            "events": event.pk,
        }
    )
