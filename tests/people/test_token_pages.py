"""The profile's token page (/profile/tokens/): status, authority and rendering; the
rules are people.api_tokens' (tests/people/test_api_tokens.py)."""

import pytest

from people import api_tokens
from people.models import ApiToken, TokenScope

pytestmark = pytest.mark.django_db

PAGE = "/profile/tokens/"
CREATE = "/profile/tokens/new/"


def revoke_url(token: ApiToken) -> str:
    return f"/profile/tokens/{token.pk}/revoke/"


def make(owner, **fields) -> api_tokens.NewToken:
    return api_tokens.create(owner, name="Cổng dịch vụ công", scope=TokenScope.READ, **fields)


def test_the_page_lists_my_tokens_with_prefix_scope_office_and_last_use(client_as, hana, hanoi):
    made = make(hana, office_id=hanoi.pk)
    api_tokens.authenticate(made.key)

    response = client_as(hana).get(PAGE)

    assert response.status_code == 200
    content = response.content.decode()
    assert f"{made.key[:8]}…" in content
    assert made.key not in content
    assert "Cổng dịch vụ công" in content
    assert str(hanoi) in content
    assert "Chưa dùng lần nào" not in content


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_takes_the_same_queries_for_one_and_three(
    client_as, hana, hanoi, count, django_assert_num_queries
):
    for _ in range(count):
        make(hana, office_id=hanoi.pk)
    client = client_as(hana)

    with django_assert_num_queries(5):
        response = client.get(PAGE)

    assert response.status_code == 200


def test_making_a_token_shows_it_once(client_as, hana, hanoi):
    response = client_as(hana).post(
        CREATE, {"name": "Cổng", "scope": "read_write", "lifetime": "30", "office": hanoi.pk}
    )

    assert response.status_code == 201
    token = ApiToken.objects.get()
    key = response.context["new_key"]
    assert api_tokens.authenticate(key) == token
    assert (token.scope, token.office) == ("read_write", hanoi)
    assert client_as(hana).get(PAGE).content.decode().count(key) == 0


def test_a_token_for_an_office_not_mine_is_refused(client_as, hana, other):
    response = client_as(hana).post(CREATE, {"name": "Cổng", "scope": "read", "office": other.pk})

    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_revoking_my_token(client_as, hana):
    made = make(hana)

    response = client_as(hana).post(revoke_url(made.token))

    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert ApiToken.objects.get().revoked_at is not None


def test_another_persons_token_is_not_found(client_as, hana, alice):
    theirs = make(alice)

    refused = client_as(hana).post(revoke_url(theirs.token))

    assert refused.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_the_old_address_sends_to_the_profile_page(client_as, hana):
    response = client_as(hana).get("/api-tokens/")

    assert (response.status_code, response["Location"]) == (302, PAGE)


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
