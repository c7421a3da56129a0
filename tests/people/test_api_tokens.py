"""people.api_tokens: each rule of making, checking and revoking a token, once."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Person, Source
from accounts.roles import Role
from audit.models import AuditEntry
from conferencing import jurisdiction
from people import api_tokens
from people.models import ApiToken, TokenScope
from tests.factories import UserFactory, central_office

pytestmark = pytest.mark.django_db

READ, READ_WRITE = TokenScope.READ, TokenScope.READ_WRITE


@pytest.fixture
def both(hanoi):
    """Secretariat of the central office and of Hà Nội's."""
    return UserFactory(username="both", roles=[Role.SECRETARIAT], offices=[central_office(), hanoi])


def make(owner, **fields):
    return api_tokens.create(owner, **{"name": "Cổng dịch vụ công", "scope": READ, **fields})


def test_a_new_token_is_shown_once_and_stored_as_its_prefix_and_hash(hana, hanoi):
    made = make(hana, office_id=hanoi.pk)

    stored = ApiToken.objects.get()
    assert (stored.prefix, stored.secret_hash) == (
        made.key[:8],
        hashlib.sha256(made.key.encode()).hexdigest(),
    )
    assert made.key not in str(list(ApiToken.objects.values()))
    assert len(made.key) == 43
    assert (stored.user, stored.office, stored.scope, stored.expires_at) == (
        hana,
        hanoi,
        READ,
        None,
    )


def test_making_a_token_is_audited_without_the_token(hana, hanoi):
    made = make(hana, office_id=hanoi.pk)

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (
        hana,
        "api.token_created",
        str(made.token.pk),
    )
    assert entry.changes == {
        "owner": hana.pk,
        "name": "Cổng dịch vụ công",
        "prefix": made.key[:8],
        "scope": "read",
        "office": "VP-HN",
        "expires_at": None,
    }


def test_a_person_has_several_tokens(hana):
    first, second = make(hana), make(hana, name="Cổng thứ hai", scope=READ_WRITE)

    assert api_tokens.tokens_of(hana) == [second.token, first.token]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"scope": "admin"}, "scope"),
        ({"expires_at": timedelta(minutes=-1)}, "expires_at"),
        ({"expires_at": timedelta(days=366)}, "expires_at"),
        ({"office_id": "other"}, "office"),
        ({"office_id": "nonsense"}, "office"),
    ],
)
def test_a_bad_token_is_refused_and_nothing_is_written(hana, other, fields, code):
    if "expires_at" in fields:
        fields = {"expires_at": timezone.now() + fields["expires_at"]}
    if fields.get("office_id") == "other":
        fields = {"office_id": other.pk}  # an office hana is not a member of

    with pytest.raises(api_tokens.TokenRefused) as refused:
        make(hana, **fields)

    assert refused.value.code == code
    assert (ApiToken.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_token_lives_at_most_a_year(hana):
    made = make(hana, expires_at=timezone.now() + timedelta(days=364))

    assert made.token.expires_at is not None


def test_a_token_acts_for_its_office_not_the_owners_first(both, hanoi):
    made = make(both, office_id=hanoi.pk)

    token = api_tokens.authenticate(made.key)
    api_tokens.act_for_its_office(token)

    assert jurisdiction.acting_office(token.user) == hanoi


def test_a_token_of_an_office_its_owner_left_acts_for_none(both, hanoi):
    made = make(both, office_id=hanoi.pk)
    hanoi.members.remove(both)

    token = api_tokens.authenticate(made.key)
    api_tokens.act_for_its_office(token)

    assert jurisdiction.acting_office(token.user) is None


def test_a_token_without_an_office_acts_for_none(both):
    made = make(both)

    token = api_tokens.authenticate(made.key)
    api_tokens.act_for_its_office(token)

    assert jurisdiction.acting_office(token.user) is None


def refusal(key: str) -> str:
    with pytest.raises(api_tokens.TokenRefused) as refused:
        api_tokens.authenticate(key)
    return refused.value.code


def test_unknown_revoked_expired_and_inactive_tokens_are_refused(hana):
    revoked, expired, inactive = make(hana), make(hana), make(UserFactory(username="gone"))
    api_tokens.revoke(revoked.token)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now())
    inactive.token.user.is_active = False
    inactive.token.user.save()

    codes = {
        "unknown": refusal(revoked.key[:8] + "x" * 35),
        "empty": refusal(""),
        "huge": refusal("x" * 10_000),
        "revoked": refusal(revoked.key),
        "expired": refusal(expired.key),
        "inactive": refusal(inactive.key),
    }

    assert codes == {
        "unknown": "token_invalid",
        "empty": "token_invalid",
        "huge": "token_invalid",
        "revoked": "token_revoked",
        "expired": "token_expired",
        "inactive": "account_inactive",
    }


def test_tokens_sharing_a_prefix_are_told_apart_by_their_hash(hana):
    made = make(hana)
    ApiToken.objects.create(
        user=UserFactory(),
        name="trùng tiền tố",
        prefix=made.key[:8],
        secret_hash=hashlib.sha256(b"another").hexdigest(),
    )

    assert api_tokens.authenticate(made.key) == made.token


def test_last_used_is_written_at_most_once_a_minute(hana, django_assert_num_queries):
    made = make(hana)

    with django_assert_num_queries(2):  # the token, and "last used"
        first = api_tokens.authenticate(made.key).last_used_at
    with django_assert_num_queries(1):
        again = api_tokens.authenticate(made.key).last_used_at
    ApiToken.objects.update(last_used_at=first - timedelta(seconds=61))
    with django_assert_num_queries(2):
        later = api_tokens.authenticate(made.key).last_used_at

    assert first is not None
    assert again == first
    assert later > first


def test_revoking_stops_the_token_and_is_audited_once(hana):
    made = make(hana)

    stopped = api_tokens.revoke(made.token, actor=hana)
    again = api_tokens.revoke(made.token, actor=hana)

    assert (stopped, again) == (True, False)
    assert refusal(made.key) == "token_revoked"
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "api.token_created",
        "api.token_revoked",
    ]


def test_revoke_all_stops_every_live_token_of_the_owner_only(hana, alice):
    mine = [make(hana), make(hana)]
    api_tokens.revoke(mine[0].token)
    theirs = make(alice)

    count = api_tokens.revoke_all(hana, actor=alice)

    assert count == 1
    assert [refusal(made.key) for made in mine] == ["token_revoked", "token_revoked"]
    assert api_tokens.authenticate(theirs.key) == theirs.token
    entry = AuditEntry.objects.filter(action="api.token_revoked").order_by("pk").last()
    assert (entry.actor, entry.target_id) == (alice, str(mine[1].token.pk))


def test_another_persons_token_is_not_found(hana, alice):
    theirs = make(alice)

    with pytest.raises(api_tokens.TokenNotFound):
        api_tokens.token_of(hana, theirs.token.pk)
    with pytest.raises(api_tokens.TokenNotFound):
        api_tokens.token_of(hana, "abc")


@pytest.mark.parametrize("source", [Source.LDAP, Source.OIDC])
def test_a_directory_persons_token_needs_a_recent_directory_sign_in(settings, source):
    settings.DIRECTORY_TOKEN_DAYS = 30
    person = UserFactory(username="lan.dir")
    Person.objects.filter(user=person).update(source=source)
    made = api_tokens.create(person, name="Cổng", scope=TokenScope.READ)
    get_user_model().objects.filter(pk=person.pk).update(
        last_login=timezone.now() - timedelta(days=29)
    )
    assert api_tokens.authenticate(made.key).user == person
    assert api_tokens.is_live(made.token.pk)

    get_user_model().objects.filter(pk=person.pk).update(
        last_login=timezone.now() - timedelta(days=31)
    )

    with pytest.raises(api_tokens.TokenRefused) as refused:
        api_tokens.authenticate(made.key)
    assert refused.value.code == "directory_sign_in_needed"
    assert not api_tokens.is_live(made.token.pk)


def test_a_local_persons_token_does_not_ask_for_a_recent_sign_in():
    person = UserFactory(username="lan.local")
    made = api_tokens.create(person, name="Cổng", scope=TokenScope.READ)
    get_user_model().objects.filter(pk=person.pk).update(last_login=None)

    assert api_tokens.authenticate(made.key).user == person
