import pytest

from accounts.roles import Role
from conferencing.models import Level
from people import api_tokens
from people.models import TokenScope
from tests.factories import BridgeFactory, EndpointFactory, UserFactory, office_of, site_tree
from tests.problems import field_errors

ENDPOINTS_URL = "/api/v1/endpoints/"
BRIDGES_URL = "/api/v1/bridges/"


@pytest.fixture
def tree(db):
    """Central → province → district → commune, plus a second, inactive province."""
    central = EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)
    hanoi = EndpointFactory(
        code="HN",
        name="Hà Nội",
        level=Level.PROVINCE,
        parent=central,
        organisation="UBND thành phố Hà Nội",
        dial_string="sip:hanoi@vc.example.vn",
        contact_phone="024 3825 3536",
    )
    ba_dinh = EndpointFactory(code="HN.BD", name="Ba Đình", level=Level.DISTRICT, parent=hanoi)
    commune = EndpointFactory(code="HN.BD-01", name="Phúc Xá", level=Level.COMMUNE, parent=ba_dinh)
    old = EndpointFactory(
        code="HT", name="Hà Tây", level=Level.PROVINCE, parent=central, is_active=False
    )
    return {"central": central, "hanoi": hanoi, "ba_dinh": ba_dinh, "commune": commune, "old": old}


@pytest.fixture
def bridges(db):
    return [
        BridgeFactory(name="MCU Dự phòng", dial_in="sip:mcu2@vc.gov.vn", port_capacity=400),
        BridgeFactory(name="MCU Quốc gia", dial_in="sip:mcu1@vc.gov.vn", port_capacity=4000),
    ]


def endpoint_json(endpoint) -> dict:
    return {
        "code": endpoint.code,
        "name": endpoint.name,
        "level": Level(endpoint.level).slug,
        "parent": endpoint.parent.code if endpoint.parent else None,
        "organisation": endpoint.organisation,
        "address": endpoint.address,
        "dial_string": endpoint.dial_string,
        "contact_phone": endpoint.contact_phone,
        "contact_email": endpoint.contact_email,
        "is_active": endpoint.is_active,
    }


def listed_codes(response) -> list[str]:
    return [endpoint["code"] for endpoint in response.json()["results"]]


URLS = {
    "endpoints": ENDPOINTS_URL,
    "endpoint": f"{ENDPOINTS_URL}HN/",
    "bridges": BRIDGES_URL,
}


# --- who may read -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", URLS)
def test_network_api_anonymous_gets_401(api, tree, name):
    response = api.get(URLS[name])

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("name", URLS)
def test_network_api_user_without_role_gets_403(api_as, mallory, tree, name):
    response = api_as(mallory).get(URLS[name])

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
@pytest.mark.parametrize("name", URLS)
def test_network_api_every_role_reads(api_as, request, tree, bridges, persona, name):
    response = api_as(request.getfixturevalue(persona)).get(URLS[name])

    assert response.status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", [ENDPOINTS_URL, f"{ENDPOINTS_URL}HN/", BRIDGES_URL])
def test_network_api_is_read_only_even_for_the_secretariat(api_as, alice, tree, method, url):
    response = getattr(api_as(alice), method)(url, {"name": "Đổi tên"})

    assert response.status_code == 405


def test_network_api_accepts_a_token(api, bob, tree):
    made = api_tokens.create(bob, name="Tích hợp", scope=TokenScope.READ)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {made.key}")

    response = api.get(ENDPOINTS_URL)

    assert response.status_code == 200


# --- endpoints ----------------------------------------------------------------------------------


def test_endpoint_list_is_in_tree_order_and_paginated(api_as, bob, tree):
    response = api_as(bob).get(ENDPOINTS_URL)

    assert response.json() == {
        "count": 5,
        "next": None,
        "previous": None,
        "results": [
            endpoint_json(tree[name]) for name in ["central", "hanoi", "ba_dinh", "commune", "old"]
        ],
    }


def test_endpoint_list_pages_with_limit_and_offset(api_as, bob, tree):
    response = api_as(bob).get(ENDPOINTS_URL, {"limit": 2, "offset": 2})

    assert listed_codes(response) == ["HN.BD", "HN.BD-01"]
    assert response.json()["previous"] == f"http://testserver{ENDPOINTS_URL}?limit=2"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"q": "phúc"}, ["HN.BD-01"]),
        ({"q": "UBND thành phố"}, ["HN"]),
        ({"level": "province"}, ["HN", "HT"]),
        ({"within": "HN"}, ["HN", "HN.BD", "HN.BD-01"]),
        ({"within": "HN", "level": "commune"}, ["HN.BD-01"]),
        ({"active": "true", "level": "province"}, ["HN"]),
        ({"q": "nowhere"}, []),
    ],
)
def test_endpoint_list_filters(api_as, carol, tree, filters, expected):
    response = api_as(carol).get(ENDPOINTS_URL, filters)

    assert response.status_code == 200
    assert listed_codes(response) == expected


@pytest.mark.parametrize(
    ("filters", "errors"),
    [
        ({"within": "NOPE"}, {"within": ["No site has the code NOPE."]}),
        ({"level": "galaxy"}, {"level": ['"galaxy" is not a valid choice.']}),
    ],
)
def test_endpoint_list_bad_filter_is_400_with_the_field(api_as, carol, tree, filters, errors):
    response = api_as(carol).get(ENDPOINTS_URL, filters)

    assert response.status_code == 400
    assert field_errors(response) == errors


@pytest.mark.parametrize("count", [1, 3])
def test_endpoint_list_queries_do_not_grow_with_sites(
    api_as, bob, django_assert_num_queries, count
):
    central = EndpointFactory(code="TW", level=Level.CENTRAL)
    for number in range(count):
        EndpointFactory(code=f"P{number}", level=Level.PROVINCE, parent=central)
    client = api_as(bob)

    # session, user, roles, the ancestor's lookup, count, page
    with django_assert_num_queries(6):
        response = client.get(ENDPOINTS_URL, {"within": "TW"})

    assert response.json()["count"] == count + 1


def test_endpoint_detail_by_code_with_dots(api_as, bob, tree):
    response = api_as(bob).get(f"{ENDPOINTS_URL}HN.BD-01/")

    assert response.status_code == 200
    assert response.json() == endpoint_json(tree["commune"])


def test_endpoint_detail_shows_an_inactive_site(api_as, bob, tree):
    response = api_as(bob).get(f"{ENDPOINTS_URL}HT/")

    assert response.json()["is_active"] is False


def test_endpoint_detail_unknown_code_is_404(api_as, bob, tree):
    response = api_as(bob).get(f"{ENDPOINTS_URL}NOPE/")

    assert response.status_code == 404


# --- bridges ------------------------------------------------------------------------------------


def test_bridge_list_by_name(api_as, alice, bridges):
    response = api_as(alice).get(BRIDGES_URL)

    assert response.json() == [
        {
            "id": bridge.pk,
            "name": bridge.name,
            "dial_in": bridge.dial_in,
            "port_capacity": bridge.port_capacity,
            "is_active": True,
        }
        for bridge in bridges
    ]


def test_bridge_detail(api_as, alice, bridges):
    bridge = bridges[1]

    response = api_as(alice).get(f"{BRIDGES_URL}{bridge.pk}/")

    assert response.json()["name"] == "MCU Quốc gia"


def test_bridge_detail_unknown_is_404(api_as, carol, db):
    response = api_as(carol).get(f"{BRIDGES_URL}999999/")

    assert response.status_code == 404


# --- bridges follow the acting office -------------------------------------------------------------


def test_bridge_list_is_the_acting_offices_own_and_shared(api_as, db):
    sites = site_tree(provinces=1, communes=1)
    hanoi = office_of(sites["T01"], "VP-HN")
    lan = UserFactory(username="lan", roles=[Role.SECRETARIAT], offices=[hanoi])
    own = BridgeFactory(name="MCU Hà Nội", owner=hanoi)
    shared = BridgeFactory(name="MCU Quốc gia")
    shared.shared_with.add(hanoi)
    hidden = BridgeFactory(name="MCU riêng")

    listed = api_as(lan).get(BRIDGES_URL).json()
    refused = api_as(lan).get(f"{BRIDGES_URL}{hidden.pk}/")

    assert [bridge["id"] for bridge in listed] == [own.pk, shared.pk]
    assert refused.status_code == 404


def test_bridge_list_is_empty_for_a_technician_and_whole_for_the_superuser(api_as, bob, bridges):
    root = UserFactory(username="root", is_superuser=True)

    assert api_as(bob).get(BRIDGES_URL).json() == []
    assert len(api_as(root).get(BRIDGES_URL).json()) == 2
