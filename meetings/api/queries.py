"""The querysets behind the meetings API: constant queries whatever the number of meetings.

The list's filters (level, province, site, mine) answer "which sessions does a
site take part in". Those filters also apply to confidential sessions the user
may only see as busy time, so they must not reveal the sites of such a
session: for them only the sites the user serves as technician count. The
secretariat is exempt, since the dry run already tells it which site is busy.
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.roles import can_book_meetings
from conferencing.conference_models import Leg, LegRole
from meetings.models import Attendee, Meeting, MeetingQuerySet
from meetings.visibility import User, invited, serving, with_details


def summaries() -> MeetingQuerySet:
    """Meetings with what a list shows: time, bridge, host and number of sites, in one query."""
    host = Leg.objects.filter(conference=OuterRef("conference"), role=LegRole.HOST)
    site_count = (
        Leg.objects.filter(conference=OuterRef("conference"))
        .order_by()
        .values("conference")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Meeting.objects.select_related("conference", "conference__bridge", "series")
        .annotate(
            host_code=Subquery(host.values("endpoint__code")[:1]),
            host_name=Subquery(host.values("endpoint__name")[:1]),
            host_level=Subquery(host.values("endpoint__level")[:1]),
            site_count=Coalesce(Subquery(site_count), 0, output_field=IntegerField()),
        )
        .order_by("conference__start", "pk")
    )


def details() -> MeetingQuerySet:
    """Summaries plus the sites in tree order, the attendees, the organiser and the series."""
    return (
        summaries()
        .select_related("organiser", "series")
        .prefetch_related(
            Prefetch(
                "conference__legs",
                queryset=Leg.objects.select_related("endpoint").order_by("endpoint__path"),
                to_attr="site_legs",
            ),
            Prefetch(
                "attendees",
                queryset=Attendee.objects.select_related("user").order_by("user__username"),
            ),
        )
    )


def filter_meetings(meetings: QuerySet[Meeting], filters: dict, user: User) -> QuerySet[Meeting]:
    """Apply the validated `MeetingFilterSerializer` data."""
    if "from" in filters:
        meetings = meetings.filter(conference__end__gt=filters["from"])
    if "to" in filters:
        meetings = meetings.filter(conference__start__lt=filters["to"])
    if "status" in filters:
        meetings = meetings.filter(status=filters["status"])
    if "classification" in filters:
        meetings = meetings.filter(classification=filters["classification"])
    if "level" in filters:
        meetings = with_leg(meetings, user, Q(endpoint__level=filters["level"]))
    if "province" in filters:
        meetings = with_leg(meetings, user, Q(endpoint__path__startswith=filters["province"].path))
    if "site" in filters:
        meetings = with_leg(meetings, user, Q(endpoint=filters["site"]))
    if filters["mine"]:
        meetings = meetings.filter(invited(user) | serving(user))
    return meetings


def with_leg(meetings: QuerySet[Meeting], user: User, condition: Q) -> QuerySet[Meeting]:
    """Meetings with a site matching `condition`, without revealing a busy meeting's sites."""
    legs = Leg.objects.filter(condition, conference=OuterRef("conference"))
    if can_book_meetings(user):
        return meetings.filter(Exists(legs))
    readable = with_details(user).values("pk")
    return meetings.filter(
        Q(Exists(legs), pk__in=readable) | Q(Exists(legs.filter(endpoint__technicians=user.pk)))
    )
