"""The meeting page's expected attendance: the answers to the session's e-mailed
invitations (meetings.calendar.answers), shown to the owning office's secretariat only
(visibility.may_change), never to an attendee or to another office.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
hana acts for Hà Nội (VP-HN, T01) and books the session at T01; alice acts for the
centre, which sees it read-only; the other province's secretariat does not see it.
"""

import pytest

from accounts.roles import Role
from meetings.calendar.answers import record_answer
from meetings.calendar.models import Answer, SentInvitation
from meetings.models import Attendee
from tests.factories import BridgeFactory, UserFactory, local_time
from tests.meetings.views.pages import DAY, book_province

BLOCK = 'id="expected-attendance"'


@pytest.fixture
def session(hana, carol):
    bridge = BridgeFactory(name="MCU Hà Nội", owner=hana.offices.get())
    meeting = book_province(hana, bridge, "T01", local_time(DAY, 14), title="Giao ban Hà Nội")
    Attendee.objects.create(meeting=meeting, user=carol)
    return meeting


@pytest.fixture
def answered(session, carol):
    """carol accepted, Lan declined, Minh has not answered."""
    lan = UserFactory(username="lan", full_name="Nguyễn Thị Lan")
    minh = UserFactory(username="minh", full_name="Lê Văn Minh")
    for user in (carol, lan, minh):
        SentInvitation.objects.create(uid=session.uid, user=user, sequence=0, method="REQUEST")
    record_answer(carol.pk, session.uid, Answer.ACCEPTED)
    record_answer(lan.pk, session.uid, Answer.DECLINED)
    return session


def page(client, meeting) -> str:
    response = client.get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def between(html: str, start: str, end: str = "</ul>") -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_the_owning_secretariat_sees_the_counts_and_who_answered(
    client_as, hana, answered, english
):
    html = page(client_as(hana), answered)

    assert BLOCK in html
    assert "Answers to the invitation e-mailed to 3 people." in html
    assert '<dd id="attendance-accepted">1</dd>' in html
    assert '<dd id="attendance-declined">1</dd>' in html
    assert '<dd id="attendance-tentative">0</dd>' in html
    assert '<dd id="attendance-no-answer">1</dd>' in html
    assert between(html, 'id="attendance-declined-names">') == "<li>Nguyễn Thị Lan</li>"
    assert between(html, 'id="attendance-accepted-names">') == "<li>Carol</li>"
    assert "Lê Văn Minh" not in html


def test_the_block_says_when_no_invitation_was_sent(client_as, hana, session, english):
    html = page(client_as(hana), session)

    assert "No invitation was e-mailed for this session yet." in html


def test_an_attendee_does_not_see_the_expected_attendance(client_as, carol, answered):
    html = page(client_as(carol), answered)

    assert BLOCK not in html
    assert "Nguyễn Thị Lan" not in html


def test_the_centre_reading_a_province_session_does_not_see_it(client_as, alice, answered):
    html = page(client_as(alice), answered)

    assert "Giao ban Hà Nội" in html
    assert BLOCK not in html


def test_another_province_secretariat_sees_neither_page_nor_block(client_as, other, answered):
    outsider = UserFactory(username="oanh", roles=[Role.SECRETARIAT], offices=[other])

    response = client_as(outsider).get(f"/meetings/{answered.pk}/")

    assert response.status_code == 404
    assert b"expected-attendance" not in response.content
