"""Booking through the API within an office's jurisdiction: a site or host outside it, or
a bridge neither the office's nor shared with it, is a 400 on that field naming what is
outside (in Vietnamese unless the client asks otherwise), and nothing is written.

Tree: TW → HN (HN-01, HN-02), HCM (HCM-01), OLD (inactive). Hoa is the secretariat of
Hà Nội's office (HN); alice the centre's.
"""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from meetings.models import Meeting
from tests.factories import BridgeFactory, UserFactory, office_of
from tests.meetings.api.helpers import CHECK_URL, LIST_URL, NOTHING_WRITTEN, booking_body, written
from tests.problems import field_errors

OUTSIDE = "Ngoài phạm vi quản lý của Văn phòng UBND Hà Nội (Hà Nội): {}."


@pytest.fixture
def hoa(tree):
    hoa = UserFactory(username="hoa", roles=[Role.SECRETARIAT], offices=[])
    office_of(tree["hanoi"], "VP-HN", hoa, name="Văn phòng UBND Hà Nội")
    return hoa


@pytest.fixture
def hanoi_bridge(hoa):
    return BridgeFactory(name="MCU Hà Nội", owner=hoa.offices.get())


@pytest.fixture
def vietnamese(db):
    """A client that states no language: the answer is in the default, Vietnamese."""
    return APIClient()


def test_api_books_inside_the_jurisdiction_for_the_acting_office(vietnamese, hoa, hanoi_bridge):
    vietnamese.force_login(hoa)
    body = booking_body(hanoi_bridge, sites={"subtrees": ["HN"]})

    response = vietnamese.post(LIST_URL, body, format="json")

    assert response.status_code == 201
    assert Meeting.objects.get().owner_office.code == "VP-HN"


@pytest.mark.parametrize(
    ("sites", "host", "field", "named"),
    [
        pytest.param({"sites": ["HN", "HCM"]}, "HN", "sites", "HCM", id="a-site-outside"),
        pytest.param({"subtrees": ["HCM"], "sites": ["HN"]}, "HN", "sites", "HCM, HCM-01"),
        pytest.param({"sites": ["HN", "TW"]}, "TW", "host", "TW", id="a-host-outside"),
    ],
)
@pytest.mark.parametrize("url", [LIST_URL, CHECK_URL])
def test_api_outside_the_jurisdiction_is_a_400_on_the_field_naming_it(
    vietnamese, hoa, hanoi_bridge, url, sites, host, field, named
):
    vietnamese.force_login(hoa)

    response = vietnamese.post(
        url, booking_body(hanoi_bridge, sites=sites, host=host), format="json"
    )

    assert response.status_code == 400
    assert field_errors(response) == {field: [OUTSIDE.format(named)]}
    assert written() == NOTHING_WRITTEN


@pytest.mark.parametrize("url", [LIST_URL, CHECK_URL])
def test_api_a_bridge_not_shared_is_a_400_on_the_bridge(vietnamese, hoa, bridge, url):
    vietnamese.force_login(hoa)

    response = vietnamese.post(url, booking_body(bridge, sites={"sites": ["HN"]}), format="json")

    assert response.status_code == 400
    assert field_errors(response) == {
        "bridge": [
            "Cầu nối MCU Quốc gia không thuộc Văn phòng UBND Hà Nội "
            "và cũng không được chia sẻ cho đơn vị này."
        ]
    }
    assert written() == NOTHING_WRITTEN


def test_api_a_bridge_shared_by_the_centre_is_usable(api_as, hoa, bridge):
    bridge.shared_with.add(hoa.offices.get())

    response = api_as(hoa).post(LIST_URL, booking_body(bridge, sites={"sites": ["HN"]}))

    assert response.status_code == 201


def test_api_errors_in_english_when_asked(api_as, hoa, hanoi_bridge):
    response = api_as(hoa).post(
        LIST_URL, booking_body(hanoi_bridge, sites={"sites": ["HN", "HCM-01"]})
    )

    assert field_errors(response) == {
        "sites": ["Outside the jurisdiction of Văn phòng UBND Hà Nội (Hà Nội): HCM-01."]
    }
