"""Who may see, change and watch which meeting: the meetings' one module of authority.

Each question is answered with one query over any number of meetings: which
meetings concern a user (appear in their lists), and of those, whose details
they may read; which they may change; whose readiness they may watch, and which
part of its board. Authority follows the tree: the secretariat acts for one office
(conferencing.jurisdiction), sees the sessions touching that office's jurisdiction
and changes only the sessions its office owns. A confidential meeting shows only as
busy time to anyone who is not its organiser or an invited attendee, and is neither
changed nor watched by them: no office and not the superuser is exempt
(docs/authority.md).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from accounts import folded_search
from conferencing.jurisdiction import booking_office, jurisdiction_path
from conferencing.models import Leg, LegRole, Office
from conferencing.watch_policy import WHOLE_BOARD, BoardPart
from meetings.models import Attendee, Classification, Meeting

User = AbstractBaseUser | AnonymousUser


def invited(user: User) -> Q:
    # An uncorrelated subquery, read once per query: a correlated EXISTS per row made a
    # calendar of 10,000 sessions half again slower on SQLite (bench/calendar.py, warm).
    return Q(organiser=user) | Q(pk__in=Attendee.objects.filter(user=user).values("meeting_id"))


def open_to(user: User | None) -> Q:
    """Confidentiality, per person: a meeting that is not confidential, or one the user
    organises or is invited to. The one definition of the rule: lists filter by it, the
    calendars annotate it (`details_flag`), and the per-meeting answer (`details_visible`)
    asks the database with it, so that no second spelling can drift from it. Nobody
    (None: a calendar with no person behind it) and anonymous users read only what is
    not confidential."""
    not_confidential = ~Q(classification=Classification.CONFIDENTIAL)
    if user is None or not user.is_authenticated:
        return not_confidential
    return not_confidential | invited(user)


def details_flag(user: User | None) -> Case:
    """`open_to` as a column: true where the user may read title, agenda and sites."""
    return Case(
        When(open_to(user), then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def serving(user: User) -> Q:
    return Q(
        Exists(Leg.objects.filter(conference=OuterRef("conference"), endpoint__technicians=user))
    )


def touching(office: Office) -> Q:
    """Meetings with a site in the office's jurisdiction, or owned by it."""
    legs = Leg.objects.filter(
        conference=OuterRef("conference"), endpoint__path__startswith=jurisdiction_path(office)
    )
    return Q(owner_office=office) | Q(Exists(legs))


def concerning(user: User, meetings: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Meetings the user's lists show: those they organise or attend, or whose sites they
    serve as technician; for secretariat staff also every meeting touching the
    jurisdiction of the office they act for (read-only where another office owns it)."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    if not user.is_authenticated:
        return meetings.none()
    return meetings.filter(concerning_condition(user))


def concerning_condition(user: AbstractBaseUser) -> Q:
    """`concerning` as a condition, for a query that composes it (a calendar feed's
    membership); the user must be signed in."""
    personal = invited(user) | serving(user)
    office = booking_office(user)
    return personal | touching(office) if office else personal


def with_details(user: User, meetings: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Of the meetings concerning the user, those whose title, agenda and sites they may read."""
    meetings = concerning(user, meetings)
    if not user.is_authenticated:
        return meetings
    return meetings.filter(open_to(user))


def searched(user: User, meetings: QuerySet[Meeting], text: str) -> QuerySet[Meeting]:
    """Of these meetings, those whose title or organising unit holds every word of `text`,
    whatever its case and marks (accounts.folded_search); an empty text filters nothing.
    Only meetings whose details the user may read are found by their words: a
    confidential session they see as busy time never answers a search for its title."""
    if not folded_search.words_of(text):
        return meetings
    return folded_search.matching(meetings.filter(open_to(user)), text)


def readable_ids(user: User, meetings: Sequence[Meeting]) -> set[int]:
    """Of these meetings (a list already read), the ids whose details the user may read;
    one query, none for an empty list. What the web lists, the readiness console and the
    API's lists ask before showing a meeting's title or only its busy time."""
    if not meetings:
        return set()
    listed = Meeting.objects.filter(pk__in=[meeting.pk for meeting in meetings])
    return set(with_details(user, listed).values_list("pk", flat=True))


def details_visible(meeting: Meeting, user: User) -> bool:
    return with_details(user, Meeting.objects.filter(pk=meeting.pk)).exists()


def changeable(user: User, meetings: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Meetings the user may move, re-site or cancel, and whose attendees, records and
    minutes they manage: those the office they act for owns, except a confidential one
    they are not invited to."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    office = booking_office(user)
    if office is None:
        return meetings.none()
    return meetings.filter(open_to(user), owner_office=office)


def may_change(meeting: Meeting, user: User) -> bool:
    return changeable(user, Meeting.objects.filter(pk=meeting.pk)).exists()


def hosting(user: User) -> Q:
    """Meetings whose host site the user serves as technician."""
    return Q(
        Exists(
            Leg.objects.filter(
                conference=OuterRef("conference"), role=LegRole.HOST, endpoint__technicians=user.pk
            )
        )
    )


def watchable(user: User, meetings: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Meetings whose readiness the user may watch, whole or in part (`board_part`): the
    owning office's secretariat and the host site's technicians the whole board, another
    office whose jurisdiction the session touches its part; a confidential one only if
    invited. Whoever watches a meeting may read its details."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    if not user.is_authenticated:
        return meetings.none()
    office = booking_office(user)
    watchers = hosting(user) | touching(office) if office else hosting(user)
    return meetings.filter(watchers, open_to(user))


def board_part(user: User, meeting: Meeting) -> BoardPart | None:
    """Which part of the meeting's readiness board the user watches, or None: the whole
    board for the owning office and the host's technicians, the office's jurisdiction
    for another office the session touches. Two queries at most."""
    if not watchable(user, Meeting.objects.filter(pk=meeting.pk)).exists():
        return None
    office = booking_office(user)
    if office is not None and meeting.owner_office_id == office.pk:
        return WHOLE_BOARD
    if Meeting.objects.filter(pk=meeting.pk).filter(hosting(user)).exists():
        return WHOLE_BOARD
    return BoardPart(within=jurisdiction_path(office))


def may_watch(meeting: Meeting, user: User) -> bool:
    return watchable(user, Meeting.objects.filter(pk=meeting.pk)).exists()


def board_part_of_conference(user: User, conference_id: int) -> BoardPart | None:
    """The rule conferencing asks for its board socket (conferencing.watch_policy): None
    alike for a conference that does not exist and for one without a meeting."""
    meeting = Meeting.objects.filter(conference_id=conference_id).first()
    return board_part(user, meeting) if meeting is not None else None


# --- list filters: which sessions a site takes part in -----------------------------------------


@dataclass(frozen=True)
class SiteFilters:
    """The site filters of the lists, as the web form and the API's query string give them."""

    level: int | None = None
    subtree: str | None = None  # the path of a site: it and every site below it
    site_id: int | None = None
    mine: bool = False
    # "office": the sessions the acting office owns; "jurisdiction": those touching its
    # jurisdiction (leaving out the ones the user sees only as attendee or technician).
    office_scope: str = ""


OFFICE_SCOPES = ("office", "jurisdiction")


def filter_by_sites(
    meetings: QuerySet[Meeting], user: User, filters: SiteFilters
) -> QuerySet[Meeting]:
    """The meetings matching the filters; the one implementation of the agenda, the week
    and GET /api/v1/meetings/, so that no list tells where a confidential session is."""
    if filters.level is not None:
        meetings = with_site(meetings, user, Q(endpoint__level=filters.level))
    if filters.subtree is not None:
        meetings = with_site(meetings, user, Q(endpoint__path__startswith=filters.subtree))
    if filters.site_id is not None:
        meetings = with_site(meetings, user, Q(endpoint_id=filters.site_id))
    if filters.mine:
        meetings = meetings.filter(invited(user) | serving(user))
    office = booking_office(user) if filters.office_scope else None
    if filters.office_scope == "office":
        meetings = meetings.filter(owner_office=office) if office else meetings.none()
    elif filters.office_scope == "jurisdiction":
        meetings = meetings.filter(touching(office)) if office else meetings.none()
    return meetings


def with_site(meetings: QuerySet[Meeting], user: User, condition: Q) -> QuerySet[Meeting]:
    """Meetings with a site matching `condition`, without revealing a busy meeting's sites:
    for a meeting whose details the user may not read only the sites they serve count.
    The secretariat is exempt within its office's jurisdiction, since booking's dry run
    already tells it which of those sites is busy."""
    legs = Leg.objects.filter(condition, conference=OuterRef("conference"))
    office = booking_office(user)
    if office is not None:
        within = legs.filter(endpoint__path__startswith=jurisdiction_path(office))
        readable = with_details(user).values("pk")
        return meetings.filter(
            Q(Exists(legs), pk__in=readable)
            | Q(Exists(within))
            | Q(Exists(legs.filter(endpoint__technicians=user.pk)))
        )
    readable = with_details(user).values("pk")
    return meetings.filter(
        Q(Exists(legs), pk__in=readable) | Q(Exists(legs.filter(endpoint__technicians=user.pk)))
    )


# --- conclusion notices (meetings.conclusions) ---------------------------------------------------


def conclusions_manageable(
    user: User, meetings: QuerySet[Meeting] | None = None
) -> QuerySet[Meeting]:
    """Meetings whose conclusion notice the user drafts, submits, approves, signs and
    publishes: the owning office's secretariat, as for every document of the session
    (`changeable`). Four eyes among them is meetings.records.four_eyes's rule."""
    return changeable(user, meetings)


def may_manage_conclusions(meeting: Meeting, user: User) -> bool:
    return conclusions_manageable(user, Meeting.objects.filter(pk=meeting.pk)).exists()


def conclusions_readable(
    user: User, meetings: QuerySet[Meeting] | None = None
) -> QuerySet[Meeting]:
    """Meetings whose PUBLISHED conclusion notice the user reads: whoever reads the
    session's details (`with_details`), the offices it touches included. A notice not
    yet published is read only by those who manage it (`conclusions_manageable`)."""
    return with_details(user, meetings)
