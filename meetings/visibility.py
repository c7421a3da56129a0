"""Who may see, change and watch which meeting: the meetings' one module of authority.

Each question is answered with one query over any number of meetings: which
meetings concern a user (appear in their lists), and of those, whose details
they may read; which they may change; whose readiness they may watch. A
confidential meeting shows only as busy time to anyone who is not its organiser
or an invited attendee, and is neither changed nor watched by them: the
secretariat role and the superuser are not exempt (docs/authority.md).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from accounts.roles import can_book_meetings, is_secretariat
from conferencing.models import Leg, LegRole
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


def concerning(user: User, meetings: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Meetings the user's lists show: all for the secretariat; otherwise those
    they organise or attend, or whose sites they serve as technician."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    if not user.is_authenticated:
        return meetings.none()
    if is_secretariat(user):
        return meetings
    return meetings.filter(invited(user) | serving(user))


def with_details(user: User, meetings: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Of the meetings concerning the user, those whose title, agenda and sites they may read."""
    meetings = concerning(user, meetings)
    if not user.is_authenticated:
        return meetings
    return meetings.filter(open_to(user))


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
    """Meetings the user may move, re-site or cancel: the secretariat's, except a
    confidential one it is not invited to (neither the role nor a superuser is exempt)."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    if not can_book_meetings(user):
        return meetings.none()
    return with_details(user, meetings)


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
    """Meetings whose readiness the user may watch (board, its socket, report, CSVs): the
    secretariat watches every session and a host site's technicians theirs, but a
    confidential one only if invited. Whoever watches a meeting may read its details."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    if not user.is_authenticated:
        return meetings.none()
    watchers = Q() if is_secretariat(user) else hosting(user)
    return meetings.filter(watchers, open_to(user))


def may_watch(meeting: Meeting, user: User) -> bool:
    return watchable(user, Meeting.objects.filter(pk=meeting.pk)).exists()


def may_watch_conference(user: User, conference_id: int) -> bool:
    """The rule conferencing asks for its board socket (conferencing.watch_policy): false
    alike for a conference that does not exist and for one without a meeting."""
    return watchable(user).filter(conference_id=conference_id).exists()


# --- list filters: which sessions a site takes part in -----------------------------------------


@dataclass(frozen=True)
class SiteFilters:
    """The site filters of the lists, as the web form and the API's query string give them."""

    level: int | None = None
    subtree: str | None = None  # the path of a site: it and every site below it
    site_id: int | None = None
    mine: bool = False


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
    return meetings


def with_site(meetings: QuerySet[Meeting], user: User, condition: Q) -> QuerySet[Meeting]:
    """Meetings with a site matching `condition`, without revealing a busy meeting's sites:
    for a meeting whose details the user may not read only the sites they serve count.
    The secretariat is exempt, since booking's dry run already tells it which site is busy."""
    legs = Leg.objects.filter(condition, conference=OuterRef("conference"))
    if can_book_meetings(user):
        return meetings.filter(Exists(legs))
    readable = with_details(user).values("pk")
    return meetings.filter(
        Q(Exists(legs), pk__in=readable) | Q(Exists(legs.filter(endpoint__technicians=user.pk)))
    )
