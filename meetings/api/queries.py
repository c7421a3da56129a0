"""The querysets behind the meetings API: constant queries whatever the number of meetings.

The list's site filters (level, province, site, mine) are the web lists' own,
meetings.visibility.filter_by_sites: they must not reveal the sites of a
confidential session the user may only see as busy time.
"""

from django.db.models import Prefetch, QuerySet

from conferencing.models import Leg
from meetings.models import Attendee, Meeting, MeetingQuerySet
from meetings.visibility import SiteFilters, User, filter_by_sites, searched


def summaries() -> MeetingQuerySet:
    """Meetings with what a list shows (`MeetingQuerySet.with_summary`) and their bridge
    and series; one query."""
    return Meeting.objects.select_related("conference__bridge", "series").with_summary()


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
    """Apply the validated `MeetingFilterSerializer` data; the site filters are the web's
    (visibility.filter_by_sites)."""
    if "from" in filters:
        meetings = meetings.filter(conference__end__gt=filters["from"])
    if "to" in filters:
        meetings = meetings.filter(conference__start__lt=filters["to"])
    if "status" in filters:
        meetings = meetings.filter(status=filters["status"])
    if "classification" in filters:
        meetings = meetings.filter(classification=filters["classification"])
    if "q" in filters:
        meetings = searched(user, meetings, filters["q"])
    sites = SiteFilters(
        level=filters.get("level"),
        subtree=filters["province"].path if "province" in filters else None,
        site_id=filters["site"].pk if "site" in filters else None,
        mine=filters["mine"],
        office_scope=filters.get("office_scope", ""),
    )
    return filter_by_sites(meetings, user, sites)
