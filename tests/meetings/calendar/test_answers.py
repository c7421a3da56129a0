"""Answers to invitations (meetings.calendar.answers): the links of the e-mail, their page
(GET shows, POST records), the PARTSTATs the invitations carry, forgetting answers when
a session moves, the expected attendance.

Sites: TW; T01, T02 and their communes. alice (the centre's secretariat) books the
session; carol is invited by name and holds an e-mailed invitation; bob serves T01 and
holds one too; mallory holds none.
"""

import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client, override_settings

from conferencing.site_selection import SiteSelection
from meetings.calendar import answers
from meetings.calendar.models import Answer, SentInvitation
from meetings.models import Classification
from meetings.series import book_series
from tests.factories import (
    BookingRequestFactory,
    BridgeFactory,
    UserFactory,
    booked,
    local_time,
    serve,
)


@pytest.fixture
def meeting(alice, carol, sites):
    return booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=local_time(3, 8),
        details__title="Giao ban tỉnh",
        details__attendees=((carol.pk, "member"),),
    )


def invite(meeting_or_uid, *users, method: str = "REQUEST") -> None:
    uid = meeting_or_uid if isinstance(meeting_or_uid, str) else meeting_or_uid.uid
    for user in users:
        SentInvitation.objects.create(uid=uid, user=user, sequence=0, method=method)


def answer_of(user, uid: str) -> tuple[str, bool]:
    row = SentInvitation.objects.get(uid=uid, user=user)
    return row.answer, row.answered_at is not None


def path_of(url: str) -> str:
    return url.removeprefix(settings.SITE_URL.rstrip("/"))


def link(user, meeting, answer: str = "accepted") -> str:
    return path_of(answers.answer_links(user.pk, meeting.uid)[answer])


class SignedLongAgo(signing.TimestampSigner):
    """A signer whose clock is 401 days behind: the token it makes has expired."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - int(timedelta(days=401).total_seconds()))


# -- Links and tokens ----------------------------------------------------------------------------


def test_answer_links_are_absolute_one_per_answer_and_read_back(carol, django_assert_num_queries):
    with django_assert_num_queries(0):
        links = answers.answer_links(carol.pk, "abc@giaoban")

    assert sorted(links) == ["accepted", "declined", "tentative"]
    for answer, url in links.items():
        assert url.startswith(settings.SITE_URL.rstrip("/") + "/calendar/answer/")
        token = path_of(url).removeprefix("/calendar/answer/").removesuffix("/")
        assert answers.read_token(token) == answers.Ticket(carol.pk, "abc@giaoban", answer)


@override_settings(SITE_URL="https://giaoban.gov.vn/")
def test_answer_links_follow_site_url():
    links = answers.answer_links(7, "abc@giaoban")

    assert links["declined"].startswith("https://giaoban.gov.vn/calendar/answer/")


def test_a_tampered_token_reads_as_nothing():
    token = answers.answer_token(7, "abc@giaoban", "declined")
    forged = signing.TimestampSigner(salt=answers.SALT).sign_object([8, "abc@giaoban", "accepted"])
    mixed = forged.split(":")[0] + ":" + token.split(":", 1)[1]

    assert answers.read_token(mixed) is None
    assert answers.read_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_a_token_of_another_salt_or_shape_reads_as_nothing():
    other_salt = signing.TimestampSigner(salt="other").sign_object([7, "abc@giaoban", "accepted"])
    not_an_answer = signing.TimestampSigner(salt=answers.SALT).sign_object([7, "abc", "maybe"])

    assert answers.read_token(other_salt) is None
    assert answers.read_token(not_an_answer) is None
    assert answers.read_token("x" * 43) is None
    assert answers.read_token("") is None


def test_an_expired_token_reads_as_nothing():
    expired = SignedLongAgo(salt=answers.SALT).sign_object([7, "abc@giaoban", "accepted"])

    assert answers.read_token(expired) is None


# -- Recording, PARTSTAT, forgetting --------------------------------------------------------------


def test_record_answer_writes_the_answer_and_its_time(carol, meeting):
    invite(meeting, carol)

    recorded = answers.record_answer(carol.pk, meeting.uid, Answer.DECLINED)

    assert recorded.answer == "declined"
    assert answer_of(carol, meeting.uid) == ("declined", True)


def test_record_answer_without_an_invitation_writes_nothing(carol, mallory, meeting):
    invite(meeting, carol, method="CANCEL")

    assert answers.record_answer(mallory.pk, meeting.uid, Answer.ACCEPTED) is None
    assert answers.record_answer(carol.pk, meeting.uid, Answer.ACCEPTED) is None
    assert answer_of(carol, meeting.uid) == ("", False)


def test_record_answer_refuses_what_is_not_an_answer(carol, meeting):
    invite(meeting, carol)

    with pytest.raises(ValueError):
        answers.record_answer(carol.pk, meeting.uid, "")

    assert answer_of(carol, meeting.uid) == ("", False)


def test_partstats_of_those_who_answered_in_one_query(
    carol, bob, mallory, meeting, django_assert_num_queries
):
    invite(meeting, carol, bob, mallory)
    answers.record_answer(carol.pk, meeting.uid, Answer.ACCEPTED)
    answers.record_answer(bob.pk, meeting.uid, Answer.TENTATIVE)

    with django_assert_num_queries(1):
        stats = answers.partstats(meeting.uid, [carol.pk, bob.pk, mallory.pk])

    assert stats == {carol.pk: "ACCEPTED", bob.pk: "TENTATIVE"}


def test_partstats_of_no_one_asks_nothing(meeting, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert answers.partstats(meeting.uid, []) == {}


def test_forget_answers_clears_that_calendar_object_only(carol, bob, meeting, alice):
    invite(meeting, carol, bob)
    invite("other@giaoban", carol)
    answers.record_answer(carol.pk, meeting.uid, Answer.ACCEPTED)
    answers.record_answer(bob.pk, meeting.uid, Answer.DECLINED)
    answers.record_answer(carol.pk, "other@giaoban", Answer.DECLINED)

    cleared = answers.forget_answers(meeting.uid)

    assert cleared == 2
    assert answer_of(carol, meeting.uid) == ("", False)
    assert answer_of(bob, meeting.uid) == ("", False)
    assert answer_of(carol, "other@giaoban") == ("declined", True)


def test_forget_answers_is_one_update(carol, meeting, django_assert_num_queries):
    invite(meeting, carol)
    answers.record_answer(carol.pk, meeting.uid, Answer.ACCEPTED)

    with django_assert_num_queries(1):
        answers.forget_answers(meeting.uid)


# -- Expected attendance ---------------------------------------------------------------------------


def test_expected_attendance_counts_each_answer_and_names_who_answered(meeting, carol):
    lan = UserFactory(username="lan", full_name="Nguyễn Thị Lan")
    an = UserFactory(username="an", full_name="Trần Văn An")
    silent = UserFactory(username="silent")
    withdrawn = UserFactory(username="withdrawn", full_name="Đã rút")
    invite(meeting, carol, lan, an, silent)
    invite(meeting, withdrawn, method="CANCEL")
    answers.record_answer(carol.pk, meeting.uid, Answer.ACCEPTED)
    answers.record_answer(lan.pk, meeting.uid, Answer.DECLINED)
    answers.record_answer(an.pk, meeting.uid, Answer.ACCEPTED)

    attendance = answers.expected_attendance(meeting)

    assert (attendance.accepted, attendance.declined, attendance.tentative) == (2, 1, 0)
    assert (attendance.no_answer, attendance.invited, attendance.names_left_out) == (1, 4, 0)
    assert attendance.accepted_names == ["Carol", "Trần Văn An"]
    assert attendance.declined_names == ["Nguyễn Thị Lan"]


def test_expected_attendance_names_at_most_fifty_and_counts_all(meeting):
    people = [UserFactory(username=f"p{number:02}") for number in range(52)]
    invite(meeting, *people)
    for person in people:
        answers.record_answer(person.pk, meeting.uid, Answer.ACCEPTED)

    attendance = answers.expected_attendance(meeting)

    assert attendance.accepted == 52
    assert len(attendance.accepted_names) == 50
    assert attendance.accepted_names[0] == "p00"
    assert attendance.names_left_out == 2


@pytest.mark.parametrize("count", [1, 3])
def test_expected_attendance_query_count_is_constant(meeting, count, django_assert_num_queries):
    people = [UserFactory(username=f"guest{number}") for number in range(count)]
    invite(meeting, *people)
    for person in people:
        answers.record_answer(person.pk, meeting.uid, Answer.DECLINED)

    with django_assert_num_queries(2):
        attendance = answers.expected_attendance(meeting)

    assert attendance.declined == count


def test_an_occurrence_shows_the_answers_to_its_series(alice, carol, sites):
    request = BookingRequestFactory(
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("T01",)),
        slot__start=local_time(3, 8),
    )
    series = book_series(request, "FREQ=WEEKLY;COUNT=2", alice).series
    invite(series.uid, carol)
    answers.record_answer(carol.pk, series.uid, Answer.TENTATIVE)

    second = series.occurrences.order_by("conference__start").last()

    assert answers.expected_attendance(second).tentative_names == ["Carol"]


# -- The answer page -------------------------------------------------------------------------------


def test_opening_a_link_shows_the_session_and_records_nothing(client, carol, meeting, english):
    invite(meeting, carol)

    response = client.get(link(carol, meeting, "declined"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="answer-session">Giao ban tỉnh</h2>' in html
    start = meeting.conference.start.astimezone(local_time(1, 0).tzinfo)
    assert start.strftime("%d/%m/%Y %H:%M") in html
    assert 'value="declined" id="answer-declined" class="button button-primary" autofocus' in html
    assert 'value="accepted" id="answer-accepted" class="button"' in html
    assert answer_of(carol, meeting.uid) == ("", False)


def test_posting_records_and_a_second_post_changes_the_answer(client, carol, meeting, english):
    invite(meeting, carol)
    url = link(carol, meeting, "accepted")

    first = client.post(url, {"answer": "accepted"})
    recorded = answer_of(carol, meeting.uid)
    second = client.post(url, {"answer": "declined"})

    assert first.status_code == 200
    assert "Your answer was recorded: Accepted." in first.content.decode()
    assert recorded == ("accepted", True)
    assert "Your answer was recorded: Declined." in second.content.decode()
    assert answer_of(carol, meeting.uid) == ("declined", True)


def test_the_page_tells_the_current_answer(client, carol, meeting, english):
    invite(meeting, carol)
    answers.record_answer(carol.pk, meeting.uid, Answer.TENTATIVE)

    response = client.get(link(carol, meeting, "accepted"))

    assert "Your current answer: Tentative." in response.content.decode()


def test_the_form_is_csrf_protected(carol, meeting):
    invite(meeting, carol)

    response = Client(enforce_csrf_checks=True).post(link(carol, meeting), {"answer": "accepted"})

    assert response.status_code == 403
    assert answer_of(carol, meeting.uid) == ("", False)


@pytest.mark.parametrize("posted", [{}, {"answer": ""}, {"answer": "maybe"}])
def test_posting_anything_but_an_answer_is_refused(client, carol, meeting, english, posted):
    invite(meeting, carol)

    response = client.post(link(carol, meeting), posted)

    assert response.status_code == 400
    assert "Choose one of the answers: accept, decline or maybe." in response.content.decode()
    assert answer_of(carol, meeting.uid) == ("", False)


def test_a_confidential_session_shows_only_its_time_to_a_technician(
    client, bob, alice, sites, english
):
    serve(bob, "T01")
    secret = booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=local_time(4, 8),
        details__title="Phiên mật",
        details__classification=Classification.CONFIDENTIAL,
    )
    invite(secret, bob)

    response = client.get(link(bob, secret))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Phiên mật" not in html
    assert 'id="answer-session">Confidential meeting</h2>' in html


CSRF_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def told(content: bytes, path: str) -> bytes:
    """What a page tells, set aside its CSRF token and the path that was asked."""
    content = CSRF_VALUE.sub(b'name="csrfmiddlewaretoken" value=""', content)
    return content.replace(path.encode(), b"PATH")


def unknown_page(client) -> bytes:
    return told(client.get("/no/such/address/").content, "/no/such/address/")


def bad_links(carol, meeting) -> dict[str, str]:
    signer = signing.TimestampSigner(salt=answers.SALT)
    token = answers.answer_token(carol.pk, meeting.uid, "accepted")
    return {
        "bogus": "x" * 43,
        "tampered": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "expired": SignedLongAgo(salt=answers.SALT).sign_object(
            [carol.pk, meeting.uid, "accepted"]
        ),
        "other uid": signer.sign_object([carol.pk, "gone@giaoban", "accepted"]),
        "other person": signer.sign_object([carol.pk + 1000, meeting.uid, "accepted"]),
    }


@pytest.mark.parametrize("post", [False, True])
def test_bad_links_answer_the_404_of_an_unknown_address(client, carol, meeting, post):
    invite(meeting, carol)
    expected = unknown_page(client)

    for name, token in bad_links(carol, meeting).items():
        path = f"/calendar/answer/{token}/"
        response = client.post(path, {"answer": "accepted"}) if post else client.get(path)
        assert (name, response.status_code, told(response.content, path)) == (name, 404, expected)
    assert answer_of(carol, meeting.uid) == ("", False)


def test_a_withdrawn_invitation_or_a_person_switched_off_answers_404(client, carol, bob, meeting):
    invite(meeting, carol, method="CANCEL")
    invite(meeting, bob)
    bob.is_active = False
    bob.save()

    assert client.get(link(carol, meeting)).status_code == 404
    assert client.post(link(bob, meeting), {"answer": "accepted"}).status_code == 404
