"""The token API (/api/v1/tokens/) and the Bearer authentication every API call takes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEntry
from people import api_tokens
from people.models import ApiToken, TokenScope
from tests.factories import UserFactory, central_office
from tests.problems import code_detail, field_errors, members

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens/"
SITES = "/api/v1/endpoints/"


def client_with(header: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE="en")


def make(owner, scope=TokenScope.READ_WRITE, **fields) -> api_tokens.NewToken:
    return api_tokens.create(owner, name="Tích hợp", scope=scope, **fields)


@pytest.mark.parametrize("keyword", ["Bearer", "bearer", "Token"])
def test_a_token_is_taken_as_bearer_or_as_before(bob, keyword):
    made = make(bob)

    response = client_with(f"{keyword} {made.key}").get(SITES)

    assert response.status_code == 200


def test_anonymous_is_asked_for_a_bearer_token(api):
    response = api.get(SITES)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "not_authenticated"


def test_expired_revoked_unknown_tokens_and_inactive_owners_get_401_saying_which(bob):
    expired, revoked, inactive = make(bob), make(bob), make(UserFactory(username="gone"))
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now())
    api_tokens.revoke(revoked.token)
    inactive.token.user.is_active = False
    inactive.token.user.save()
    keys = {
        "expired": expired.key,
        "revoked": revoked.key,
        "inactive": inactive.key,
        "unknown": "x" * 43,
    }

    answers = {
        case: code_detail(response)
        for case, key in keys.items()
        for response in [client_with(f"Bearer {key}").get(SITES)]
    }

    assert answers == {
        "expired": (401, "token_expired", "This API token has expired."),
        "revoked": (401, "token_revoked", "This API token was revoked."),
        "inactive": (401, "account_inactive", "The account of this API token is inactive."),
        "unknown": (401, "token_invalid", "This API token is not valid."),
    }


def test_a_malformed_header_gets_401(bob):
    response = client_with("Bearer two words").get(SITES)

    assert (response.status_code, response.json()["code"]) == (401, "token_invalid")


def test_the_refusal_is_translated(bob):
    made = make(bob)
    api_tokens.revoke(made.token)

    response = APIClient(HTTP_AUTHORIZATION=f"Bearer {made.key}", HTTP_ACCEPT_LANGUAGE="vi").get(
        SITES
    )

    assert response.json()["detail"] == "Token API này đã bị thu hồi."


def test_a_read_only_token_reads_but_may_not_write(bob):
    made = make(bob, scope=TokenScope.READ)
    api = client_with(f"Bearer {made.key}")

    read = api.get(TOKENS)
    write = api.post(TOKENS, {"name": "Thêm", "scope": "read"})
    revoke = api.delete(f"{TOKENS}{made.token.pk}/")

    assert (read.status_code, write.status_code, revoke.status_code) == (200, 403, 403)
    assert code_detail(write) == (403, "token_read_only", "This API token may only read.")
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_my_tokens_are_listed_without_their_secret(api_as, bob, carol):
    mine = make(bob)
    make(carol)

    response = api_as(bob).get(TOKENS)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [mine.token.pk]
    row = response.json()[0]
    assert set(row) == {
        "id",
        "name",
        "prefix",
        "scope",
        "office",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    }
    assert row["prefix"] == mine.key[:8]


@pytest.mark.parametrize("count", [1, 3])
def test_the_token_list_takes_the_same_queries_for_one_and_three(
    api_as, bob, count, django_assert_num_queries
):
    for _ in range(count):
        make(bob)
    api = api_as(bob)

    with django_assert_num_queries(3):  # the session, the user with the person, the tokens
        response = api.get(TOKENS)

    assert len(response.json()) == count


def test_making_a_token_shows_it_once_and_audits(api_as, hana, hanoi):
    expires = timezone.now() + timedelta(days=30)

    response = api_as(hana).post(
        TOKENS,
        {"name": "Cổng", "scope": "read", "expires_at": expires.isoformat(), "office": hanoi.pk},
    )

    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get()
    assert (body["id"], body["office"], body["scope"], body["prefix"]) == (
        token.pk,
        hanoi.pk,
        "read",
        body["token"][:8],
    )
    assert api_tokens.authenticate(body["token"]) == token
    assert AuditEntry.objects.get().action == "api.token_created"
    assert "token" not in api_as(hana).get(TOKENS).json()[0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "scope": "read"}, "name"),
        ({"name": "Cổng", "scope": "all"}, "scope"),
        ({"name": "Cổng", "scope": "read", "office": 999999}, "office"),
        ({"name": "Cổng", "scope": "read", "expires_at": "2000-01-01T00:00:00Z"}, "expires_at"),
    ],
)
def test_a_bad_token_request_gets_400_naming_the_field(api_as, hana, body, field):
    response = api_as(hana).post(TOKENS, body)

    assert response.status_code == 400
    assert list(field_errors(response)) == [field]
    assert ApiToken.objects.count() == 0


def test_revoking_my_token_stops_it(api_as, bob):
    made = make(bob)

    response = api_as(bob).delete(f"{TOKENS}{made.token.pk}/")

    assert response.status_code == 204
    assert client_with(f"Bearer {made.key}").get(SITES).status_code == 401
    assert AuditEntry.objects.filter(action="api.token_revoked").count() == 1


def test_another_persons_token_answers_as_a_missing_one(api_as, bob, carol):
    theirs = make(carol)

    refused = api_as(bob).delete(f"{TOKENS}{theirs.token.pk}/")
    missing = api_as(bob).delete(f"{TOKENS}999999/")

    assert (refused.status_code, members(refused)) == (missing.status_code, members(missing))
    assert refused.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_may_manage_its_owners_tokens(bob):
    made = make(bob)
    api = client_with(f"Bearer {made.key}")

    made_by_token = api.post(TOKENS, {"name": "Thứ hai", "scope": "read"})

    assert made_by_token.status_code == 201
    assert ApiToken.objects.filter(user=bob).count() == 2


def test_a_token_makes_no_token_outliving_it(bob):
    hour = make(bob, expires_at=timezone.now() + timedelta(hours=1))
    api = client_with(f"Bearer {hour.key}")

    for_ever = api.post(TOKENS, {"name": "Mãi mãi", "scope": "read"})
    longer = api.post(
        TOKENS,
        {"name": "Dài hơn", "scope": "read", "expires_at": timezone.now() + timedelta(days=2)},
    )
    shorter = api.post(
        TOKENS,
        {"name": "Ngắn hơn", "scope": "read", "expires_at": timezone.now() + timedelta(minutes=30)},
    )

    assert (for_ever.status_code, longer.status_code, shorter.status_code) == (400, 400, 201)
    assert "expires_at" in str(for_ever.json())
    assert ApiToken.objects.filter(user=bob).count() == 2


def test_a_token_makes_no_token_for_another_office(hana, hanoi):
    central = central_office()
    central.members.add(hana)
    hanoi_token = api_tokens.create(
        hana, name="Hà Nội", scope=TokenScope.READ_WRITE, office_id=hanoi.pk
    )

    answer = client_with(f"Bearer {hanoi_token.key}").post(
        TOKENS, {"name": "Trung ương", "scope": "read", "office": central.pk}
    )

    assert answer.status_code == 400
    assert ApiToken.objects.filter(user=hana).count() == 1
