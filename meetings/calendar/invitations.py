"""Invitations by e-mail: the calendar clients' way of following a session (RFC 5546 iTIP).

A calendar object is a single meeting (its UID) or a whole series (the series' UID,
its RRULE, EXDATEs and overrides, as in the feeds): booking twelve occurrences sends
one invitation, not twelve.

- Booking sends METHOD:REQUEST; a change to a single meeting a REQUEST with a higher
  SEQUENCE, saying what changed (former → new time, sites added and removed);
  cancelling it METHOD:CANCEL with STATUS:CANCELLED.
- A change to some occurrences of a series (moving, re-siting, cancelling one, or
  "this and the following") is sent as those occurrences only: a REQUEST, or a CANCEL,
  of VEVENTs under the series' UID with their RECURRENCE-ID and their own SEQUENCE.
  Cancelling every remaining occurrence cancels the series itself.
- Someone taken off a session (their site removed) gets a CANCEL without STATUS,
  which RFC 5546 reserves for "uninviting" one attendee: the session goes on, and the
  e-mail says they were removed, not that it was cancelled.

Recipients: the attendees and the technicians of the sites, minus those who opted out
or have no e-mail address; each is the one ATTENDEE of their own message, with their
ROLE (CHAIR, REQ-PARTICIPANT, OPT-PARTICIPANT), their recorded answer (PARTSTAT) and
RSVP=TRUE with links that record the answer in Giao Ban (meetings.calendar.answers).
Each message is in the recipient's language (Vietnamese by default), with a
confidential session shown as busy to those not invited.

The e-mails are a task, enqueued after the change commits (meetings.calendar.receivers
listens to meetings.events: one event per action, so one enqueue). The task carries
the version it was enqueued for (a meeting's SEQUENCE; for a series or some of its
occurrences, the sum of their SEQUENCEs) and sends nothing if a later change
superseded it: the later task sends the newer state.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db.models import QuerySet, Sum
from django.tasks import task
from django.utils import timezone, translation

from accounts.names import full_name
from conferencing.models import Endpoint
from meetings.calendar.answers import answer_links, forget_answers, partstats
from meetings.calendar.content import (
    Wording,
    build_calendar_of,
    content_rows,
    event_data,
    key_of,
    personal_membership,
    plan_units,
    viewer_of,
)
from meetings.calendar.ical import (
    CalendarData,
    EventData,
    Person,
    build_calendar,
    build_event,
    serialize,
)
from meetings.calendar.invitation_changes import Change, SiteNames, change_lines, payload_of
from meetings.calendar.invitation_mail import Letter, Purpose, compose
from meetings.calendar.invitation_recipients import invited_users, receives_invitations
from meetings.calendar.models import CalendarPreference, SentInvitation
from meetings.events import ChangeKind, MeetingChange
from meetings.models import Attendee, AttendeeRole, Meeting, MeetingStatus, Series

logger = logging.getLogger(__name__)

# Its own queue, so a national session's thousands of e-mails never hold up the default
# queue's readiness notices when they run on separate workers (bin/run runs both).
QUEUE = "calendar"
MEETING = "meeting"
SERIES = "series"
OCCURRENCES = "occurrences"  # some occurrences of a series, sent as themselves
REQUEST = "REQUEST"
CANCEL = "CANCEL"
ROLES = {
    AttendeeRole.CHAIR: "CHAIR",
    AttendeeRole.MEMBER: "REQ-PARTICIPANT",
    AttendeeRole.OBSERVER: "OPT-PARTICIPANT",
}
# When a person holds several roles across the occurrences in one message, the highest.
ROLE_RANK = ("OPT-PARTICIPANT", "REQ-PARTICIPANT", "CHAIR")


def enqueue_change(change: MeetingChange) -> None:
    """Enqueue the e-mails of one committed action: per single meeting; the whole
    series when it is booked or nothing of it is left; else the changed occurrences."""
    payload = payload_of(change)
    if change.series_id is None:
        for meeting_id in change.meeting_ids:
            enqueue(MEETING, meeting_id, payload)
    elif change.kind == ChangeKind.SERIES_BOOKED or not live_occurrences(change.series_id):
        enqueue(SERIES, change.series_id, payload)
    else:
        enqueue(OCCURRENCES, change.series_id, payload)


def live_occurrences(series_id: int) -> bool:
    return (
        Meeting.objects.filter(series_id=series_id).exclude(status=MeetingStatus.CANCELLED).exists()
    )


def enqueue(kind: str, pk: int, change: dict | None = None) -> None:
    """Enqueue the e-mails for the calendar object's current version (nothing if it is
    gone)."""
    version = current_version(kind, pk, Change.of(change).meeting_ids)
    if version is not None:
        send_invitations.enqueue(kind, pk, version, change=change)


def current_version(kind: str, pk: int, meeting_ids: tuple[int, ...] = ()) -> int | None:
    if kind == MEETING:
        return Meeting.objects.filter(pk=pk).values_list("sequence", flat=True).first()
    meetings = Meeting.objects.filter(series_id=pk)
    if kind == OCCURRENCES:
        meetings = meetings.filter(pk__in=meeting_ids)
    return meetings.aggregate(total=Sum("sequence"))["total"]


@dataclass
class Outcome:
    requests: int = 0
    cancels: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"request": self.requests, "cancel": self.cancels}

    def __add__(self, other: "Outcome") -> "Outcome":
        return Outcome(self.requests + other.requests, self.cancels + other.cancels)

    def count(self, method: str) -> None:
        if method == REQUEST:
            self.requests += 1
        else:
            self.cancels += 1


@task(queue_name=QUEUE)
def send_invitations(kind: str, pk: int, version: int, change: dict | None = None) -> dict:
    """E-mail each recipient their invitation, update or cancellation; returns how many
    of each were sent (none when a later change superseded this one)."""
    described = Change.of(change)
    if current_version(kind, pk, described.meeting_ids) != version:
        return Outcome().as_dict()
    if kind == MEETING:
        meetings = Meeting.objects.filter(pk=pk)
        uid = Meeting.objects.get(pk=pk).uid
    else:
        meetings = Meeting.objects.filter(series_id=pk)
        uid = Series.objects.get(pk=pk).uid
    if kind == OCCURRENCES:
        # Whoever does not hold the series yet (its invitation superseded before it went,
        # or their site just added) gets it whole; the others get the occurrences.
        held = holders(uid)
        newcomers = invited_users(meetings) - held
        outcome = deliver(uid, meetings, described, only=newcomers) if newcomers else Outcome()
        occurrences = meetings.filter(pk__in=described.meeting_ids)
        return (outcome + deliver_occurrences(uid, occurrences, described, held)).as_dict()
    if described.moves:
        # A new time is a new question: everyone answers again (RFC 5546 3.2.2.1).
        forget_answers(uid)
    return deliver(uid, meetings, described).as_dict()


# -- A whole calendar object ---------------------------------------------------------------------


def deliver(
    uid: str, meetings: QuerySet[Meeting], change: Change, only: set[int] | None = None
) -> Outcome:
    """Everyone of the object now gets it (REQUEST, or CANCEL when all of theirs is
    cancelled); whoever held it and no longer belongs is told they were removed.
    `only`: these people alone."""
    current = invited_users(meetings)
    held = holders(uid)
    users = addressees(current | held if only is None else only)
    sites = SiteNames.of(change)
    answered = partstats(uid, users)
    roles = attendee_roles(meetings, users)
    letters: list[Sent] = []
    for user in users.values():
        viewer = viewer_of(user)
        with translation.override(language_of(user)):
            if user.pk in current:
                rows = content_rows(meetings.filter(personal_membership(user)), viewer)
                cancelled = all(row["status"] == MeetingStatus.CANCELLED for row in rows)
                if cancelled:
                    purpose = Purpose.CANCELLATION
                else:
                    purpose = Purpose.UPDATE if user.pk in held else Purpose.INVITATION
            else:
                rows = content_rows(meetings, viewer)
                purpose = Purpose.WITHDRAWAL
            attendee = attendee_of(user, purpose, roles, answered)
            wording = Wording(
                stamp=timezone.now(),
                attendees=(attendee,),
                withdrawn=purpose == Purpose.WITHDRAWAL,
            )
            method = REQUEST if purpose in (Purpose.INVITATION, Purpose.UPDATE) else CANCEL
            calendar = build_calendar_of(rows, wording, calendar_data(method))
            main = plan_units([key_of(row) for row in rows], wording)[0]
            letters.append(
                sent(
                    user,
                    Letter(
                        purpose=purpose,
                        method=method,
                        events=[main.build({row["pk"]: row for row in rows})],
                        calendar=calendar,
                        changes=change_lines(change, rows, sites) if user.pk in held else [],
                        answer_links=answer_links(user.pk, uid) if method == REQUEST else None,
                    ),
                )
            )
    return send(uid, letters)


# -- Some occurrences of a series -----------------------------------------------------------------


def deliver_occurrences(
    uid: str, occurrences: QuerySet[Meeting], change: Change, held: set[int]
) -> Outcome:
    """The changed occurrences as themselves (RECURRENCE-ID) to each of their people who
    hold the series; the technicians of sites removed from one are told they were
    removed from it."""
    members = {
        user_id: mine
        for user_id, mine in occurrence_members(occurrences).items()
        if user_id in held
    }
    removed = removed_from(occurrences, change, members, held)
    users = addressees(set(members) | set(removed))
    sites = SiteNames.of(change)
    answered = partstats(uid, users)
    roles = attendee_roles(occurrences, users)
    letters: list[Sent] = []
    for user in users.values():
        with translation.override(language_of(user)):
            if user.pk in members:
                mine = occurrences.filter(pk__in=members[user.pk])
                rows = content_rows(mine, viewer_of(user))
                cancelled = all(row["status"] == MeetingStatus.CANCELLED for row in rows)
                purpose = Purpose.CANCELLATION if cancelled else Purpose.UPDATE
            else:
                mine = occurrences.filter(pk__in=removed[user.pk])
                rows = content_rows(mine, viewer_of(user))
                purpose = Purpose.WITHDRAWAL
            method = CANCEL if purpose != Purpose.UPDATE else REQUEST
            wording = Wording(
                stamp=timezone.now(),
                attendees=(attendee_of(user, purpose, roles, answered),),
                withdrawn=purpose == Purpose.WITHDRAWAL,
            )
            events = [occurrence_event(row, wording) for row in rows]
            calendar = serialize(
                build_calendar(
                    calendar_data(method), [build_event(event, wording.zone) for event in events]
                )
            )
            letters.append(
                sent(
                    user,
                    Letter(
                        purpose=purpose,
                        method=method,
                        events=events,
                        calendar=calendar,
                        occurrences=True,
                        changes=change_lines(change, rows, sites),
                        answer_links=answer_links(user.pk, uid) if method == REQUEST else None,
                    ),
                )
            )
    return send(uid, letters)


def occurrence_event(row: dict, wording: Wording) -> EventData:
    """One occurrence under its series' UID, named by its original start."""
    return event_data(row, wording, uid=row["series__uid"], recurrence_id=row["occurrence_start"])


def occurrence_members(occurrences: QuerySet[Meeting]) -> dict[int, set[int]]:
    """Each recipient's occurrences among these: as attendee or technician of a site."""
    members: dict[int, set[int]] = {}
    attendees = Attendee.objects.filter(meeting__in=occurrences).values_list(
        "user_id", "meeting_id"
    )
    technicians = (
        Endpoint.objects.filter(legs__conference__meeting__in=occurrences)
        .exclude(technicians=None)
        .values_list("technicians", "legs__conference__meeting")
    )
    for user_id, meeting_id in (*attendees, *technicians):
        members.setdefault(user_id, set()).add(meeting_id)
    return members


def removed_from(
    occurrences: QuerySet[Meeting],
    change: Change,
    members: dict[int, set[int]],
    held: set[int],
) -> dict[int, set[int]]:
    """The people this change took off who held the series (the technicians of the
    sites it removed, the attendees it removed), each with the occurrences they are no
    longer part of."""
    if not change.removed and not change.attendees_removed:
        return {}
    technicians = set(
        Endpoint.objects.filter(pk__in=change.removed)
        .exclude(technicians=None)
        .values_list("technicians", flat=True)
        if change.removed
        else ()
    )
    changed = set(occurrences.values_list("pk", flat=True))
    removed = {}
    for user_id in (technicians | set(change.attendees_removed)) & held:
        gone = changed - members.get(user_id, set())
        if gone:
            removed[user_id] = gone
    return removed


# -- Shared --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    user: object
    letter: Letter
    message: EmailMessage


def sent(user, letter: Letter) -> Sent:
    """The letter and its e-mail, worded in the language active now (the recipient's)."""
    return Sent(user, letter, compose(letter, user.email))


def send(uid: str, letters: list[Sent]) -> Outcome:
    """One message per address (recipients do not see each other), one connection; then
    who holds the object: a REQUEST makes its recipient a holder, and a CANCEL of the
    whole object (not of occurrences) ends that."""
    outcome = Outcome()
    messages: list[EmailMessage] = []
    records: list[SentInvitation] = []
    for user, letter, message in ((one.user, one.letter, one.message) for one in letters):
        messages.append(message)
        outcome.count(letter.method)
        if letter.method == REQUEST or not letter.occurrences:
            records.append(
                SentInvitation(
                    uid=uid, user=user, sequence=held_sequence(letter), method=letter.method
                )
            )
    if messages:
        with mailers.default as connection:
            connection.send_messages(messages)
        SentInvitation.objects.bulk_create(
            records,
            update_conflicts=True,
            unique_fields=["uid", "user"],
            update_fields=["sequence", "method", "sent_at"],
        )
    return outcome


def held_sequence(letter: Letter) -> int:
    """The SEQUENCE the recipient now holds: the first event's (a series' master carries
    the sum of its occurrences')."""
    return letter.events[0].sequence


def holders(uid: str) -> set[int]:
    return set(
        SentInvitation.objects.filter(uid=uid, method=REQUEST).values_list("user_id", flat=True)
    )


def addressees(user_ids: set[int]) -> dict:
    """The active users among these who have an address and want invitations, by id in
    id order."""
    users = (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .select_related("calendar_preference", "person")
        .order_by("pk")
    )
    return {user.pk: user for user in users if receives_invitations(user)}


def attendee_roles(meetings: QuerySet[Meeting], users) -> dict[int, str]:
    """Each invited person's iCalendar ROLE across these meetings (the highest)."""
    roles: dict[int, str] = {}
    found = Attendee.objects.filter(meeting__in=meetings, user_id__in=list(users)).values_list(
        "user_id", "role"
    )
    for user_id, role in found:
        role = ROLES.get(role, "REQ-PARTICIPANT")
        if user_id not in roles or ROLE_RANK.index(role) > ROLE_RANK.index(roles[user_id]):
            roles[user_id] = role
    return roles


def attendee_of(user, purpose: Purpose, roles: dict[int, str], answered: dict[int, str]) -> Person:
    """The recipient as the message's one ATTENDEE: an answer is asked in a REQUEST."""
    asking = purpose in (Purpose.INVITATION, Purpose.UPDATE)
    return Person(
        email=user.email,
        name=full_name(user),
        role=roles.get(user.pk, "REQ-PARTICIPANT"),
        partstat=answered.get(user.pk, "NEEDS-ACTION"),
        rsvp=asking,
    )


def calendar_data(method: str) -> CalendarData:
    return CalendarData(name="Giao Ban", method=method, zone=settings.TIME_ZONE)


def language_of(user) -> str:
    try:
        return user.calendar_preference.language or settings.LANGUAGE_CODE
    except CalendarPreference.DoesNotExist:
        return settings.LANGUAGE_CODE
