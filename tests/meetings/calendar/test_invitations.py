"""Invitations by e-mail, as the task worker sends them after each change commits.

Booking sends METHOD:REQUEST; each change a REQUEST with a higher SEQUENCE; cancelling
METHOD:CANCEL. A series is one invitation (RRULE), whatever its number of occurrences.
The tests run the real database worker on the calendar queue (`db_worker --batch`).

Sites: TW; T01, T02; communes X0101, X0102 under T01, X0201, X0202 under T02.
bob serves T01, dung serves T02; carol is invited by name.
"""

import email
import email.policy
import re
import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.booking import Slot, cancel, change_sites, reschedule
from meetings.calendar import invitations
from meetings.calendar.answers import Ticket, read_token, record_answer
from meetings.calendar.models import CalendarPreference, SentInvitation
from meetings.models import AttendeeRole, Classification
from meetings.series import book_series, reschedule_following
from tests.factories import (
    LOCAL_ZONE,
    BookingRequestFactory,
    BridgeFactory,
    UserFactory,
    booked,
    local_time,
    serve,
)
from tests.meetings.calendar.helpers import parse, parse_independently, vevents

pytestmark = pytest.mark.django_db(transaction=True)

WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
TASK_PATH = "meetings.calendar.invitations.send_invitations"
HOUR = timedelta(hours=1)
DASH = "\N{EN DASH}"
WEEK = timedelta(weeks=1)


def run_worker() -> None:
    """The database worker on the calendar queue until nothing is due (signals restored)."""
    handlers = {number: signal.getsignal(number) for number in WORKER_SIGNALS}
    try:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--queue-name", "calendar", verbosity=0
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def enqueued() -> list[tuple]:
    rows = DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at")
    return [(row.queue_name, *row.args_kwargs["args"]) for row in rows]


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương")


@pytest.fixture
def dung(db):
    return UserFactory(username="dung", roles=[Role.TECHNICIAN])


@pytest.fixture
def people(sites, bob, carol, dung):
    serve(bob, "T01")
    serve(dung, "T02")
    CalendarPreference.objects.create(user=carol, language="en")
    CalendarPreference.objects.create(user=bob, language="en")
    return {"bob": bob, "carol": carol, "dung": dung}


def book(alice, bridge, carol, codes=("T01",), start=None, **details):
    return booked(
        alice,
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=codes),
        host_code=codes[0],
        slot__start=start or local_time(3, 8),
        details__attendees=((carol.pk, AttendeeRole.MEMBER),),
        **{f"details__{name}": value for name, value in details.items()},
    )


def mime(message):
    """The message as it goes on the wire, parsed back."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def inline_calendar(message):
    """The text/calendar alternative the calendar clients act on."""
    (part,) = [part for part in mime(message).walk() if part.get_content_type() == "text/calendar"]
    return part


def ics_of(message) -> tuple[str, bytes, object]:
    part = inline_calendar(message)
    return part.get_content_type(), part.get_payload(decode=True), part


def body_of(message, subtype: str = "plain") -> str:
    (part,) = [
        part for part in mime(message).walk() if part.get_content_type() == f"text/{subtype}"
    ]
    return part.get_content()


def method_of(message) -> str:
    _type, _text, part = ics_of(message)
    return part.get_param("method")


def event_of(message):
    _type, text, _part = ics_of(message)
    return vevents(parse(text))[0]


def to(messages) -> list[str]:
    return [address for message in messages for address in message.to]


# -- Booking -------------------------------------------------------------------------------------


def test_booking_sends_a_request_to_attendees_and_technicians(alice, people, bridge, mailoutbox):
    meeting = book(alice, bridge, people["carol"], title="Giao ban quý IV")

    run_worker()

    assert to(mailoutbox) == ["bob@example.vn", "carol@example.vn"]
    message = mailoutbox[0]
    content_type, text, part = ics_of(message)
    assert content_type == "text/calendar"
    assert (part.get_param("method"), part.get_param("charset")) == ("REQUEST", "utf-8")
    assert text.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = parse(text)
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = vevents(calendar)
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
        meeting.uid,
        0,
        "CONFIRMED",
    )
    assert str(event["ATTENDEE"]) == "mailto:bob@example.vn"
    assert str(event["ORGANIZER"]) == "mailto:alice@example.vn"
    start = timezone.localtime(meeting.conference.start, LOCAL_ZONE)
    assert message.subject == f"Invitation: Giao ban quý IV ({start:%d/%m/%Y %H:%M})"
    assert body_of(message).startswith("You are invited to this session.")
    assert "Session: Giao ban quý IV" in body_of(message)
    assert parse_independently(text).vevent.uid.value == meeting.uid


def test_invitation_shows_a_title_with_markup_characters_as_typed(
    alice, people, bridge, mailoutbox
):
    book(alice, bridge, people["carol"], title="""Giao ban "Q&A" <tỉnh> 'quý IV'""")

    run_worker()

    message = mailoutbox[0]
    assert message.subject.startswith("""Invitation: Giao ban "Q&A" <tỉnh> 'quý IV' (""")
    assert """Session: Giao ban "Q&A" <tỉnh> 'quý IV'""" in body_of(message)


def test_invitation_is_enqueued_once_on_the_calendar_queue_after_commit(alice, people, bridge):
    meeting = book(alice, bridge, people["carol"])

    assert enqueued() == [("calendar", "meeting", meeting.pk, 0)]


def test_recipients_without_e_mail_or_who_opted_out_get_nothing(alice, people, bridge, mailoutbox):
    CalendarPreference.objects.filter(user=people["bob"]).update(receive_invitations=False)
    erin = UserFactory(username="erin", email="", roles=[Role.TECHNICIAN])
    serve(erin, "T01")

    book(alice, bridge, people["carol"])
    run_worker()

    assert to(mailoutbox) == ["carol@example.vn"]


def test_body_is_in_the_recipients_language_vietnamese_by_default(
    alice, people, bridge, mailoutbox
):
    book(alice, bridge, people["carol"], codes=("T02",), title="Họp")

    run_worker()

    by_address = {message.to[0]: message for message in mailoutbox}
    assert body_of(by_address["carol@example.vn"]).startswith("You are invited to this session.")
    # dung chose no language: Vietnamese, the site's default (the lead adds its strings).
    assert set(by_address) == {"carol@example.vn", "dung@example.vn"}
    dung_event = event_of(by_address["dung@example.vn"])
    assert str(dung_event["SUMMARY"]) == "Họp"


# -- Changes and cancellation ---------------------------------------------------------------------


def test_reschedule_sends_a_request_with_a_higher_sequence(alice, people, bridge, mailoutbox):
    meeting = book(alice, bridge, people["carol"], title="Giao ban")
    run_worker()
    later = local_time(3, 14)

    reschedule(meeting, Slot(later, later + 2 * HOUR, 60), alice)
    run_worker()

    updates = mailoutbox[2:]
    assert to(updates) == ["bob@example.vn", "carol@example.vn"]
    assert {method_of(message) for message in updates} == {"REQUEST"}
    event = event_of(updates[0])
    assert (str(event["UID"]), int(event["SEQUENCE"]), event["DTSTART"].dt) == (
        meeting.uid,
        1,
        later,
    )
    assert updates[0].subject == f"Updated: Giao ban ({later:%d/%m/%Y %H:%M})"


def test_cancel_sends_cancel_with_status_cancelled(alice, people, bridge, mailoutbox):
    meeting = book(alice, bridge, people["carol"], title="Giao ban")
    run_worker()

    cancel(meeting, "Hoãn", alice)
    run_worker()

    cancels = mailoutbox[2:]
    assert to(cancels) == ["bob@example.vn", "carol@example.vn"]
    assert {method_of(message) for message in cancels} == {"CANCEL"}
    _type, text, _part = ics_of(cancels[0])
    assert str(parse(text)["METHOD"]) == "CANCEL"
    event = event_of(cancels[0])
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
        meeting.uid,
        1,
        "CANCELLED",
    )
    start = timezone.localtime(meeting.conference.start, LOCAL_ZONE)
    assert cancels[0].subject == f"Cancelled: Giao ban ({start:%d/%m/%Y %H:%M})"
    assert body_of(cancels[0]).startswith("This session is cancelled.")


def test_site_removed_from_the_session_gets_a_cancel_and_a_new_one_a_request(
    alice, people, bridge, mailoutbox
):
    meeting = book(alice, bridge, people["carol"], codes=("T01",))
    run_worker()

    change_sites(meeting, SiteSelection(sites=("T02",)), "T02", alice)
    run_worker()

    changes = {message.to[0]: method_of(message) for message in mailoutbox[2:]}
    assert changes == {
        "bob@example.vn": "CANCEL",
        "carol@example.vn": "REQUEST",
        "dung@example.vn": "REQUEST",
    }
    assert dict(
        SentInvitation.objects.filter(uid=meeting.uid).values_list("user__username", "method")
    ) == {"bob": "CANCEL", "carol": "REQUEST", "dung": "REQUEST"}


def test_confidential_session_is_busy_for_technicians_not_invited(
    alice, people, bridge, mailoutbox
):
    book(
        alice,
        bridge,
        people["carol"],
        title="Phương án nhân sự",
        agenda="Bổ nhiệm",
        classification=Classification.CONFIDENTIAL,
    )

    run_worker()

    by_address = {message.to[0]: message for message in mailoutbox}
    technician = by_address["bob@example.vn"]
    _type, text, _part = ics_of(technician)
    for secret in ("Phương án nhân sự", "Bổ nhiệm"):
        assert secret not in technician.subject
        assert secret not in body_of(technician)
        assert secret not in body_of(technician, "html")
        assert secret not in text.decode().replace("\r\n ", "")
    assert str(event_of(technician)["SUMMARY"]) == "Confidential meeting"
    assert str(event_of(by_address["carol@example.vn"])["SUMMARY"]) == "Phương án nhân sự"


def test_superseded_task_sends_nothing(alice, people, bridge, mailoutbox):
    meeting = book(alice, bridge, people["carol"])
    reschedule(meeting, Slot(local_time(3, 14), local_time(3, 16), 60), alice)

    stale = invitations.send_invitations.call("meeting", meeting.pk, 0)
    run_worker()

    assert stale == {"request": 0, "cancel": 0}
    assert len(mailoutbox) == 2
    assert {int(event_of(message)["SEQUENCE"]) for message in mailoutbox} == {1}


# -- Series ---------------------------------------------------------------------------------------


def series(alice, bridge, carol, count=5, **details):
    request = BookingRequestFactory(
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=local_time(3, 8),
        details__attendees=((carol.pk, AttendeeRole.MEMBER),),
        **{f"details__{name}": value for name, value in details.items()},
    )
    return book_series(request, f"FREQ=WEEKLY;COUNT={count}", alice)


def test_series_booking_sends_one_invitation_with_the_rule(alice, people, bridge, mailoutbox):
    outcome = series(alice, bridge, people["carol"], count=5)

    run_worker()

    assert to(mailoutbox) == ["bob@example.vn", "carol@example.vn"]
    (event,) = vevents(parse(ics_of(mailoutbox[0])[1]))
    assert str(event["UID"]) == outcome.series.uid
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=5"
    assert "the attached file holds every session of the series" in body_of(mailoutbox[0])


def test_cancelling_one_occurrence_sends_a_cancel_of_that_occurrence(
    alice, people, bridge, mailoutbox
):
    outcome = series(alice, bridge, people["carol"], count=3, title="Giao ban tuần")
    run_worker()
    second = outcome.booked[1]

    cancel(second, "Nghỉ lễ", alice)
    run_worker()

    cancels = mailoutbox[2:]
    assert to(cancels) == ["bob@example.vn", "carol@example.vn"]
    assert {method_of(message) for message in cancels} == {"CANCEL"}
    calendar = parse(ics_of(cancels[0])[1])
    assert str(calendar["METHOD"]) == "CANCEL"
    (event,) = vevents(calendar)
    assert (str(event["UID"]), event["RECURRENCE-ID"].dt, int(event["SEQUENCE"])) == (
        outcome.series.uid,
        local_time(3, 8) + WEEK,
        1,
    )
    assert str(event["STATUS"]) == "CANCELLED"
    assert "RRULE" not in event
    start = local_time(3, 8) + WEEK
    assert cancels[0].subject == f"Cancelled: Giao ban tuần ({start:%d/%m/%Y %H:%M})"
    assert body_of(cancels[0]).startswith(
        "This session of the series is cancelled; the other sessions go ahead."
    )


def test_moving_one_occurrence_sends_that_occurrence_and_says_from_when_to_when(
    alice, people, bridge, mailoutbox
):
    outcome = series(alice, bridge, people["carol"], count=3, title="Giao ban tuần")
    run_worker()
    second = outcome.booked[1]
    was = second.conference.start
    later = was + 6 * HOUR

    reschedule(second, Slot(later, later + 2 * HOUR, 60), alice)
    run_worker()

    updates = mailoutbox[2:]
    assert to(updates) == ["bob@example.vn", "carol@example.vn"]
    assert {method_of(message) for message in updates} == {"REQUEST"}
    (event,) = vevents(parse(ics_of(updates[0])[1]))
    assert (str(event["UID"]), event["RECURRENCE-ID"].dt, int(event["SEQUENCE"])) == (
        outcome.series.uid,
        was,
        1,
    )
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (later, later + 2 * HOUR)
    assert "RRULE" not in event
    assert updates[0].subject == f"Updated: Giao ban tuần ({later:%d/%m/%Y %H:%M})"
    body = body_of(updates[0])
    assert body.startswith("This session of the series has changed; the other sessions are")
    assert f"Time: {was:%d/%m/%Y %H:%M} {DASH} 10:00 → {later:%d/%m/%Y %H:%M} {DASH} 16:00" in body
    assert f"{outcome.booked[0].conference.start:%d/%m/%Y}" not in body


def test_moving_following_occurrences_sends_them_as_occurrences_once_per_recipient(
    alice, people, bridge, mailoutbox
):
    outcome = series(alice, bridge, people["carol"], count=4)
    run_worker()
    second = outcome.booked[1].conference.start

    reschedule_following(outcome.booked[1], Slot(second + HOUR, second + 3 * HOUR, 60), alice)
    run_worker()

    updates = mailoutbox[2:]
    assert to(updates) == ["bob@example.vn", "carol@example.vn"]
    events = vevents(parse(ics_of(updates[0])[1]))
    assert [int(event["SEQUENCE"]) for event in events] == [1, 1, 1]
    assert [event["RECURRENCE-ID"].dt for event in events] == [
        second,
        second + WEEK,
        second + 2 * WEEK,
    ]
    assert [event["DTSTART"].dt for event in events] == [
        second + HOUR,
        second + WEEK + HOUR,
        second + 2 * WEEK + HOUR,
    ]
    assert body_of(updates[0]).startswith("These 3 sessions of the series have changed;")
    series_tasks = [args[:4] for args in enqueued() if args[1] != "meeting"]
    assert series_tasks == [
        ("calendar", "series", outcome.series.pk, 0),
        ("calendar", "occurrences", outcome.series.pk, 3),
    ]


def test_cancelling_the_whole_series_sends_cancel(alice, people, bridge, mailoutbox):
    from meetings.series import cancel_following

    outcome = series(alice, bridge, people["carol"], count=3)
    run_worker()

    cancel_following(outcome.booked[0], "Dừng", alice)
    run_worker()

    cancels = mailoutbox[2:]
    assert {method_of(message) for message in cancels} == {"CANCEL"}
    (event,) = vevents(parse(ics_of(cancels[0])[1]))
    assert (str(event["UID"]), str(event["STATUS"]), int(event["SEQUENCE"])) == (
        outcome.series.uid,
        "CANCELLED",
        3,
    )


# -- What every client needs (iTIP, RFC 5546) -----------------------------------------------------


def test_invitation_is_multipart_alternative_with_an_inline_calendar_and_the_ics_attached(
    alice, people, bridge, mailoutbox
):
    book(alice, bridge, people["carol"], title="Giao ban")

    run_worker()

    message = mime(mailoutbox[0])
    assert message.get_content_type() == "multipart/mixed"
    alternative, attached = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    inline = list(alternative.iter_parts())[2]
    assert inline.get_param("method") == "REQUEST"
    assert inline.get_content_disposition() is None
    assert (attached.get_content_type(), attached.get_content_disposition()) == (
        "application/ics",
        "attachment",
    )
    assert attached.get_filename() == "invite.ics"
    assert attached.get_payload(decode=True) == inline.get_payload(decode=True)
    assert b"\r\nEND:VCALENDAR\r\n" in inline.get_payload(decode=True)


def test_busy_invitation_of_a_confidential_session_names_giao_ban_as_organizer(
    alice, people, bridge, mailoutbox
):
    book(alice, bridge, people["carol"], classification=Classification.CONFIDENTIAL)

    run_worker()

    by_address = {message.to[0]: message for message in mailoutbox}
    busy = event_of(by_address["bob@example.vn"])
    assert str(busy["ORGANIZER"]) == "mailto:no-reply@giaoban.local"
    assert busy["ORGANIZER"].params["CN"] == "Giao Ban"
    invited = event_of(by_address["carol@example.vn"])
    assert str(invited["ORGANIZER"]) == "mailto:alice@example.vn"


def test_chair_and_observer_roles_and_an_answer_asked_of_each(alice, people, bridge, mailoutbox):
    erin = UserFactory(username="erin", full_name="Trần Thị Ê", roles=[Role.ATTENDEE])
    booked(
        alice,
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=local_time(3, 8),
        details__attendees=(
            (people["carol"].pk, AttendeeRole.CHAIR),
            (erin.pk, AttendeeRole.OBSERVER),
        ),
    )

    run_worker()

    attendees = {message.to[0]: event_of(message)["ATTENDEE"].params for message in mailoutbox}
    assert {address: params["ROLE"] for address, params in attendees.items()} == {
        "bob@example.vn": "REQ-PARTICIPANT",
        "carol@example.vn": "CHAIR",
        "erin@example.vn": "OPT-PARTICIPANT",
    }
    assert {params["RSVP"] for params in attendees.values()} == {"TRUE"}
    assert {params["PARTSTAT"] for params in attendees.values()} == {"NEEDS-ACTION"}
    assert attendees["erin@example.vn"]["CN"] == "Trần Thị Ê"


def test_request_offers_links_to_answer_and_a_cancel_does_not(alice, people, bridge, mailoutbox):
    meeting = book(alice, bridge, people["carol"])
    run_worker()
    carol = people["carol"]

    invitation = next(message for message in mailoutbox if message.to == [carol.email])
    offered = answer_tickets(body_of(invitation))
    assert offered == [
        Ticket(carol.pk, meeting.uid, answer) for answer in ("accepted", "declined", "tentative")
    ]
    assert answer_tickets(body_of(invitation, "html")) == offered

    cancel(meeting, "Hoãn", alice)
    run_worker()

    cancellation = next(message for message in mailoutbox[2:] if message.to == [carol.email])
    assert answer_tickets(body_of(cancellation)) == []
    assert event_of(cancellation)["ATTENDEE"].params["RSVP"] == "FALSE"


def answer_tickets(body: str) -> list:
    """What each answer link in the body says (its token signs the moment it was made,
    so the links themselves are compared through what they carry)."""
    return [read_token(token) for token in re.findall(r"/calendar/answer/([^/\s\"]+)/", body)]


def test_moved_session_says_its_former_and_new_time(alice, people, bridge, mailoutbox):
    meeting = book(alice, bridge, people["carol"])
    run_worker()
    was = meeting.conference.start
    later = local_time(4, 14)

    reschedule(meeting, Slot(later, later + 2 * HOUR, 60), alice)
    run_worker()

    body = body_of(mailoutbox[2])
    assert "What changed:" in body
    assert (
        f"- Time: {was:%d/%m/%Y} 08:00 {DASH} 10:00 → {later:%d/%m/%Y} 14:00 {DASH} 16:00" in body
    )
    assert f"Time: {later:%d/%m/%Y} 14:00 {DASH} 16:00 (Asia/Ho_Chi_Minh)" in body


def test_session_across_midnight_shows_its_end_date(alice, people, bridge, mailoutbox):
    start = local_time(3, 22)
    booked(
        alice,
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=start,
        slot__end=start + 3 * HOUR,
    )

    run_worker()

    end = start + 3 * HOUR
    assert f"Time: {start:%d/%m/%Y} 22:00 {DASH} {end:%d/%m/%Y} 01:00" in body_of(mailoutbox[0])


def test_site_change_lists_the_sites_and_tells_the_removed_technician_they_were_removed(
    alice, people, bridge, mailoutbox, sites
):
    meeting = book(alice, bridge, people["carol"], codes=("T01", "X0101"))
    run_worker()

    change_sites(meeting, SiteSelection(sites=("X0101", "T02")), "X0101", alice)
    run_worker()

    by_address = {message.to[0]: message for message in mailoutbox[2:]}
    body = body_of(by_address["carol@example.vn"])
    assert f"Site added (1): {sites['T02'].name}" in body
    assert f"Site removed (1): {sites['T01'].name}" in body
    removed = by_address["bob@example.vn"]
    assert method_of(removed) == "CANCEL"
    assert removed.subject.startswith("Removed from: ")
    assert body_of(removed).startswith("You were removed from this session")
    assert "cancelled:" not in removed.subject.lower()
    event = event_of(removed)
    assert "STATUS" not in event
    assert not str(event["SUMMARY"]).startswith("Cancelled")


def test_technician_of_a_site_removed_from_one_occurrence_is_told_of_that_occurrence(
    alice, people, bridge, mailoutbox
):
    request = BookingRequestFactory(
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=("T01", "T02")),
        host_code="T02",
        slot__start=local_time(3, 8),
    )
    outcome = book_series(request, "FREQ=WEEKLY;COUNT=3", alice)
    run_worker()
    second = outcome.booked[1]

    change_sites(second, SiteSelection(sites=("T02",)), "T02", alice)
    run_worker()

    by_address = {message.to[0]: message for message in mailoutbox[2:]}
    assert set(by_address) == {"bob@example.vn", "dung@example.vn"}
    removed = by_address["bob@example.vn"]
    assert method_of(removed) == "CANCEL"
    (event,) = vevents(parse(ics_of(removed)[1]))
    assert (str(event["UID"]), event["RECURRENCE-ID"].dt) == (
        outcome.series.uid,
        local_time(3, 8) + WEEK,
    )
    assert "STATUS" not in event
    assert body_of(removed).startswith("You were removed from this session")
    assert method_of(by_address["dung@example.vn"]) == "REQUEST"
    # bob keeps the other occurrences: he still holds the series.
    assert SentInvitation.objects.get(uid=outcome.series.uid, user=people["bob"]).method == (
        "REQUEST"
    )


def test_an_occurrence_changed_before_the_series_invitation_went_sends_the_series_whole(
    alice, people, bridge, mailoutbox
):
    outcome = series(alice, bridge, people["carol"], count=3)
    cancel(outcome.booked[1], "Nghỉ lễ", alice)

    run_worker()

    assert to(mailoutbox) == ["bob@example.vn", "carol@example.vn"]
    assert {method_of(message) for message in mailoutbox} == {"REQUEST"}
    (event,) = vevents(parse(ics_of(mailoutbox[0])[1]))
    assert str(event["UID"]) == outcome.series.uid
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=3"
    assert [when.dt for when in event["EXDATE"].dts] == [local_time(3, 8) + WEEK]


def test_a_recorded_answer_is_the_partstat_of_later_updates(alice, people, bridge, mailoutbox):
    meeting = book(alice, bridge, people["carol"], codes=("T01",))
    run_worker()
    record_answer(people["carol"].pk, meeting.uid, "accepted")

    change_sites(meeting, SiteSelection(sites=("T01", "T02")), "T01", alice)
    run_worker()

    update = next(message for message in mailoutbox[2:] if message.to == ["carol@example.vn"])
    assert event_of(update)["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"


def test_a_new_time_asks_everyone_again(alice, people, bridge, mailoutbox):
    meeting = book(alice, bridge, people["carol"])
    run_worker()
    record_answer(people["carol"].pk, meeting.uid, "declined")
    later = local_time(4, 14)

    reschedule(meeting, Slot(later, later + 2 * HOUR, 60), alice)
    run_worker()

    update = next(message for message in mailoutbox[2:] if message.to == ["carol@example.vn"])
    assert event_of(update)["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert SentInvitation.objects.get(uid=meeting.uid, user=people["carol"]).answer == ""


def test_each_recipient_costs_one_query_their_calendar(alice, people, bridge, mailoutbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_invite(attendees: int) -> int:
        guests = [UserFactory(roles=[Role.ATTENDEE]) for _n in range(attendees)]
        meeting = booked(
            alice,
            bridge_id=bridge.pk,
            sites=SiteSelection(sites=("T01",)),
            host_code="T01",
            slot__start=local_time(3 + attendees, 8),
            details__attendees=tuple((guest.pk, AttendeeRole.MEMBER) for guest in guests),
        )
        with CaptureQueriesContext(connection) as captured:
            invitations.send_invitations.call("meeting", meeting.pk, 0)
        return len(captured)

    two, five = queries_to_invite(2), queries_to_invite(5)

    assert five - two == 3
