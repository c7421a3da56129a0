"""What the session pages share: finding a meeting the user may see, the list
and the conflict report put in the shape the templates show."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conferencing.reservations import CapacityOverload
from meetings.booking import ConflictReport, Slot, is_changeable
from meetings.forms import DryRunMixin
from meetings.models import Meeting
from meetings.off_days import OffDayChange
from meetings.visibility import User as AnyUser
from meetings.visibility import changeable, concerning, details_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    # What a view behind role_required receives: anonymous users never get that far.

    class AuthenticatedHttpRequest(HttpRequest):
        user: User

else:
    AuthenticatedHttpRequest = HttpRequest

# A conflict with a national session can name thousands of sites: show a few per session.
SITES_SHOWN = 8


def concerning_meeting(user: AnyUser, meeting_id: int) -> Meeting:
    """The meeting if it concerns the user, else 404: outsiders learn nothing of it."""
    meetings = Meeting.objects.select_related(
        "conference__bridge", "organiser__person", "series", "owner_office"
    )
    return get_object_or_404(concerning(user, meetings), pk=meeting_id)


def readable_meeting(user: AnyUser, meeting_id: int) -> Meeting:
    """The meeting if the user may read its details; 404 otherwise (nothing leaks)."""
    meeting = concerning_meeting(user, meeting_id)
    if not details_visible(meeting, user):
        raise Http404
    return meeting


def managed_meeting(user: AnyUser, meeting_id: int) -> Meeting:
    """The meeting if the user manages it (its attendees, records, minutes: the owning
    office, visibility.changeable), whether or not it is over; 404 otherwise, as for a
    meeting that does not exist."""
    meetings = Meeting.objects.select_related("conference__bridge", "organiser", "series")
    return get_object_or_404(changeable(user, meetings), pk=meeting_id)


def changeable_meeting(request: HttpRequest, meeting_id: int) -> Meeting | HttpResponse:
    """The meeting for a change page, or where to send the user instead.

    A meeting the user may not change (visibility.changeable) is not found, as one
    that does not exist; one that is over or cancelled goes back to its page.
    """
    meetings = Meeting.objects.select_related("conference__bridge", "organiser", "series")
    meeting = get_object_or_404(changeable(request.user, meetings), pk=meeting_id)
    if not is_changeable(meeting):
        messages.error(request, _("Only a scheduled session that has not started can be changed."))
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return meeting


def checkable_meeting(user: AnyUser, meeting_id: int) -> Meeting:
    """The meeting for a change page's live check: one the user may change
    (visibility.changeable), 404 otherwise, as for a meeting that does not exist. Whether
    it can still change is for the check to say, not a redirect with a message."""
    meetings = Meeting.objects.select_related("conference__bridge", "owner_office__jurisdiction")
    return get_object_or_404(changeable(user, meetings), pk=meeting_id)


def grouped(number: int) -> str:
    """A whole number as the active language writes it: 3.356 in Vietnamese, 3,356 in
    English (config/formats)."""
    return number_format(number, force_grouping=True)


def sites_text(count: int) -> str:
    """ "3.356 điểm cầu": what the pickers' live count shows."""
    return ngettext("%(number)s site", "%(number)s sites", count) % {"number": grouped(count)}


# --- conflicts, as the templates show them -------------------------------------------------------


@dataclass
class ConflictGroup:
    """The sites one other session takes, for one occurrence of what is being booked."""

    meeting_id: int | None
    title: str
    start: datetime
    end: datetime
    sites: list[tuple[str, str]] = field(default_factory=list)

    @property
    def shown_sites(self) -> list[tuple[str, str]]:
        return self.sites[:SITES_SHOWN]

    @property
    def more_sites(self) -> int:
        return max(len(self.sites) - SITES_SHOWN, 0)


@dataclass
class OccurrenceConflicts:
    slot: Slot | None
    groups: list[ConflictGroup]
    overloads: list[CapacityOverload]


@dataclass
class CheckResult:
    """What the conflicts panel shows: one of incomplete, invalid, error, clear, conflicts."""

    state: str
    messages: list[str] = field(default_factory=list)
    occurrences: list[OccurrenceConflicts] = field(default_factory=list)
    # How many occurrences were checked; None when only the conflicting ones are known.
    checked: int | None = 1
    skip_conflicts: bool = False
    # A series' occurrences on a day off, and what happens to each.
    off_day_changes: list[OffDayChange] = field(default_factory=list)

    @property
    def site_codes(self) -> list[str]:
        """Every busy site's code, once: what "leave out the busy sites" adds."""
        codes = (code for o in self.occurrences for g in o.groups for code, _name in g.sites)
        return list(dict.fromkeys(codes))

    @property
    def free(self) -> int | None:
        return None if self.checked is None else self.checked - len(self.occurrences)


def unchecked(form: DryRunMixin) -> CheckResult | None:
    """Why the dry run cannot run on the form, as the panel says it (the fields it still
    needs, or the form's errors); None once the form is valid."""
    if form.is_valid():  # type: ignore[attr-defined]
        return None
    missing = form.missing()
    if missing:
        return CheckResult("incomplete", messages=missing)
    fields = form.fields  # type: ignore[attr-defined]
    return CheckResult(
        "invalid",
        messages=[
            f"{fields[name].label}: {error}" if name in fields else str(error)
            for name, errors in form.errors.items()  # type: ignore[attr-defined]
            for error in errors
        ],
    )


def present_report(report: ConflictReport, slot: Slot | None = None) -> OccurrenceConflicts:
    """The report's sites grouped by the session holding them, as the panel lists them."""
    groups: dict[tuple, ConflictGroup] = {}
    for taken in report.sites:
        key = (taken.meeting_id, taken.meeting_start, taken.meeting_title)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ConflictGroup(
                meeting_id=taken.meeting_id,
                title=taken.meeting_title,
                start=taken.meeting_start,
                end=taken.meeting_end,
            )
        group.sites.append((taken.site, taken.site_name))
    return OccurrenceConflicts(slot=slot, groups=list(groups.values()), overloads=report.capacity)


def conflict_result(report: ConflictReport) -> CheckResult:
    if not report:
        return CheckResult("clear")
    return CheckResult("conflicts", occurrences=[present_report(report)])


def series_result(
    conflicts: list[tuple[Slot, ConflictReport]],
    checked: int | None,
    skip_conflicts: bool,
    off_day_changes: list[OffDayChange] | None = None,
) -> CheckResult:
    occurrences = [present_report(report, slot) for slot, report in conflicts if report]
    state = "conflicts" if occurrences else "clear"
    return CheckResult(
        state,
        occurrences=occurrences,
        checked=checked,
        skip_conflicts=skip_conflicts,
        off_day_changes=off_day_changes or [],
    )
