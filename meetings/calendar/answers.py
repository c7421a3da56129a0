"""Answers to invitations: the accept / decline / tentative links of the e-mails
(RSVP=TRUE), what they record, and the expected attendance the owning office reads.

A link carries a signed token (django.core.signing, its own salt): the person, the
calendar object (a meeting's or a series' UID) and the answer the link offers. The token
is the credential, as a feed token is: no sign-in, and nothing is stored to look it up;
it expires after `MAX_AGE`. Opening a link records nothing (mail scanners open links):
the page it opens posts the answer. An answer belongs to one person's invitation to one
calendar object (SentInvitation); an invitation withdrawn (its last e-mail a CANCEL) or
never sent takes no answer.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.names import full_name
from meetings.calendar.models import Answer, SentInvitation
from meetings.models import Meeting, MeetingStatus
from meetings.visibility import details_visible

# Its own salt: a token signed for anything else (a password reset, a session) never
# passes here, nor one of these there.
SALT = "giaoban.calendar.answer"
# A little over a year: an invitation sent for a session a year ahead still answers.
MAX_AGE = timedelta(days=400)
# The longest token read at all: ours are about 120 characters.
MAX_TOKEN_LENGTH = 400
# The answers a link or a form may carry ("no answer" is not one of them).
ANSWERS = (Answer.ACCEPTED, Answer.DECLINED, Answer.TENTATIVE)
# The iCalendar PARTSTAT of each answer (RFC 5545, 3.2.12).
PARTSTAT = {
    Answer.ACCEPTED: "ACCEPTED",
    Answer.DECLINED: "DECLINED",
    Answer.TENTATIVE: "TENTATIVE",
}
# Whose invitation counts as held: the last e-mail they got was an invitation, not a
# cancellation (the method meetings.calendar.invitations records).
INVITED = "REQUEST"
# How many names the expected attendance lists; the counts cover everyone.
NAMES_SHOWN = 50


@dataclass(frozen=True)
class Ticket:
    """What an answer link's token says: who, about which calendar object, which answer."""

    user_id: int
    uid: str
    answer: str


def signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def answer_token(user_id: int, uid: str, answer: str) -> str:
    """The signed token of one link (a list, the shortest JSON of the three values)."""
    return signer().sign_object([user_id, uid, str(answer)])


def answer_links(user_id: int, uid: str) -> dict[str, str]:
    """The absolute URL of each answer's link, keyed "accepted", "declined", "tentative",
    for the invitation e-mail of this person about this calendar object. No query."""
    base = settings.SITE_URL.rstrip("/")
    return {
        str(answer): base
        + reverse("calendar:answer", kwargs={"token": answer_token(user_id, uid, answer)})
        for answer in ANSWERS
    }


def read_token(token: str) -> Ticket | None:
    """The ticket of a token signed here and not older than MAX_AGE; None for anything
    else (malformed, tampered with, expired, of another salt). No query."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        payload = signer().unsign_object(token, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(payload, list) or len(payload) != 3:
        return None
    user_id, uid, answer = payload
    if type(user_id) is not int or not isinstance(uid, str) or answer not in ANSWERS:
        return None
    return Ticket(user_id=user_id, uid=uid, answer=answer)


def is_answer(value: str) -> bool:
    """Whether a posted value is one of the three answers."""
    return value in ANSWERS


def held_invitation(user_id: int, uid: str):
    """The person's invitation to this calendar object, if it is still theirs."""
    return SentInvitation.objects.filter(uid=uid, user_id=user_id, method=INVITED)


def record_answer(user_id: int, uid: str, answer: str) -> SentInvitation | None:
    """Record the person's answer to their invitation (replacing an earlier one) and when
    it was given; None, and nothing written, if they hold no invitation to this calendar
    object. One transaction; the row is locked so that two answers at once end as the
    later one, never as a mix. Raises ValueError for anything but the three answers."""
    if not is_answer(answer):
        raise ValueError(f"not an answer: {answer!r}")
    with transaction.atomic():
        invitation = held_invitation(user_id, uid).select_for_update().first()
        if invitation is None:
            return None
        invitation.answer = answer
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answer", "answered_at"])
    return invitation


def partstats(uid: str, user_ids: Iterable[int]) -> dict[int, str]:
    """The iCalendar PARTSTAT of each of these people who answered their invitation to
    this calendar object; those without an answer are absent. One query (none for no
    people)."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = (
        SentInvitation.objects.filter(uid=uid, user_id__in=ids)
        .exclude(answer=Answer.NONE)
        .values_list("user_id", "answer")
    )
    return {user_id: PARTSTAT[Answer(answer)] for user_id, answer in rows}


def forget_answers(uid: str) -> int:
    """Clear every answer to this calendar object (its time moved: people confirm again);
    returns how many were cleared. One UPDATE."""
    answered = SentInvitation.objects.filter(uid=uid).exclude(answer=Answer.NONE)
    return answered.update(answer=Answer.NONE, answered_at=None)


def calendar_uid(meeting: Meeting) -> str:
    """The UID of the calendar object the meeting travels in: its series' when it is an
    occurrence (a series is one object), else its own. Reads the series row unless the
    meeting was read with select_related("series")."""
    return meeting.series.uid if meeting.series_id is not None else meeting.uid


@dataclass(frozen=True)
class Respondent:
    name: str
    answer: str


@dataclass(frozen=True)
class ExpectedAttendance:
    """The answers to one calendar object's invitations: how many of each, and the first
    NAMES_SHOWN who answered, by name."""

    accepted: int
    declined: int
    tentative: int
    no_answer: int
    respondents: list[Respondent] = field(default_factory=list)

    @property
    def invited(self) -> int:
        return self.accepted + self.declined + self.tentative + self.no_answer

    @property
    def answered(self) -> int:
        return self.accepted + self.declined + self.tentative

    @property
    def names_left_out(self) -> int:
        return self.answered - len(self.respondents)

    def names(self, answer: str) -> list[str]:
        return [person.name for person in self.respondents if person.answer == answer]

    @property
    def accepted_names(self) -> list[str]:
        return self.names(Answer.ACCEPTED)

    @property
    def declined_names(self) -> list[str]:
        return self.names(Answer.DECLINED)

    @property
    def tentative_names(self) -> list[str]:
        return self.names(Answer.TENTATIVE)


def expected_attendance(meeting: Meeting) -> ExpectedAttendance:
    """The answers of the people invited to the meeting's calendar object (its series'
    for an occurrence): counts over every held invitation, names of the first
    NAMES_SHOWN who answered by name. Two queries, whatever their number (three if the
    meeting's series was not read with it)."""
    invited = SentInvitation.objects.filter(uid=calendar_uid(meeting), method=INVITED)
    counts = invited.aggregate(
        accepted=Count("pk", filter=Q(answer=Answer.ACCEPTED)),
        declined=Count("pk", filter=Q(answer=Answer.DECLINED)),
        tentative=Count("pk", filter=Q(answer=Answer.TENTATIVE)),
        no_answer=Count("pk", filter=Q(answer=Answer.NONE)),
    )
    answered = (
        invited.exclude(answer=Answer.NONE)
        .select_related("user__person")
        .order_by("user__person__full_name", "user__username", "pk")[:NAMES_SHOWN]
    )
    respondents = [Respondent(full_name(row.user), row.answer) for row in answered]
    return ExpectedAttendance(respondents=respondents, **counts)


@dataclass(frozen=True)
class AnswerPage:
    """What an answer link's page shows: the invitation, the session it is about (a
    series' next occurrence, else its last), whether the person may read its details."""

    ticket: Ticket
    invitation: SentInvitation
    meeting: Meeting
    is_series: bool
    details_visible: bool


def answer_page(token: str) -> AnswerPage | None:
    """The page of an answer link; None for a bad token, a person switched off, or an
    invitation no longer held (all answer alike: 404)."""
    ticket = read_token(token)
    if ticket is None:
        return None
    invitation = (
        held_invitation(ticket.user_id, ticket.uid)
        .filter(user__is_active=True)
        .select_related("user")
        .first()
    )
    if invitation is None:
        return None
    meeting, is_series = session_of(ticket.uid)
    if meeting is None:
        return None
    return AnswerPage(
        ticket=ticket,
        invitation=invitation,
        meeting=meeting,
        is_series=is_series,
        details_visible=details_visible(meeting, invitation.user),
    )


def session_of(uid: str) -> tuple[Meeting | None, bool]:
    """The meeting with this UID, or the series' next scheduled occurrence (its last one
    once none is ahead); whether it is a series."""
    meetings = Meeting.objects.select_related("conference")
    single = meetings.filter(uid=uid).first()
    if single is not None:
        return single, False
    occurrences = meetings.filter(series__uid=uid)
    upcoming = occurrences.filter(
        status=MeetingStatus.SCHEDULED, conference__end__gte=timezone.now()
    ).order_by("conference__start", "pk")
    meeting = upcoming.first() or occurrences.order_by("-conference__start", "-pk").first()
    return meeting, True
