"""A bridge's port use over a day (/bridges/<id>/use/): whoever may manage the bridge
sees it; a shared, another office's or a missing bridge answers 404 alike."""

import re
from datetime import timedelta

import pytest

from conferencing.models import Conference, Leg
from tests.factories import BridgeFactory, local_time


@pytest.fixture
def bridges(hanoi, laocai):
    national = BridgeFactory(name="MCU Quốc gia")
    national.shared_with.add(hanoi)
    return {
        "national": national,
        "hanoi": BridgeFactory(name="MCU Hà Nội", owner=hanoi, port_capacity=3),
        "laocai": BridgeFactory(name="MCU Lào Cai", owner=laocai),
    }


def reserve(bridge, sites, codes: str, opens, until) -> None:
    conference = Conference.objects.create(
        bridge=bridge, start=opens + timedelta(minutes=5), end=until, setup_minutes=5
    )
    Leg.objects.bulk_create(
        Leg(conference=conference, endpoint=sites[code], reserved_from=opens, reserved_until=until)
        for code in codes.split()
    )


def url(bridge, day: str | None = None) -> str:
    return f"/bridges/{bridge.pk}/use/" + (f"?day={day}" if day else "")


def tomorrow() -> str:
    return local_time(1, 0).strftime("%d/%m/%Y")


def test_the_office_sees_its_bridge_in_use_against_its_ports(
    client_as, lan, bridges, sites, english
):
    reserve(bridges["hanoi"], sites, "T01 X0101", local_time(1, 8), local_time(1, 10))

    response = client_as(lan).get(url(bridges["hanoi"], tomorrow()))

    assert response.status_code == 200
    html = response.content.decode()
    figure = re.search(r'<figure[^>]*id="use-chart".*?</figure>', html, re.S).group(0)
    assert 'role="img"' in figure
    assert (
        f"Legs in use on {tomorrow()}, by quarter-hour: at most 2 at 08:00, of 3 ports." in figure
    )
    rows = dict(re.findall(r'<th scope="row">(\d\d:\d\d)</th><td>(\d+)</td>', figure))
    assert rows["07:45"] == "0"
    assert rows["08:00"] == "2"
    assert rows["09:45"] == "2"
    assert rows["10:00"] == "0"
    assert len(rows) == 97  # 96 quarter-hours and midnight


def test_a_day_without_legs_says_so(client_as, lan, bridges, english):
    response = client_as(lan).get(url(bridges["hanoi"], tomorrow()))

    assert f"No leg reserved on this bridge on {tomorrow()}; it has 3 ports." in (
        response.content.decode()
    )


def test_an_unreadable_day_is_explained_and_today_shown(client_as, lan, bridges, english):
    response = client_as(lan).get(url(bridges["hanoi"], "31/02/2026"))

    assert response.status_code == 200
    assert "Enter a date as dd/mm/yyyy" in response.content.decode()
    assert response.context["use"].day == local_time(0, 0).date()


@pytest.mark.parametrize("bridge", ["national", "laocai"])
def test_a_bridge_the_office_may_not_manage_answers_as_a_missing_one(
    client_as, lan, bridges, bridge
):
    client = client_as(lan)

    refused = client.get(url(bridges[bridge]))
    missing = client.get("/bridges/999999/use/")

    assert refused.status_code == missing.status_code == 404


def test_the_superuser_sees_any_bridge(client_as, root, bridges):
    assert client_as(root).get(url(bridges["laocai"])).status_code == 200


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_other_roles_are_refused(client_as, request, bridges, persona):
    response = client_as(request.getfixturevalue(persona)).get(url(bridges["hanoi"]))

    assert response.status_code == 403


def test_the_bridge_list_links_each_managed_bridge_to_its_use(client_as, lan, bridges):
    html = client_as(lan).get("/bridges/").content.decode()

    assert f'href="/bridges/{bridges["hanoi"].pk}/use/"' in html
    assert f'href="/bridges/{bridges["national"].pk}/use/"' not in html


@pytest.mark.parametrize("sessions", [1, 3])
def test_query_count_is_constant(
    client_as, lan, bridges, sites, sessions, django_assert_num_queries
):
    for index, codes in enumerate(("T01 X0101", "X0102", "T01")[:sessions]):
        reserve(
            bridges["hanoi"],
            sites,
            codes,
            local_time(1, 8 + 2 * index),
            local_time(1, 9 + 2 * index),
        )
    client = client_as(lan)

    # session, user, roles, offices, the bridge, the legs by window
    with django_assert_num_queries(6):
        response = client.get(url(bridges["hanoi"], tomorrow()))

    assert response.context["use"].peak == 2


def test_without_a_day_today_is_drawn_and_written_in_the_field(client_as, lan, bridges):
    response = client_as(lan).get(url(bridges["hanoi"]))

    assert response.context["use"].day == local_time(0, 0).date()
    assert f'value="{local_time(0, 0):%d/%m/%Y}"' in response.content.decode()
