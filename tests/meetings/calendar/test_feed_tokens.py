"""Feed tokens: secret, stored as a hash, checked in constant time, rotated and revoked,
and created only for what their owner may see."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditEntry
from conferencing.models import Endpoint, Level
from meetings.calendar import feed_tokens
from meetings.calendar.feed_tokens import FeedScope, FeedTokenError
from meetings.calendar.models import FeedKind, FeedToken
from tests.factories import serve
from tests.meetings.calendar.helpers import new_feed


@pytest.fixture
def technician(bob, sites):
    serve(bob, "T01")
    return bob


def test_token_has_256_random_bits_and_only_its_hash_is_stored(carol):
    feed, token = new_feed(carol)

    assert len(token) == 43
    assert feed_tokens.is_well_formed(token)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = FeedToken.objects.filter(pk=feed.pk).values().get()
    assert token not in {str(value) for value in stored.values()}


def test_two_tokens_differ(carol):
    _first, one = new_feed(carol)
    _second, other = new_feed(carol)

    assert one != other


def test_lookup_finds_the_active_feed(carol):
    feed, token = new_feed(carol)

    assert feed_tokens.lookup(token) == feed


@pytest.mark.parametrize(
    "token",
    ["", "short", "a" * 42, "a" * 44, "a" * 42 + "/", "a" * 42 + "=", "ă" * 43, "a" * 42 + "\x00"],
)
def test_malformed_token_is_refused_without_a_query(db, token, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert feed_tokens.lookup(token) is None


def test_unknown_token_is_refused(carol):
    new_feed(carol)

    assert feed_tokens.lookup(feed_tokens.new_token()) is None


def test_revoked_token_is_refused(carol):
    feed, token = new_feed(carol)

    feed_tokens.revoke(feed, carol)

    assert feed_tokens.lookup(token) is None
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_token_of_a_deactivated_user_is_refused(carol):
    _feed, token = new_feed(carol)

    carol.is_active = False
    carol.save()

    assert feed_tokens.lookup(token) is None


def test_personal_token_of_a_user_who_lost_every_role_is_refused(carol):
    _feed, token = new_feed(carol)

    carol.groups.clear()

    assert feed_tokens.lookup(token) is None


def test_site_token_of_a_technician_no_longer_serving_the_site_is_refused(technician):
    _feed, token = new_feed(technician, FeedKind.SITE, site_code="T01")

    Endpoint.objects.get(code="T01").technicians.remove(technician)

    assert feed_tokens.lookup(token) is None


def test_rotate_revokes_the_old_token_and_keeps_the_scope(alice, sites):
    old, old_token = new_feed(alice, FeedKind.ORGANISATION, province_code="T01", level=3)

    new, new_token = feed_tokens.rotate(old, alice)

    assert feed_tokens.lookup(old_token) is None
    assert feed_tokens.lookup(new_token) == new
    assert (new.kind, new.province.code, new.level, new.user) == (
        FeedKind.ORGANISATION,
        "T01",
        3,
        alice,
    )
    assert list(
        AuditEntry.objects.filter(target_type="meetings.feedtoken")
        .order_by("id")
        .values_list("action", "target_id", "changes")
    ) == [
        (
            "calendar.feed_created",
            str(old.pk),
            {
                "kind": "organisation",
                "site": None,
                "province": "T01",
                "level": 3,
                "office": "VPCP",
                "without_invitations": False,
            },
        ),
        (
            "calendar.feed_rotated",
            str(new.pk),
            {
                "kind": "organisation",
                "site": None,
                "province": "T01",
                "level": 3,
                "office": "VPCP",
                "without_invitations": False,
                "replaces": old.pk,
            },
        ),
    ]


def test_someone_elses_feed_cannot_be_rotated_or_revoked(carol, alice):
    feed, token = new_feed(carol)

    with pytest.raises(FeedToken.DoesNotExist):
        feed_tokens.rotate(feed, alice)
    with pytest.raises(FeedToken.DoesNotExist):
        feed_tokens.revoke(feed, alice)
    assert feed_tokens.lookup(token) == feed


def test_revoked_feed_cannot_be_rotated(carol):
    feed, _token = new_feed(carol)
    feed_tokens.revoke(feed, carol)

    with pytest.raises(FeedToken.DoesNotExist):
        feed_tokens.rotate(feed, carol)


# -- Who may create what --------------------------------------------------------------------------


def test_every_role_may_have_a_personal_feed(alice, bob, carol):
    kinds = [new_feed(user)[0].kind for user in (alice, bob, carol)]

    assert kinds == [FeedKind.PERSONAL] * 3


def test_user_without_a_role_may_not_have_a_feed(mallory):
    with pytest.raises(PermissionDenied):
        new_feed(mallory)


def test_technician_may_have_a_feed_of_a_site_they_serve_only(technician):
    feed, _token = new_feed(technician, FeedKind.SITE, site_code="T01")

    assert feed.endpoint.code == "T01"
    with pytest.raises(PermissionDenied):
        new_feed(technician, FeedKind.SITE, site_code="T02")


def test_secretariat_may_have_a_feed_of_any_site(alice, sites):
    feed, _token = new_feed(alice, FeedKind.SITE, site_code="X0202")

    assert feed.endpoint.code == "X0202"


def test_attendee_may_not_have_a_site_feed(carol, sites):
    with pytest.raises(PermissionDenied):
        new_feed(carol, FeedKind.SITE, site_code="T01")


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_only_the_secretariat_may_have_the_organisation_feed(request, sites, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        new_feed(user, FeedKind.ORGANISATION)


def test_site_feed_of_an_unknown_site_is_refused(alice, sites):
    with pytest.raises(FeedTokenError) as error:
        new_feed(alice, FeedKind.SITE, site_code="NOPE")

    assert error.value.field == "site"
    assert FeedToken.objects.count() == 0


def test_organisation_feed_province_must_be_a_province(alice, sites):
    with pytest.raises(FeedTokenError) as error:
        new_feed(alice, FeedKind.ORGANISATION, province_code="X0101")

    assert error.value.field == "province"


def test_organisation_feed_level_must_be_a_level(alice, sites):
    with pytest.raises(FeedTokenError) as error:
        new_feed(alice, FeedKind.ORGANISATION, level=9)

    assert error.value.field == "level"


def test_unknown_kind_is_refused(alice):
    with pytest.raises(FeedTokenError) as error:
        feed_tokens.create(alice, FeedScope(kind="everything"))

    assert error.value.field == "kind"


def test_number_of_active_feeds_is_limited(carol):
    for _n in range(feed_tokens.MAX_ACTIVE_FEEDS):
        new_feed(carol)

    with pytest.raises(FeedTokenError):
        new_feed(carol)
    assert FeedToken.objects.active().filter(user=carol).count() == feed_tokens.MAX_ACTIVE_FEEDS


def test_organisation_scope_is_stored(alice, sites):
    feed, _token = new_feed(alice, FeedKind.ORGANISATION, province_code="T02", level=Level.COMMUNE)

    assert (feed.province.code, feed.level, feed.endpoint) == ("T02", Level.COMMUNE, None)


# -- Last used ------------------------------------------------------------------------------------


def test_touch_writes_last_used_at_most_every_interval(carol, django_assert_num_queries):
    feed, _token = new_feed(carol)
    now = timezone.now()

    with django_assert_num_queries(1):
        feed_tokens.touch(feed, now)
    with django_assert_num_queries(0):
        feed_tokens.touch(feed, now + feed_tokens.TOUCH_INTERVAL - timedelta(seconds=1))
    with django_assert_num_queries(1):
        feed_tokens.touch(feed, now + feed_tokens.TOUCH_INTERVAL)

    feed.refresh_from_db()
    assert feed.last_used_at == now + feed_tokens.TOUCH_INTERVAL
