"""The booking page within an office's jurisdiction: the picker offers only the acting
office's sites and usable bridges; whatever is typed or forged beyond them is refused by
booking on the field to correct, in Vietnamese by default, naming what is outside, and
nothing is written.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Hoa is the secretariat of Hà Nội's office (T01); alice the centre's.
"""

import pytest

from accounts.roles import Role
from meetings.models import Meeting
from tests.factories import BridgeFactory, UserFactory, local_time, office_of, stored_counts
from tests.meetings.views.pages import BOOK_URL, CHECK_URL, DAY, book_province, booking_data

OUTSIDE = "Ngoài phạm vi quản lý của Văn phòng UBND Hà Nội (Điểm cầu T01): {}."
NOTHING_BOOKED = "Chưa có phiên họp nào được đặt lịch."


@pytest.fixture
def hoa(sites):
    hoa = UserFactory(username="hoa", roles=[Role.SECRETARIAT], offices=[])
    office_of(sites["T01"], "VP-HN", hoa, name="Văn phòng UBND Hà Nội")
    return hoa


@pytest.fixture
def hanoi_bridge(hoa):
    return BridgeFactory(name="MCU Hà Nội", owner=hoa.offices.get())


@pytest.fixture
def national_bridge(hoa, bridge):
    """The centre's bridge, shared with Hà Nội."""
    bridge.shared_with.add(hoa.offices.get())
    return bridge


def hanoi_booking(bridge, **overrides) -> dict:
    return booking_data(bridge, **{"subtrees": ["T01"], "host": "T01", **overrides})


def test_book_page_offers_only_the_jurisdiction_and_usable_bridges(
    client_as, hoa, sites, hanoi_bridge, national_bridge
):
    BridgeFactory(name="MCU Dự phòng")

    response = client_as(hoa).get(BOOK_URL)

    html = response.content.decode()
    assert 'name="subtrees" value="T01"' in html
    assert 'name="subtrees" value="T02"' not in html
    # Sites are suggested on demand, within the jurisdiction (test_site_search).
    assert 'data-site-search-url="/meetings/sites/search/"' in html
    form = response.context["form"]
    assert list(form.fields["bridge"].queryset) == [hanoi_bridge, national_bridge]
    assert "MCU Dự phòng" not in html
    assert (
        '<p class="help" id="jurisdiction-note">Văn phòng UBND Hà Nội chỉ đặt lịch cho các '
        "điểm cầu thuộc Điểm cầu T01.</p>"
    ) in html


def test_book_inside_the_jurisdiction_on_a_shared_bridge(client_as, hoa, sites, national_bridge):
    response = client_as(hoa).post(BOOK_URL, hanoi_booking(national_bridge))

    assert response.status_code == 302
    assert Meeting.objects.get().owner_office.code == "VP-HN"


@pytest.mark.parametrize(
    ("overrides", "field", "named"),
    [
        pytest.param({"sites": "X0201"}, "sites", "X0201", id="a-site-outside"),
        pytest.param(
            {"subtrees": ["T02"], "host": "T01", "sites": "T01"},
            "sites",
            "T02, X0201, X0202, X0203",
            id="a-province-not-offered",
        ),
        pytest.param({"sites": "TW", "host": "TW"}, "host", "TW", id="a-host-outside"),
    ],
)
def test_book_outside_the_jurisdiction_is_a_field_error_naming_it_and_writes_nothing(
    client_as, hoa, sites, hanoi_bridge, overrides, field, named
):
    before = stored_counts()

    response = client_as(hoa).post(BOOK_URL, hanoi_booking(hanoi_bridge, **overrides))

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [OUTSIDE.format(named)]}
    assert stored_counts() == before
    assert OUTSIDE.format(named) in response.content.decode()
    assert NOTHING_BOOKED in response.content.decode()


def test_book_on_a_bridge_not_shared_is_a_bridge_error_and_writes_nothing(
    client_as, hoa, sites, bridge
):
    before = stored_counts()

    response = client_as(hoa).post(BOOK_URL, hanoi_booking(bridge))

    assert response.context["form"].errors == {
        "bridge": [
            "Cầu nối MCU Trung ương không thuộc Văn phòng UBND Hà Nội "
            "và cũng không được chia sẻ cho đơn vị này."
        ]
    }
    assert stored_counts() == before


def test_dry_run_names_the_sites_outside_the_jurisdiction(client_as, hoa, sites, hanoi_bridge):
    response = client_as(hoa).post(CHECK_URL, hanoi_booking(hanoi_bridge, sites="X0202"))

    assert response.context["check"].state == "error"
    assert response.context["check"].messages == [OUTSIDE.format("X0202")]


def test_change_sites_offers_only_the_jurisdiction_and_refuses_a_site_outside(
    client_as, hoa, sites, hanoi_bridge
):
    meeting = book_province(hoa, hanoi_bridge, "T01", local_time(DAY, 8))
    url = f"/meetings/{meeting.pk}/sites/"
    before = stored_counts()

    page = client_as(hoa).get(url)
    response = client_as(hoa).post(url, {"sites": "T01, X0201", "host": "T01"})

    assert 'value="T02"' not in page.content.decode()
    assert response.context["form"].errors == {"sites": [OUTSIDE.format("X0201")]}
    assert stored_counts() == before
    assert sorted(meeting.conference.legs.values_list("endpoint__code", flat=True)) == [
        "T01",
        "X0101",
        "X0102",
        "X0103",
    ]


def test_the_centre_books_the_whole_tree(client_as, alice, sites, bridge):
    response = client_as(alice).post(BOOK_URL, booking_data(bridge, sites="TW", host="TW"))

    assert response.status_code == 302
    assert Meeting.objects.get().owner_office.code == "VPCP"
