"""What an event tells a subscribing office: ids and the public summary it may see.

A subscription belongs to an office, not a person, so a confidential session shows as
busy time only (meetings.visibility.open_to(None)): its id, calendar UID and times,
never its title, agenda, organiser or sites.
"""

from collections import Counter
from datetime import datetime

from django.utils import timezone

from conferencing.models import Leg, LegRole
from meetings.models import Meeting
from meetings.visibility import open_to


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(timezone.UTC).isoformat()


def meetings_by_id(ids: list[int]) -> dict[int, Meeting]:
    found = Meeting.objects.filter(pk__in=ids).select_related("conference", "owner_office")
    return {meeting.pk: meeting for meeting in found}


def readable(ids: list[int]) -> set[int]:
    """Of these meetings, those whose details an office's subscription may carry."""
    return set(
        Meeting.objects.filter(pk__in=ids).filter(open_to(None)).values_list("pk", flat=True)
    )


def sites_of(meetings: list[Meeting]) -> dict[int, tuple[str | None, list[str]]]:
    """Per conference: the host's code and every site's code, in code order."""
    legs = Leg.objects.filter(conference__in=[m.conference_id for m in meetings]).values_list(
        "conference_id", "endpoint__code", "role"
    )
    found: dict[int, tuple[str | None, list[str]]] = {}
    for conference_id, code, role in sorted(legs, key=lambda leg: leg[1]):
        host, codes = found.get(conference_id, (None, []))
        codes.append(code)
        found[conference_id] = (code if role == LegRole.HOST else host, codes)
    return found


def meeting_summary(
    meeting: Meeting, details: bool, sites: tuple[str | None, list[str]] | None
) -> dict:
    summary = {
        "id": meeting.pk,
        "uid": meeting.uid,
        "series": meeting.series_id,
        "status": meeting.status,
        "start": iso(meeting.conference.start),
        "end": iso(meeting.conference.end),
        "owner_office": meeting.owner_office.code if meeting.owner_office else None,
        "details_visible": details,
    }
    if details:
        host, codes = sites or (None, [])
        summary |= {
            "title": meeting.title,
            "organising_unit": meeting.organising_unit,
            "classification": meeting.classification,
            "host": host,
            "sites": codes,
        }
    return summary


def summaries(ids: list[int]) -> dict[int, dict]:
    """The summary of each meeting (that still exists), in four queries whatever their number."""
    meetings = meetings_by_id(ids)
    shown = readable(list(meetings))
    sites = sites_of([meetings[pk] for pk in shown])
    return {
        pk: meeting_summary(meeting, pk in shown, sites.get(meeting.conference_id))
        for pk, meeting in meetings.items()
    }


def readiness_counts(conference_id: int) -> dict[str, int]:
    states = Leg.objects.filter(conference_id=conference_id).values_list("state", flat=True)
    return dict(sorted(Counter(states).items()))
