"""Searching the agenda and the week by a session's title or organising unit ignores case,
marks and đ (issue 15, 4); a confidential session the user sees as busy time is never
found by its words.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import pytest

from meetings.models import Classification, Meeting
from tests.factories import local_time
from tests.meetings.views.pages import AGENDA_URL, DAY, WEEK_URL, book_province


@pytest.fixture
def da_nang(alice, sites, bridge):
    return book_province(
        alice,
        bridge,
        "T02",
        local_time(DAY, 14),
        title="Giao ban Đà Nẵng",
        organising_unit="Văn phòng UBND thành phố",
    )


def titles(response) -> list[str]:
    return [meeting.title for meeting in response.context["rows"]]


@pytest.mark.parametrize("typed", ["da nang", "ĐÀ NẴNG", "Đà Nẵng", "nang giao"])
def test_the_agenda_finds_a_session_however_its_title_is_typed(
    client_as, alice, meeting, da_nang, typed
):
    response = client_as(alice).get(AGENDA_URL, {"q": typed})

    assert titles(response) == ["Giao ban Đà Nẵng"]


def test_the_agenda_finds_a_session_by_its_organising_unit(client_as, alice, meeting, da_nang):
    response = client_as(alice).get(AGENDA_URL, {"q": "van phong ubnd"})

    assert titles(response) == ["Giao ban Đà Nẵng"]


def test_a_renamed_session_is_found_by_its_new_title(client_as, alice, da_nang):
    da_nang.title = "Hội nghị Huế"
    da_nang.save(update_fields=["title"])

    client = client_as(alice)

    assert titles(client.get(AGENDA_URL, {"q": "hoi nghi hue"})) == ["Hội nghị Huế"]
    assert titles(client.get(AGENDA_URL, {"q": "da nang"})) == []


def test_the_agenda_says_when_nothing_is_found(client_as, alice, meeting, english):
    response = client_as(alice).get(AGENDA_URL, {"q": "can tho"})

    assert titles(response) == []
    assert "No session found for “can tho”." in response.content.decode()


def test_a_confidential_session_seen_as_busy_is_not_found_by_its_title(
    client_as, alice, bob, sites, bridge
):
    book_province(
        alice,
        bridge,
        "T01",
        local_time(DAY, 14),
        title="Họp mật Đà Nẵng",
        classification=Classification.CONFIDENTIAL,
    )
    sites["X0101"].technicians.add(bob)

    assert titles(client_as(bob).get(AGENDA_URL)) == ["Họp mật Đà Nẵng"]
    assert titles(client_as(bob).get(AGENDA_URL, {"q": "mat"})) == []
    assert titles(client_as(alice).get(AGENDA_URL, {"q": "mat"})) == ["Họp mật Đà Nẵng"]


def test_the_week_finds_a_session_however_its_title_is_typed(
    client_as, alice, meeting, da_nang, english
):
    client = client_as(alice)
    start = local_time(DAY, 8).date().isoformat()

    found = client.get(WEEK_URL, {"start": start, "q": "DA NANG"})
    missing = client.get(WEEK_URL, {"start": start, "q": "can tho"})

    assert found.context["count"] == 1
    assert "Giao ban Đà Nẵng" in found.content.decode()
    assert "No session found for “can tho” this week." in missing.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_a_searched_agenda_costs_the_same_queries_whatever_it_finds(
    client_as, alice, sites, bridge, django_assert_num_queries, count
):
    for number in range(count):
        book_province(alice, bridge, "T01", local_time(DAY + number, 8), title="Giao ban Đà Nẵng")
    client = client_as(alice)

    # As the agenda unsearched (test_agenda): the search is a condition of the same queries.
    with django_assert_num_queries(9):
        response = client.get(AGENDA_URL, {"q": "da nang"})

    assert len(response.context["rows"]) == count


def test_sessions_created_in_bulk_get_their_search_key(alice, meeting):
    conference = meeting.conference
    conference.pk = None
    conference.save()
    copy = Meeting.objects.get(pk=meeting.pk)
    copy.pk, copy.conference, copy.title, copy.search_key = None, conference, "Phiên Đắk Lắk", ""
    copy.uid = f"copy-{meeting.uid}"

    Meeting.objects.bulk_create([copy])

    assert Meeting.objects.get(title="Phiên Đắk Lắk").search_key == "phien dak lak"
