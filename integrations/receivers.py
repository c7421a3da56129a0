"""What the webhooks listen to, connected in IntegrationsConfig.ready(): the booking core's
meeting_changed, conferencing's readiness_changed, the records' two signals and the
conclusions' notice_published, each sent after its change committed."""

from conferencing.readiness_signals import readiness_changed
from integrations import payloads, publishing, task_events
from integrations.models import EventType
from meetings.conclusions.models import ConclusionNotice
from meetings.conclusions.signals import notice_published
from meetings.events import ChangeKind, MeetingChange, meeting_changed
from meetings.followup.signals import task_changed
from meetings.records.models import RecordVersion
from meetings.records.signals import minutes_published, recording_verified

EVENT_OF_CHANGE = {
    ChangeKind.BOOKED: EventType.MEETING_BOOKED,
    ChangeKind.SERIES_BOOKED: EventType.MEETING_BOOKED,
    ChangeKind.RESCHEDULED: EventType.MEETING_CHANGED,
    ChangeKind.SITES_CHANGED: EventType.MEETING_CHANGED,
    ChangeKind.CANCELLED: EventType.MEETING_CANCELLED,
}


def connect() -> None:
    meeting_changed.connect(on_meeting_changed, dispatch_uid="integrations.meeting_changed")
    readiness_changed.connect(on_readiness_changed, dispatch_uid="integrations.readiness")
    minutes_published.connect(on_minutes_published, dispatch_uid="integrations.minutes")
    recording_verified.connect(on_recording_verified, dispatch_uid="integrations.recording")
    task_changed.connect(on_task_changed, dispatch_uid="integrations.task")
    notice_published.connect(on_notice_published, dispatch_uid="integrations.conclusions")


def on_meeting_changed(sender: object, change: MeetingChange, **kwargs: object) -> None:
    extra: dict = {}
    if change.kind in (ChangeKind.RESCHEDULED, ChangeKind.SITES_CHANGED):
        extra["change"] = str(change.kind)
    publishing.meeting_event(EVENT_OF_CHANGE[change.kind], change.meeting_ids, extra)


def on_readiness_changed(sender: object, conference_id: int, **kwargs: object) -> None:
    publishing.readiness_changed(conference_id)


def on_minutes_published(sender: object, version_id: int, **kwargs: object) -> None:
    version_event(EventType.MINUTES_PUBLISHED, version_id)


def on_recording_verified(sender: object, version_id: int, **kwargs: object) -> None:
    version_event(EventType.RECORDING_VERIFIED, version_id)


def on_task_changed(sender: object, event_id: int, **kwargs: object) -> None:
    task_events.publish(event_id)


def version_event(event_type: str, version_id: int) -> None:
    version = RecordVersion.objects.select_related("record").filter(pk=version_id).first()
    if version is None:
        return
    meeting_id = version.record.meeting_id
    summary = payloads.summaries([meeting_id]).get(meeting_id)
    if summary is None:
        return
    record = {
        "id": version.record_id,
        "kind": version.record.kind,
        "version": version.number,
        "sha256": version.sha256,
        "size": version.size,
        "content_type": version.content_type,
        "published_at": payloads.iso(version.published_at),
    }
    if summary["details_visible"]:
        record["title"] = version.record.title
    publishing.publish(event_type, {meeting_id: {"meeting": summary, "record": record}})


def on_notice_published(sender: object, notice_id: int, **kwargs: object) -> None:
    """The notice's number, its PDF's checksum and its tasks (office codes and deadlines);
    a confidential session's notice carries its number and time only."""
    notice = ConclusionNotice.objects.select_related("record").filter(pk=notice_id).first()
    if notice is None:
        return
    summary = payloads.summaries([notice.meeting_id]).get(notice.meeting_id)
    if summary is None:
        return
    data: dict = {
        "number_symbol": notice.number_symbol,
        "published_at": payloads.iso(notice.published_at),
    }
    if summary["details_visible"]:
        tasks = notice.items.filter(is_task=True).values_list(
            "position", "tasks__office__code", "tasks__deadline_on"
        )
        data["tasks"] = [
            {"item": position, "office": code, "deadline_on": str(deadline)}
            for position, code, deadline in tasks.order_by("position", "tasks__office__code")
        ]
    publishing.publish(
        EventType.CONCLUSIONS_PUBLISHED,
        {notice.meeting_id: {"meeting": summary, "conclusions": data}},
    )
