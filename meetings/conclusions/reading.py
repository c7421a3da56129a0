"""What the notice's pages show: the notice with its items and tasks, its countdown, the
actions its managers may take, and the signed PDF. A few queries whatever the number of
items and tasks."""

from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch
from django.utils import timezone

from conferencing.jurisdiction import booking_office
from meetings.conclusions import deadlines, drafting, workflow
from meetings.conclusions.forms import ItemFormSet, SummaryForm, initial_items, office_choices
from meetings.conclusions.models import ConclusionItem, ConclusionNotice, NoticeState, Task
from meetings.models import Meeting, MeetingStatus
from meetings.records.models import RecordStatus, RecordVersion
from meetings.visibility import conclusions_manageable, conclusions_readable, touching
from workdays.calendar import WorkingCalendar, snapshot

# How far back "new" published notices go on an office's dashboard.
NEW_NOTICE_DAYS = 14
# Rows of a dashboard list.
SHOWN = 10


def items_of(notice: ConclusionNotice) -> list[ConclusionItem]:
    """The items in order with their offices and tasks: three queries."""
    return list(
        notice.items.order_by("position").prefetch_related(
            "offices",
            Prefetch("tasks", Task.objects.select_related("office").order_by("office__name")),
        )
    )


def signed_version(notice: ConclusionNotice, manages: bool) -> RecordVersion | None:
    """The signed PDF: its managers see the held version too, readers the released one."""
    if notice.record_id is None:
        return None
    statuses = [RecordStatus.PUBLISHED] + ([RecordStatus.DRAFT] if manages else [])
    return notice.record.versions.filter(status__in=statuses).order_by("-number").first()


def due_on(
    meeting: Meeting, notice: ConclusionNotice | None, calendar: WorkingCalendar | None = None
) -> date:
    if notice is not None:
        return notice.due_on
    return deadlines.notice_due_on(meeting.conference.end, calendar)


def notice_page(
    user: AbstractBaseUser, meeting: Meeting, notice: ConclusionNotice | None, manages: bool
) -> dict:
    items = items_of(notice) if notice is not None else []
    published = notice is not None and notice.state == NoticeState.PUBLISHED
    editable = manages and (notice is None or notice.state == NoticeState.DRAFT)
    context = {
        "meeting": meeting,
        "notice": notice,
        "items": items,
        "manages": manages,
        "published": published,
        "countdown": None if published else deadlines.countdown(due_on(meeting, notice)),
        "actions": workflow.allowed_actions(notice, user) if manages and notice else (),
        "approval_note": "",
        "pdf": signed_version(notice, manages) if notice is not None else None,
    }
    submitted = manages and notice is not None and notice.state == NoticeState.SUBMITTED
    if submitted and workflow.APPROVE not in context["actions"]:
        refusal = workflow.refusal(notice, workflow.APPROVE, user)
        context["approval_note"] = refusal.message if refusal else ""
    if editable:
        offices = drafting.session_offices(meeting)
        context["summary_form"] = SummaryForm(
            initial={
                "summary": notice.summary if notice else "",
                "version": notice.version if notice else None,
            }
        )
        context["item_formset"] = ItemFormSet(
            prefix="items",
            initial=initial_items(items),
            form_kwargs={"offices": office_choices(offices)},
        )
    return context


def section(user: AbstractBaseUser, meeting: Meeting, manages: bool) -> dict:
    """The meeting page's conclusions section: the notice's state and countdown, for its
    managers and, once published, for its readers. One query (two for a manager of an
    ended session without a notice)."""
    notice = ConclusionNotice.objects.filter(meeting=meeting).first()
    published = notice is not None and notice.state == NoticeState.PUBLISHED
    ended = meeting.conference.end <= timezone.now()
    shown = manages and (
        notice is not None or (ended and meeting.status != MeetingStatus.CANCELLED)
    )
    return {
        "conclusions_shown": shown or published,
        "conclusions_notice": notice,
        "conclusions_manages": manages,
        "conclusions_countdown": (
            deadlines.countdown(due_on(meeting, notice)) if shown and not published else None
        ),
    }


# --- the office's dashboard ----------------------------------------------------------------------


def notices_due(
    user: AbstractBaseUser, today: date
) -> tuple[list[tuple[Meeting, ConclusionNotice | None, deadlines.Countdown]], int]:
    """The office's ended sessions whose notice is not published yet, most recent first,
    each with its countdown; and how many in all. Two queries."""
    meetings = (
        conclusions_manageable(user, Meeting.objects.exclude(status=MeetingStatus.CANCELLED))
        .filter(conference__end__lte=timezone.now())
        .exclude(conclusion_notice__state=NoticeState.PUBLISHED)
    )
    shown = list(
        meetings.select_related("conference", "conclusion_notice").order_by(
            "-conference__end", "-pk"
        )[:SHOWN]
    )
    calendar = snapshot()
    rows = []
    for meeting in shown:
        notice = getattr(meeting, "conclusion_notice", None)
        due = due_on(meeting, notice, calendar)
        rows.append((meeting, notice, deadlines.countdown(due, today, calendar)))
    return rows, meetings.count()


def new_notices(user: AbstractBaseUser, now: datetime) -> list[ConclusionNotice]:
    """Notices published in the last 14 days of sessions the acting office took part in
    and whose details the user reads. One query."""
    office = booking_office(user)
    if office is None:
        return []
    meetings = conclusions_readable(user, Meeting.objects.filter(touching(office)))
    return list(
        ConclusionNotice.objects.filter(
            state=NoticeState.PUBLISHED,
            published_at__gte=now - timedelta(days=NEW_NOTICE_DAYS),
            meeting__in=meetings.values("pk"),
        )
        .select_related("meeting__owner_office")
        .order_by("-published_at", "-pk")[:SHOWN]
    )
