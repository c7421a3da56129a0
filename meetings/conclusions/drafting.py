"""Drafting a conclusion notice: its summary and numbered items, each optionally a task
for one or several of the session's offices with a deadline (a date, or N working days
after publishing).

The session's offices are those whose jurisdiction holds a site that joined it (the
owning office always among them): conclusions are assigned to whoever took part.
Every save replaces the items as a whole, in one transaction, under a lock on the
notice, and bumps its version; a draft saved from a stale page is refused.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from audit import trail
from conferencing.models import Leg, Office
from meetings.conclusions import deadlines
from meetings.conclusions.errors import ConclusionError, ConclusionStateError
from meetings.conclusions.models import ConclusionItem, ConclusionNotice, NoticeState
from meetings.models import Meeting, MeetingStatus

MAX_ITEMS = 100
MAX_TEXT = 4000
MAX_SUMMARY = 10000
MAX_WORKING_DAYS = 365


@dataclass
class ItemDraft:
    """One item as the editor or the API sends it."""

    text: str
    is_task: bool = False
    office_ids: list[int] = field(default_factory=list)
    deadline_on: date | None = None
    deadline_working_days: int | None = None


def session_offices(meeting: Meeting) -> QuerySet[Office]:
    """The active offices that took part in the session: its owner and every office
    whose jurisdiction holds one of its sites. One query."""
    joined = Leg.objects.filter(
        conference_id=meeting.conference_id,
        endpoint__path__startswith=OuterRef("jurisdiction__path"),
    )
    return (
        Office.objects.active()
        .filter(Q(pk=meeting.owner_office_id) | Q(Exists(joined)))
        .order_by("name", "pk")
    )


def notice_of(meeting: Meeting) -> ConclusionNotice | None:
    return ConclusionNotice.objects.filter(meeting=meeting).first()


def start(meeting: Meeting, actor: AbstractBaseUser) -> ConclusionNotice:
    """The meeting's notice, made as an empty draft if it has none, due N working days
    after the session ended. Side effects: audit "conclusions.started" when made."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ConclusionStateError(_("A cancelled session has no conclusion notice."), "cancelled")
    with transaction.atomic():
        # The meeting's row lock makes two first drafts of the same notice one.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        notice = notice_of(meeting)
        if notice is not None:
            return notice
        notice = ConclusionNotice.objects.create(
            meeting=meeting,
            due_on=deadlines.notice_due_on(meeting.conference.end),
            drafted_by=actor,
        )
        trail.record(
            actor,
            "conclusions.started",
            notice,
            {"meeting": meeting.pk, "due_on": str(notice.due_on)},
        )
    return notice


def clean_items(meeting: Meeting, items: Sequence[ItemDraft]) -> list[ItemDraft]:
    """The items checked and trimmed; raises ConclusionError naming the item at fault
    (`items.<n>.<field>`, n from 1)."""
    if len(items) > MAX_ITEMS:
        raise ConclusionError(
            _("A notice has at most %(count)d items.") % {"count": MAX_ITEMS}, "too_many", "items"
        )
    allowed = set(session_offices(meeting).values_list("pk", flat=True))
    cleaned = []
    for number, item in enumerate(items, start=1):
        where = f"items.{number}"
        text = item.text.strip()
        if not text:
            raise ConclusionError(
                _("Item %(n)d: write the conclusion.") % {"n": number},
                "text_required",
                f"{where}.text",
            )
        if len(text) > MAX_TEXT:
            raise ConclusionError(
                _("Item %(n)d is longer than %(max)d characters.") % {"n": number, "max": MAX_TEXT},
                "text_too_long",
                f"{where}.text",
            )
        if not item.is_task:
            cleaned.append(ItemDraft(text=text))
            continue
        offices = sorted(set(item.office_ids))
        if not offices:
            raise ConclusionError(
                _("Item %(n)d is a task: choose the office(s) it is assigned to.") % {"n": number},
                "offices_required",
                f"{where}.offices",
            )
        if not set(offices) <= allowed:
            raise ConclusionError(
                _(
                    "Item %(n)d: a task can be assigned only to an office that took part in "
                    "the session."
                )
                % {"n": number},
                "office_not_in_session",
                f"{where}.offices",
            )
        days = item.deadline_working_days
        if (item.deadline_on is None) == (days is None):
            raise ConclusionError(
                _(
                    "Item %(n)d: give the task's deadline as a date or as a number of "
                    "working days, not both."
                )
                % {"n": number},
                "deadline_required",
                f"{where}.deadline",
            )
        if days is not None and not 1 <= days <= MAX_WORKING_DAYS:
            raise ConclusionError(
                _("Item %(n)d: the number of working days must be between 1 and %(max)d.")
                % {"n": number, "max": MAX_WORKING_DAYS},
                "deadline_days",
                f"{where}.deadline_working_days",
            )
        cleaned.append(
            ItemDraft(
                text=text,
                is_task=True,
                office_ids=offices,
                deadline_on=item.deadline_on,
                deadline_working_days=days,
            )
        )
    return cleaned


def save_draft(
    notice: ConclusionNotice,
    actor: AbstractBaseUser,
    *,
    summary: str,
    items: Sequence[ItemDraft],
    expected_version: int | None = None,
) -> ConclusionNotice:
    """Replace the draft's summary and items. Refused unless the notice is a draft, or
    when `expected_version` is given and the notice changed since (ConclusionStateError).
    Side effects: audit "conclusions.saved" with the number of items and tasks."""
    summary = summary.strip()
    if len(summary) > MAX_SUMMARY:
        raise ConclusionError(
            _("The summary is longer than %(max)d characters.") % {"max": MAX_SUMMARY},
            "summary_too_long",
            "summary",
        )
    meeting = notice.meeting
    cleaned = clean_items(meeting, items)
    with transaction.atomic():
        notice = ConclusionNotice.objects.select_for_update().get(pk=notice.pk)
        notice.meeting = meeting
        if notice.state != NoticeState.DRAFT:
            raise ConclusionStateError(
                _("Only a draft notice can be edited: this one is %(state)s.")
                % {"state": notice.get_state_display()},
                "wrong_state",
            )
        if expected_version is not None and expected_version != notice.version:
            raise ConclusionStateError(
                _(
                    "Someone else saved this notice meanwhile: reload it and make your "
                    "changes again."
                ),
                "stale",
            )
        notice.items.all().delete()
        made = ConclusionItem.objects.bulk_create(
            ConclusionItem(
                notice=notice,
                position=position,
                text=item.text,
                is_task=item.is_task,
                deadline_on=item.deadline_on,
                deadline_working_days=item.deadline_working_days,
            )
            for position, item in enumerate(cleaned, start=1)
        )
        links = ConclusionItem.offices.through
        links.objects.bulk_create(
            links(conclusionitem_id=row.pk, office_id=office_id)
            for row, item in zip(made, cleaned, strict=True)
            for office_id in item.office_ids
        )
        notice.summary = summary
        notice.version += 1
        notice.save(update_fields=["summary", "version", "updated_at"])
        trail.record(
            actor,
            "conclusions.saved",
            notice,
            {
                "version": notice.version,
                "items": len(cleaned),
                "tasks": sum(len(item.office_ids) for item in cleaned),
            },
        )
    return notice
