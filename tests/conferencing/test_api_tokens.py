"""API tokens act for the one office chosen when they are made (issue #13): the domain
(conferencing.api_tokens), the authentication class that applies it, and the page
where a user makes, sees and revokes their token.

Offices: VPCP (TW, central), VP-HN (T01, Hà Nội), VP-T02 (T02). alice: central
secretariat; hana: Hà Nội secretariat; both: secretariat of VP-HN and VP-T02.
"""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import AuditEntry
from conferencing import api_tokens, jurisdiction
from conferencing.api.authentication import OfficeTokenAuthentication
from conferencing.models import TokenOffice
from conferencing.site_selection import SiteSelection
from tests.factories import (
    BridgeFactory,
    UserFactory,
    booked,
    central_office,
    local_time,
    site_tree,
)

PAGE = "/api-tokens/"
CREATE = "/api-tokens/new/"
REVOKE = "/api-tokens/revoke/"
LIST = "/api/v1/meetings/"


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=1)


@pytest.fixture
def both(hanoi, other):
    return UserFactory(username="both", roles=[Role.SECRETARIAT], offices=[hanoi, other])


@pytest.fixture
def sessions(alice, sites):
    """One session in each province, booked by the centre."""
    bridge = BridgeFactory(name="MCU Trung ương", owner=central_office())

    def book(code, day, title):
        return booked(
            alice,
            bridge_id=bridge.pk,
            sites=SiteSelection(sites=(code,)),
            host_code=code,
            slot__start=local_time(day, 8),
            details__title=title,
        )

    return {"T01": book("T01", 3, "Họp T01"), "T02": book("T02", 4, "Họp T02")}


def token_client(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")


def titles(response) -> list[str]:
    assert response.status_code == 200
    return sorted(meeting["title"] for meeting in response.json()["results"])


# -- the domain -----------------------------------------------------------------------------------


def test_a_token_is_bound_to_the_chosen_office(both, other):
    token, office = api_tokens.create(both, str(other.pk))

    assert office == other
    assert TokenOffice.objects.get(token=token).office == other
    assert AuditEntry.objects.filter(action="api.token_created").count() == 1


def test_a_new_token_replaces_the_old_one(both, hanoi, other):
    first, _office = api_tokens.create(both, hanoi.pk)

    second, _office = api_tokens.create(both, other.pk)

    assert list(Token.objects.filter(user=both)) == [second]
    assert first.key != second.key
    assert TokenOffice.objects.get().office == other


@pytest.mark.parametrize("forged", ["999999", "abc", "", None])
def test_an_office_that_is_not_mine_writes_nothing(hana, other, forged):
    foreign = [str(other.pk), forged]
    for office_id in foreign:
        with pytest.raises(jurisdiction.NotAMember):
            api_tokens.create(hana, office_id)

    assert (Token.objects.count(), TokenOffice.objects.count(), AuditEntry.objects.count()) == (
        0,
        0,
        0,
    )


def test_someone_without_an_office_gets_a_token_acting_for_none(carol):
    token, office = api_tokens.create(carol, None)

    assert (office, TokenOffice.objects.filter(token=token).exists()) == (None, False)


def test_revoke_deletes_the_token(hana, hanoi):
    api_tokens.create(hana, hanoi.pk)

    assert api_tokens.revoke(hana) is True
    assert (Token.objects.count(), api_tokens.revoke(hana)) == (0, False)


# -- authentication -------------------------------------------------------------------------------


def test_authentication_acts_for_the_bound_office(both, other):
    token, _office = api_tokens.create(both, other.pk)

    user, _token = OfficeTokenAuthentication().authenticate_credentials(token.key)

    assert jurisdiction.acting_office(user) == other


def test_a_token_without_binding_acts_for_no_office(hana):
    token = Token.objects.create(user=hana)

    user, _token = OfficeTokenAuthentication().authenticate_credentials(token.key)

    assert (jurisdiction.acting_office(user), jurisdiction.acts_for_an_office(user)) == (
        None,
        False,
    )


def test_a_token_bound_to_an_office_i_left_acts_for_no_office(hana, hanoi):
    token, _office = api_tokens.create(hana, hanoi.pk)
    hanoi.members.remove(hana)

    user, _token = OfficeTokenAuthentication().authenticate_credentials(token.key)

    assert jurisdiction.acting_office(user) is None


def test_token_api_calls_see_what_the_bound_office_sees(both, hanoi, other, sessions):
    for_hanoi, _office = api_tokens.create(both, hanoi.pk)
    hanoi_titles = titles(token_client(for_hanoi.key).get(LIST))
    for_other, _office = api_tokens.create(both, other.pk)

    other_titles = titles(token_client(for_other.key).get(LIST))

    assert (hanoi_titles, other_titles) == (["Họp T01"], ["Họp T02"])


def test_an_unbound_token_cannot_book(hana, sessions):
    token = Token.objects.create(user=hana)

    response = token_client(token.key).post(LIST, {}, format="json")

    assert response.status_code == 403


def test_session_api_calls_act_for_the_session_office(api_as, both, other, sessions):
    client = api_as(both)
    session = client.session
    session[jurisdiction.SESSION_KEY] = other.pk
    session.save()

    assert titles(client.get(LIST)) == ["Họp T02"]


def test_session_api_calls_without_a_choice_act_for_the_first_office(api_as, both, sessions):
    assert titles(api_as(both).get(LIST)) == ["Họp T01"]


def test_the_token_authentication_is_the_api_default(settings):
    classes = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]

    assert classes[0] == "conferencing.api.authentication.OfficeTokenAuthentication"


# -- the page -------------------------------------------------------------------------------------


def test_page_makes_a_token_shown_once(client_as, both, other):
    client = client_as(both)

    made = client.post(CREATE, {"office": str(other.pk)})
    again = client.get(PAGE)

    token = Token.objects.get(user=both)
    assert made.status_code == 201
    assert token.key in made.content.decode()
    assert token.key not in again.content.decode()
    assert "Văn phòng UBND T02" in again.content.decode()
    assert token.office_binding.office == other


def test_page_refuses_a_forged_office_with_a_translated_error(client_as, hana, other):
    client = client_as(hana)

    foreign = client.post(CREATE, {"office": str(other.pk)}, headers={"Accept-Language": "en"})
    forged = client.post(CREATE, {"office": "999999"}, headers={"Accept-Language": "en"})

    assert (foreign.status_code, forged.status_code) == (400, 400)
    for response in (foreign, forged):
        assert response.context["form"].errors["office"] == ["You are not a member of that office."]
    assert Token.objects.count() == 0


def test_page_revokes_my_token(client_as, hana, hanoi):
    api_tokens.create(hana, hanoi.pk)

    response = client_as(hana).post(REVOKE)

    assert response.status_code == 302
    assert Token.objects.count() == 0


def test_page_needs_a_signed_in_user(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or "login" in response["Location"]
