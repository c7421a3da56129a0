"""The meeting page and offices: it names the owning office, offers its change buttons
only to the owner's secretariat (visibility.may_change), and tells the secretariat of
another office that the session is read-only for it.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
alice acts for the centre (VPCP), hoa for Hà Nội (VP-HN, T01).
"""

import pytest

from accounts.roles import Role
from meetings.models import Attendee
from tests.factories import BridgeFactory, UserFactory, local_time, office_of
from tests.meetings.views.pages import DAY, book_province

ACTIONS = 'id="meeting-actions"'
NOTE = 'id="read-only-note"'


@pytest.fixture
def hoa(sites):
    hoa = UserFactory(username="hoa", roles=[Role.SECRETARIAT], offices=[])
    office_of(sites["T01"], "VP-HN", hoa, name="Văn phòng UBND Hà Nội")
    return hoa


@pytest.fixture
def national(alice, sites, bridge):
    """The centre's session at T01 and its communes."""
    return book_province(alice, bridge, "T01", local_time(DAY, 8), title="Giao ban toàn quốc")


@pytest.fixture
def hanoi(hoa):
    bridge = BridgeFactory(name="MCU Hà Nội", owner=hoa.offices.get())
    return book_province(hoa, bridge, "T01", local_time(DAY, 14), title="Giao ban Hà Nội")


def page(client, meeting) -> str:
    response = client.get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_owner_sees_the_office_and_the_change_buttons(client_as, alice, national):
    html = page(client_as(alice), national)

    assert '<dd id="meeting-office">Văn phòng Chính phủ <code>VPCP</code></dd>' in html
    assert ACTIONS in html
    assert NOTE not in html


def test_another_office_reads_a_session_touching_it_without_a_button_to_change_it(
    client_as, hoa, national
):
    html = page(client_as(hoa), national)

    assert "Giao ban toàn quốc" in html
    assert ACTIONS not in html
    for link in ("reschedule-link", "sites-link", "cancel-link"):
        assert link not in html
    assert "<p>Do Văn phòng Chính phủ đặt lịch; đơn vị của bạn chỉ được xem.</p>" in html


def test_a_province_owns_its_session_and_the_centre_only_reads_it(client_as, alice, hoa, hanoi):
    as_owner = page(client_as(hoa), hanoi)
    as_centre = page(client_as(alice), hanoi)

    assert ACTIONS in as_owner
    assert NOTE not in as_owner
    assert '<dd id="meeting-office">Văn phòng UBND Hà Nội <code>VP-HN</code></dd>' in as_centre
    assert ACTIONS not in as_centre
    assert "Do Văn phòng UBND Hà Nội đặt lịch; đơn vị của bạn chỉ được xem." in as_centre


def test_an_attendee_sees_the_office_but_no_note_and_no_button(client_as, carol, national):
    Attendee.objects.create(meeting=national, user=carol)

    html = page(client_as(carol), national)

    assert 'id="meeting-office"' in html
    assert ACTIONS not in html
    assert NOTE not in html


@pytest.mark.parametrize("action", ["reschedule", "sites", "cancel"])
def test_the_change_pages_of_another_offices_session_are_not_found(
    client_as, hoa, national, action
):
    response = client_as(hoa).get(f"/meetings/{national.pk}/{action}/")

    assert response.status_code == 404
