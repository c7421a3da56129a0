"""How an instant is spelled wherever the system writes one out (reports, audit
details, readiness messages): ISO 8601 in UTC; and where a local day begins.

It lives in `conferencing`, the lowest app, because both it and `meetings` (which may
import it, never the reverse) write instants out.
"""

from datetime import UTC, date, datetime, time

from django.utils import timezone


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC. Stored times come back in UTC and requested ones in the
    caller's offset; without this a report (overlap = max/min of the two) mixed
    "+00:00" and "+07:00"."""
    return moment.astimezone(UTC).isoformat()


def local_midnight(day: date) -> datetime:
    """The start of `day` in the current time zone (Asia/Ho_Chi_Minh unless chosen), aware:
    where a local day's sessions begin."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
