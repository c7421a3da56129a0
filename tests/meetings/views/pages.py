"""What the session pages' tests share: their URLs, bookings made in the database, a valid
booking form, the flashed messages.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

from datetime import timedelta

from django.contrib.messages import get_messages

from conferencing.site_selection import SiteSelection
from meetings.models import Meeting
from tests.factories import booked, local_time

AGENDA_URL = "/meetings/"
WEEK_URL = "/meetings/week/"
BOOK_URL = "/meetings/new/"
CHECK_URL = "/meetings/check/"
DAY = 7  # days ahead of today for the sessions of these tests


def book_province(user, bridge, code, start, hours=2, **details) -> Meeting:
    return booked(
        user,
        bridge_id=bridge.pk,
        sites=SiteSelection(subtrees=(code,)),
        host_code=code,
        slot__start=start,
        slot__end=start + timedelta(hours=hours),
        **{f"details__{name}": value for name, value in details.items()},
    )


def booking_data(bridge, /, **overrides) -> dict:
    """A valid booking form: T02 with its communes, 08:00 to 10:00 local, a week ahead."""
    data = {
        "title": "Giao ban tháng 11",
        "agenda": "Tình hình kinh tế - xã hội",
        "organising_unit": "Văn phòng UBND",
        "classification": "internal",
        "bridge": str(bridge.pk),
        "date": local_time(DAY, 8).date().isoformat(),
        "start_time": "08:00",
        "end_time": "10:00",
        "setup_minutes": "60",
        "subtrees": ["T02"],
        "host": "T02",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def url_for(name: str, meeting: Meeting) -> str:
    return {
        "agenda": AGENDA_URL,
        "week": WEEK_URL,
        "detail": f"/meetings/{meeting.pk}/",
        "book": BOOK_URL,
        "reschedule": f"/meetings/{meeting.pk}/reschedule/",
        "sites": f"/meetings/{meeting.pk}/sites/",
        "cancel": f"/meetings/{meeting.pk}/cancel/",
    }[name]
