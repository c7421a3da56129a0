"""Entering and withdrawing the days the Government announces: the one place that
writes AnnouncedDay rows, each change audited and the calendar's revision bumped in the
same transaction."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit import trail
from workdays import revision
from workdays.calendar import WorkingCalendar
from workdays.models import AnnouncedDay, AnnouncedKind

User = AbstractBaseUser | AnonymousUser

# Without announcements: what the announcement changes must differ from this.
PUBLIC_CALENDAR = WorkingCalendar({})


@dataclass(frozen=True)
class Announcement:
    day: date
    kind: str
    name: str
    decision: str = ""


class AnnouncementRefused(ValueError):
    """An announcement that cannot be entered; the message says why, translated."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def shown(day: date) -> str:
    return date_format(day, "d/m/Y")


def refusal(announcement: Announcement, taken: set[date]) -> AnnouncementRefused | None:
    """Why this announcement cannot be entered beside the days already `taken`, or None."""
    day = announcement.day
    if day in taken:
        return AnnouncementRefused(
            _("%(day)s is already announced; remove it first to change it.") % {"day": shown(day)},
            "day",
        )
    works = PUBLIC_CALENDAR.is_working_day(day)
    if announcement.kind == AnnouncedKind.WORKING_DAY and works:
        return AnnouncementRefused(
            _("%(day)s is already a working day.") % {"day": shown(day)}, "kind"
        )
    if announcement.kind == AnnouncedKind.DAY_OFF and not works:
        return AnnouncementRefused(_("%(day)s is already a day off.") % {"day": shown(day)}, "kind")
    return None


def _changes(announced: AnnouncedDay) -> dict[str, str]:
    return {
        "day": announced.day.isoformat(),
        "kind": announced.kind,
        "name": announced.name,
        "decision": announced.decision,
    }


def announce(user: User, announcement: Announcement) -> AnnouncedDay:
    """Enter one announced day. Side effects: the row, one audit entry
    "working_day.announced", a new calendar revision; AnnouncementRefused changes nothing."""
    with transaction.atomic():
        taken = set(AnnouncedDay.objects.filter(day=announcement.day).values_list("day", flat=True))
        refused = refusal(announcement, taken)
        if refused is not None:
            raise refused
        try:
            with transaction.atomic():
                announced = AnnouncedDay.objects.create(
                    day=announcement.day,
                    kind=announcement.kind,
                    name=announcement.name,
                    decision=announcement.decision,
                    created_by=user if user.is_authenticated else None,
                )
        except IntegrityError:
            # Someone entered the same day between our check and our write.
            raise refusal(announcement, {announcement.day}) from None
        trail.record(user, "working_day.announced", announced, _changes(announced))
        revision.bump()
    return announced


def withdraw(user: User, day: date) -> AnnouncedDay | None:
    """Remove the announcement of `day`; None when there is none. Side effects: one audit
    entry "working_day.withdrawn", a new calendar revision."""
    with transaction.atomic():
        announced = AnnouncedDay.objects.select_for_update().filter(day=day).first()
        if announced is None:
            return None
        trail.record(user, "working_day.withdrawn", announced, _changes(announced))
        announced.delete()
        revision.bump()
    return announced


def announce_all(user: User, announcements: list[Announcement]) -> list[AnnouncedDay]:
    """Enter every announcement or none (the CSV import, already checked row by row).
    Side effects: the rows, one audit entry "working_day.imported" each, a new revision.
    AnnouncementRefused when a day was taken meanwhile; nothing is written then."""
    with transaction.atomic():
        days = [announcement.day for announcement in announcements]
        taken = set(AnnouncedDay.objects.filter(day__in=days).values_list("day", flat=True))
        for announcement in announcements:
            refused = refusal(announcement, taken)
            if refused is not None:
                raise refused
        try:
            with transaction.atomic():
                created = AnnouncedDay.objects.bulk_create(
                    AnnouncedDay(
                        day=announcement.day,
                        kind=announcement.kind,
                        name=announcement.name,
                        decision=announcement.decision,
                        created_by=user if user.is_authenticated else None,
                    )
                    for announcement in announcements
                )
        except IntegrityError:
            raise AnnouncementRefused(
                _("Another person entered some of these days meanwhile; nothing was imported.")
            ) from None
        # bulk_create sets primary keys on SQLite and PostgreSQL alike.
        trail.record_all(
            [
                (user, "working_day.imported", announced, _changes(announced))
                for announced in created
            ]
        )
        revision.bump()
    return created
