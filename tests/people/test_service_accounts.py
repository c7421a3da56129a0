"""Service accounts: an office's accounts for integrations (people.service_accounts)
and their pages under /people/service-accounts/."""

import pytest
from django.contrib.auth import authenticate

from accounts.models import Source
from accounts.roles import Role, has_role
from audit.models import AuditEntry
from people import api_tokens, scope, service_accounts
from people.models import ApiToken, TokenScope
from tests.factories import UserFactory, central_office

pytestmark = pytest.mark.django_db

LIST = "/people/service-accounts/"


@pytest.fixture
def central_staff(sites):
    return UserFactory(username="vpcp", roles=[Role.SECRETARIAT], offices=[central_office()])


@pytest.fixture
def olga(other):
    """Secretariat of the other province's office."""
    return UserFactory(username="olga", roles=[Role.SECRETARIAT], offices=[other])


def make_account(actor, office, username="cong-dvc", role=Role.TECHNICIAN):
    return service_accounts.create(
        actor, username=username, full_name="Cổng dịch vụ công", role=role, office_id=office.pk
    )


def test_a_service_account_has_no_password_and_is_a_member_with_its_role(rf, hana, hanoi):
    account = make_account(hana, hanoi)

    assert account.has_usable_password() is False
    assert account.person.source == Source.SERVICE
    assert account.person.full_name == "Cổng dịch vụ công"
    assert list(account.offices.all()) == [hanoi]
    assert has_role(account, Role.TECHNICIAN)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.changes["office"]) == (
        hana,
        "people.service_account_created",
        "VP-HN",
    )
    assert authenticate(rf.post("/login/"), username="cong-dvc", password="") is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": ""}, "username"),
        ({"username": "có dấu cách"}, "username"),
        ({"username": "hana"}, "username"),  # taken
        ({"full_name": " "}, "full_name"),
        ({"role": "Admin"}, "role"),
        ({"office_id": "other"}, "office"),
    ],
)
def test_a_bad_service_account_is_refused_and_nothing_written(hana, other, fields, field):
    if fields.get("office_id") == "other":
        fields = {"office_id": other.pk}
    asked = {
        "username": "cong-dvc",
        "full_name": "Cổng dịch vụ công",
        "role": Role.TECHNICIAN.value,
        "office_id": None,
        **fields,
    }
    asked["office_id"] = asked["office_id"] or hana.offices.get().pk

    with pytest.raises(service_accounts.ServiceAccountRefused) as refused:
        service_accounts.create(hana, **asked)

    assert refused.value.field == field
    assert AuditEntry.objects.count() == 0


def test_the_office_and_the_offices_above_manage_it_others_do_not(hana, hanoi, central_staff, olga):
    account = make_account(hana, hanoi)

    managers = {}
    for name, user in {"hanoi": hana, "central": central_staff, "other": olga}.items():
        try:
            managers[name] = service_accounts.managed_account(user, account.pk) == account
        except scope.NotManaged:
            managers[name] = False

    assert managers == {"hanoi": True, "central": True, "other": False}


def test_a_person_is_not_a_service_account(hana, hanoi):
    person = UserFactory(offices=[hanoi])

    with pytest.raises(scope.NotManaged):
        service_accounts.managed_account(hana, person.pk)


def test_its_token_is_made_by_the_office_and_acts_for_it(hana, hanoi):
    account = make_account(hana, hanoi)

    made = service_accounts.create_token(
        hana, account, name="Cổng", scope=TokenScope.READ, office_id=hanoi.pk
    )

    token = api_tokens.authenticate(made.key)
    assert (token.user, token.office) == (account, hanoi)
    assert AuditEntry.objects.filter(action="api.token_created").get().actor == hana


# --- pages ---------------------------------------------------------------------------------------


def test_the_list_shows_the_offices_accounts_only(client_as, hana, hanoi, olga, other):
    mine = make_account(hana, hanoi)
    theirs = make_account(olga, other, username="cong-khac")

    response = client_as(hana).get(LIST)

    assert response.status_code == 200
    assert list(response.context["accounts"]) == [mine]
    assert theirs.username not in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_takes_the_same_queries_for_one_and_three(
    client_as, hana, hanoi, count, django_assert_num_queries
):
    for number in range(count):
        account = make_account(hana, hanoi, username=f"dv{number}")
        api_tokens.create(account, name="Cổng", scope=TokenScope.READ)
    client = client_as(hana)

    with django_assert_num_queries(8):
        response = client.get(LIST)

    assert response.status_code == 200


def test_making_one_on_the_page_opens_its_page(client_as, hana, hanoi):
    response = client_as(hana).post(
        LIST,
        {
            "username": "cong-dvc",
            "full_name": "Cổng dịch vụ công",
            "role": Role.ATTENDEE.value,
            "office": hanoi.pk,
        },
    )

    account = service_accounts.service_accounts(hana).get()
    assert (response.status_code, response["Location"]) == (302, f"{LIST}{account.pk}/")


def test_an_office_outside_is_refused_on_the_page(client_as, hana, other):
    response = client_as(hana).post(
        LIST,
        {"username": "x", "full_name": "X", "role": Role.ATTENDEE.value, "office": other.pk},
    )

    assert response.status_code == 400


def test_someone_who_manages_no_one_is_refused(client_as, bob):
    assert client_as(bob).get(LIST).status_code == 403


def test_the_accounts_page_makes_and_revokes_its_tokens(client_as, hana, hanoi):
    account = make_account(hana, hanoi)
    client = client_as(hana)

    made = client.post(
        f"{LIST}{account.pk}/tokens/", {"name": "Cổng", "scope": "read", "office": hanoi.pk}
    )
    token = ApiToken.objects.get()
    worked = api_tokens.authenticate(made.context["new_key"]) == token
    revoked = client.post(f"{LIST}tokens/{token.pk}/revoke/")

    assert (made.status_code, worked) == (201, True)
    assert (revoked.status_code, revoked["Location"]) == (302, f"{LIST}{account.pk}/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_another_provinces_account_and_token_are_not_found(client_as, hana, hanoi, olga):
    account = make_account(hana, hanoi)
    made = service_accounts.create_token(hana, account, name="Cổng", scope=TokenScope.READ)
    client = client_as(olga)

    answers = [
        client.get(f"{LIST}{account.pk}/").status_code,
        client.post(f"{LIST}{account.pk}/tokens/", {"name": "x", "scope": "read"}).status_code,
        client.post(f"{LIST}tokens/{made.token.pk}/revoke/").status_code,
    ]

    assert answers == [404, 404, 404]
    assert ApiToken.objects.get().revoked_at is None
