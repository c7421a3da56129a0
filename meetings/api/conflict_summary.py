"""A 409 `conflict` told by session, not by site: a national re-booking against another
national session conflicts on thousands of sites, and listing each would answer a
megabyte. Each conflicting session comes once, named as the person asking may see it
(booking.describe_site_conflicts: a confidential one they may not read is "busy", with
no id), with its number of conflicting sites and the first FIRST_SITES of them; the
bridge's overloaded instants are summed up the same way. A series' conflicts are the
same per occurrence."""

from itertools import groupby

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from httpapi.problem_schema import ProblemSerializer
from meetings.booking import ConflictReport, Slot, TakenSite

FIRST_SITES = 10
FIRST_INSTANTS = 10


class SiteNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ConflictingSessionSerializer(serializers.Serializer):
    """Another session holding some of the chosen sites in the requested time."""

    meeting_id = serializers.IntegerField(
        allow_null=True, help_text=_("Null for a session the user may not read (busy).")
    )
    busy = serializers.BooleanField(
        help_text=_("The session is confidential and the user may not read it.")
    )
    title = serializers.CharField(help_text=_('Its title, or "Busy (confidential session)".'))
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    overlap_start = serializers.DateTimeField()
    overlap_end = serializers.DateTimeField()
    site_count = serializers.IntegerField(help_text=_("How many chosen sites it holds."))
    sites = SiteNameSerializer(
        many=True, help_text=_("The first %(count)d of those sites.") % {"count": FIRST_SITES}
    )


class InstantSerializer(serializers.Serializer):
    instant = serializers.DateTimeField()
    legs = serializers.IntegerField()


class CapacitySummarySerializer(serializers.Serializer):
    """The bridge would carry more legs than its ports at some instants."""

    capacity = serializers.IntegerField()
    most_legs = serializers.IntegerField()
    instant_count = serializers.IntegerField()
    instants = InstantSerializer(
        many=True,
        help_text=_("The first %(count)d overloaded instants.") % {"count": FIRST_INSTANTS},
    )


class ConflictSummarySerializer(serializers.Serializer):
    sessions = ConflictingSessionSerializer(many=True)
    capacity = CapacitySummarySerializer(allow_null=True)


class OccurrenceSummarySerializer(ConflictSummarySerializer):
    """One occurrence of a series and what stands in its way."""

    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


def session_of(site: TakenSite) -> tuple:
    return (site.meeting_start, site.conference_id)


def session_summary(sites: list[TakenSite]) -> dict:
    first = sites[0]
    return {
        "meeting_id": first.meeting_id,
        "busy": first.meeting_id is None,
        "title": first.meeting_title,
        "start": first.meeting_start,
        "end": first.meeting_end,
        "overlap_start": min(site.overlap_start for site in sites),
        "overlap_end": max(site.overlap_end for site in sites),
        "site_count": len(sites),
        "sites": [{"code": site.site, "name": site.site_name} for site in sites[:FIRST_SITES]],
    }


def capacity_summary(report: ConflictReport) -> dict | None:
    if not report.capacity:
        return None
    return {
        "capacity": report.capacity[0].capacity,
        "most_legs": max(item.legs for item in report.capacity),
        "instant_count": len(report.capacity),
        "instants": [
            {"instant": item.instant, "legs": item.legs}
            for item in report.capacity[:FIRST_INSTANTS]
        ],
    }


def summary(report: ConflictReport) -> dict:
    """The conflicting sessions in time order, each once; the sites of each in the
    report's order."""
    ordered = sorted(report.sites, key=session_of)
    sessions = [session_summary(list(sites)) for _key, sites in groupby(ordered, key=session_of)]
    return ConflictSummarySerializer(
        {"sessions": sessions, "capacity": capacity_summary(report)}
    ).data


def occurrence_summary(slot: Slot, report: ConflictReport) -> dict:
    field = serializers.DateTimeField()
    return {
        "start": field.to_representation(slot.start),
        "end": field.to_representation(slot.end),
        **summary(report),
    }


def occurrence_summaries(occurrences: list[tuple[Slot, ConflictReport]]) -> list[dict]:
    return [occurrence_summary(slot, report) for slot, report in occurrences]


class ConflictProblemSerializer(ProblemSerializer):
    """409 `conflict`: the sessions in the way (or per occurrence, for a series); nothing
    was written."""

    sessions = ConflictingSessionSerializer(many=True, required=False)
    capacity = CapacitySummarySerializer(allow_null=True, required=False)
    occurrences = OccurrenceSummarySerializer(many=True, required=False)
