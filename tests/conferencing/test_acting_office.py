"""The header's office switch (conferencing.acting_office): whom a person acts for is
chosen with POST /offices/act/ and remembered in the session; an office one does not
belong to is refused with a translated message and nothing changes; every page's header
shows the office one acts for.

Sites: TW; T01, T02 with communes. kim belongs to the centre (VPCP) and Hà Nội (VP-HN);
the first by code, VP-HN, is the default.
"""

import pytest
from django.contrib.messages import get_messages

from accounts.roles import Role
from conferencing.jurisdiction import SESSION_KEY
from tests.factories import (
    UserFactory,
    booked,
    central_office,
    office_of,
    site_tree,
)

ACT_URL = "/offices/act/"
NOT_A_MEMBER = "Bạn không phải là thành viên của đơn vị đó."


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=1)


@pytest.fixture
def other_province(sites):
    return office_of(sites["T02"], "VP-T02", name="Văn phòng UBND T02")


@pytest.fixture
def kim(hanoi):
    return UserFactory(username="kim", roles=[Role.SECRETARIAT], offices=[central_office(), hanoi])


def header_office(client, url: str = "/") -> str:
    """The office code the header shows, or "" if none."""
    html = client.get(url).content.decode()
    marker = 'id="acting-office"'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split(">", 1)[1].split("<", 1)[0]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_switching_to_an_office_one_belongs_to_is_remembered_in_the_session(client_as, kim):
    client = client_as(kim)
    centre = kim.offices.get(code="VPCP")
    before = header_office(client)

    response = client.post(ACT_URL, {"office": centre.pk, "next": "/meetings/"})

    assert before == "VP-HN"
    assert response.status_code == 303
    assert response["Location"] == "/meetings/"
    assert client.session[SESSION_KEY] == centre.pk
    assert header_office(client) == "VPCP"
    assert header_office(client, "/meetings/") == "VPCP"


@pytest.mark.parametrize(
    "forged",
    [
        pytest.param(lambda offices: offices["VP-T02"].pk, id="another-offices-id"),
        pytest.param(lambda offices: 999_999, id="no-such-office"),
        pytest.param(lambda offices: "VPCP", id="not-a-number"),
        pytest.param(lambda offices: "", id="empty"),
        pytest.param(lambda offices: offices["inactive"].pk, id="own-but-inactive"),
    ],
)
def test_a_forged_or_foreign_office_is_refused_and_nothing_changes(
    client_as, kim, hanoi, other_province, sites, forged
):
    inactive = office_of(sites["X0101"], "VP-X0101", kim)
    inactive.is_active = False
    inactive.save()
    offices = {"VP-T02": other_province, "inactive": inactive}
    client = client_as(kim)
    client.post(ACT_URL, {"office": hanoi.pk})

    response = client.post(ACT_URL, {"office": forged(offices), "next": "/meetings/"})

    assert response.status_code == 303
    assert response["Location"] == "/meetings/"
    assert messages_of(response) == [NOT_A_MEMBER]
    assert client.session[SESSION_KEY] == hanoi.pk
    assert header_office(client) == "VP-HN"


def test_a_switch_without_a_remembered_choice_leaves_the_session_empty(client_as, kim):
    client = client_as(kim)

    response = client.post(ACT_URL, {"office": "999999"})

    assert messages_of(response) == [NOT_A_MEMBER]
    assert SESSION_KEY not in client.session


def test_the_switch_goes_back_only_to_a_page_of_this_site(client_as, kim):
    response = client_as(kim).post(
        ACT_URL, {"office": kim.offices.get(code="VPCP").pk, "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_the_switch_is_a_post_for_signed_in_people(client, kim):
    assert client.post(ACT_URL, {"office": kim.offices.first().pk}).status_code == 302
    client.force_login(kim)
    assert client.get(ACT_URL).status_code == 405


def test_a_remembered_office_one_has_left_falls_back_to_the_first(client_as, kim):
    client = client_as(kim)
    centre = kim.offices.get(code="VPCP")
    client.post(ACT_URL, {"office": centre.pk})

    centre.members.remove(kim)

    assert header_office(client) == "VP-HN"


def test_the_header_shows_the_acting_office_on_every_page(client_as, kim, alice, sites):
    centre = kim.offices.get(code="VPCP")
    meeting = booked(alice)  # the centre's, at T01
    client = client_as(kim)
    client.post(ACT_URL, {"office": centre.pk})

    shown = {url: header_office(client, url) for url in ("/", "/meetings/", meeting_url(meeting))}

    assert shown == {"/": "VPCP", "/meetings/": "VPCP", meeting_url(meeting): "VPCP"}


def meeting_url(meeting) -> str:
    return f"/meetings/{meeting.pk}/"


def test_the_switch_is_offered_to_a_member_of_two_offices_only(client_as, kim, hanoi, alice):
    two = client_as(kim).get("/").content.decode()
    one = client_as(alice).get("/").content.decode()

    assert 'id="office-select"' in two
    assert f'<option value="{hanoi.pk}" selected>Văn phòng UBND Hà Nội</option>' in two
    assert "Văn phòng Chính phủ</option>" in two
    assert 'id="office-select"' not in one
    assert header_office(client_as(alice)) == "VPCP"


def test_people_of_no_office_see_none_in_the_header(client_as, carol, alice):
    assert header_office(client_as(carol)) == ""
