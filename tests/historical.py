"""Migration tests' tools: move the test database to a past state and fill it with the
models as they were then (`MigrationExecutor(...).loader.project_state(target).apps`),
never with today's models, whose columns a past schema lacks."""

import hashlib
import uuid
from datetime import timedelta

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

Targets = list[tuple[str, str]]


def migrate(targets: Targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest() -> Targets:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def models_at(targets: Targets) -> Apps:
    """The models as the migrations up to `targets` leave them."""
    return MigrationExecutor(connection).loader.project_state(targets, at_end=True).apps


def counts(apps: Apps, *labels: str) -> dict[str, int]:
    """Rows per table of these apps, read with the given (historical or current) models."""
    return {
        model._meta.db_table: model.objects.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


def user(apps: Apps, username: str, *groups: str):
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    person = User.objects.create(username=username, email=f"{username}@example.vn")
    # get_or_create: a transactional test's flush removes the migration-made groups.
    person.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups))
    return person


def site(apps: Apps, code: str, level: int, parent=None):
    Endpoint = apps.get_model("conferencing", "Endpoint")
    path = f"{parent.path if parent else '/'}{code}/"
    return Endpoint.objects.create(
        code=code, name=f"Điểm cầu {code}", level=level, parent=parent, path=path
    )


def site_rows(apps: Apps) -> dict:
    """TW, one province T01 and one commune X0101, as the historical Endpoint stores them."""
    centre = site(apps, "TW", 0)
    province = site(apps, "T01", 1, centre)
    commune = site(apps, "X0101", 3, province)
    return {"TW": centre, "T01": province, "X0101": commune}


def bridge(apps: Apps, name: str):
    return apps.get_model("conferencing", "Bridge").objects.create(
        name=name, dial_in=f"sip:{uuid.uuid4().hex[:8]}@vc.example.vn", port_capacity=40
    )


def meeting(apps: Apps, organiser, bridge, sites: list, days_ahead: int = 7, **fields):
    """A session on `bridge` with these sites (the first hosts), written row by row."""
    Conference = apps.get_model("conferencing", "Conference")
    Leg = apps.get_model("conferencing", "Leg")
    Meeting = apps.get_model("meetings", "Meeting")
    start = timezone.now() + timedelta(days=days_ahead)
    end = start + timedelta(hours=2)
    conference = Conference.objects.create(bridge=bridge, start=start, end=end, setup_minutes=60)
    for number, endpoint in enumerate(sites):
        Leg.objects.create(
            conference=conference,
            endpoint=endpoint,
            role="host" if number == 0 else "participant",
            reserved_from=start - timedelta(minutes=60),
            reserved_until=end,
        )
    return Meeting.objects.create(
        conference=conference,
        organiser=organiser,
        title=fields.pop("title", "Giao ban tuần"),
        occurrence_start=start,
        **fields,
    )


def meetings_rows(apps: Apps, organiser, attendee, session) -> None:
    """Something in each table of the meetings app but the stamp (its migration makes it)."""
    get = apps.get_model
    get("meetings", "Attendee").objects.create(meeting=session, user=attendee)
    get("meetings", "Series").objects.create(
        rrule="FREQ=WEEKLY;COUNT=2", first_start=timezone.now(), created_by=organiser
    )
    record = get("meetings", "Record").objects.create(
        meeting=session, kind="agenda", title="Chương trình"
    )
    content = b"%PDF-1.7\n%%EOF\n"
    version = get("meetings", "RecordVersion").objects.create(
        record=record,
        number=1,
        key=f"records/{session.uid}/{uuid.uuid4().hex}",
        original_name="Biên bản.pdf",
        size=len(content),
        content_type="application/pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        status="available",
        uploaded_by=organiser,
    )
    get("meetings", "RecordingUpload").objects.create(
        meeting=session,
        created_by=organiser,
        kind="recording",
        title="Ghi hình phiên họp",
        original_name="phiên-họp.mp4",
        size=10,
        content_type="video/mp4",
        key=f"uploads/{uuid.uuid4().hex}",
        mode="app",
        part_size=10,
        part_count=1,
        version=version,
    )
    get("meetings", "FeedToken").objects.create(
        user=attendee, kind="personal", token_hash=hashlib.sha256(b"feed").hexdigest()
    )
    get("meetings", "CalendarPreference").objects.create(user=attendee, receive_invitations=False)
    get("meetings", "SentInvitation").objects.create(
        uid=str(session.uid), user=attendee, sequence=1, method="REQUEST"
    )
    get("meetings", "FeedsStamp").objects.get_or_create(pk=1)
