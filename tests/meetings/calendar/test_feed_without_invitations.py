"""A personal feed without the sessions its owner gets invitations for by e-mail, so
each session reaches their calendar app once: who gets invitations for what
(meetings.calendar.invitation_recipients), what the feed then holds, its ETag, the
choice on the calendar page.

Sites: TW; T01, T02 and their communes. alice (secretariat) organises every session;
she serves T02 and is invited by name where a test says so.
"""

import pytest
from django.core.cache import cache

from conferencing.site_selection import SiteSelection
from meetings.calendar import feed_tokens
from meetings.calendar.invitation_recipients import (
    invited_condition,
    invited_users,
    receives_invitations,
)
from meetings.calendar.models import CalendarPreference, FeedKind, FeedToken
from meetings.models import Attendee, AttendeeRole, Meeting
from tests.factories import BridgeFactory, UserFactory, booked, local_time, serve, site_tree
from tests.meetings.calendar.helpers import feed_url, new_feed, parse, vevents

OVERVIEW = "/calendar/"
CREATE = "/calendar/subscriptions/new/"
PREFERENCES = "/calendar/preferences/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sessions(alice, db) -> dict[str, Meeting]:
    """One session alice only organises, one she is invited to, one at a site she serves."""
    site_tree(provinces=2, communes=2)
    serve(alice, "T02")
    bridge = BridgeFactory()

    def book(day: int, code: str) -> Meeting:
        return booked(
            alice,
            bridge_id=bridge.pk,
            sites=SiteSelection(sites=(code,)),
            host_code=code,
            slot__start=local_time(day, 8),
        )

    invited = book(4, "T01")
    Attendee.objects.create(meeting=invited, user=alice, role=AttendeeRole.MEMBER)
    return {"organised": book(3, "T01"), "invited": invited, "served": book(5, "T02")}


def uids_in(client, token: str) -> set[str]:
    response = client.get(feed_url(token))
    assert response.status_code == 200
    return {str(event["UID"]) for event in vevents(parse(response.content))}


def uids_of(sessions: dict[str, Meeting], *names: str) -> set[str]:
    return {sessions[name].uid for name in names}


def turn_invitations(user, on: bool) -> None:
    CalendarPreference.objects.update_or_create(user=user, defaults={"receive_invitations": on})
    user.refresh_from_db()


# -- Who gets invitations for what ----------------------------------------------------------------


def test_invitations_reach_whoever_has_an_address_and_did_not_turn_them_off(db):
    default = UserFactory(username="lan")
    opted_out = UserFactory(username="minh")
    turn_invitations(opted_out, on=False)
    without_address = UserFactory(username="hoa", email="")
    gone = UserFactory(username="tuan", is_active=False)

    assert receives_invitations(default) is True
    assert receives_invitations(opted_out) is False
    assert receives_invitations(without_address) is False
    assert receives_invitations(gone) is False


def test_invitations_are_for_the_sessions_attended_and_those_of_the_sites_served(alice, sessions):
    invited = Meeting.objects.filter(invited_condition(alice))

    assert set(invited.values_list("uid", flat=True)) == uids_of(sessions, "invited", "served")


def test_invitations_per_person_and_per_meetings_are_the_same_rule(alice, bob, carol, sessions):
    serve(bob, "T01")
    Attendee.objects.create(meeting=sessions["served"], user=carol, role=AttendeeRole.MEMBER)
    people = (alice, bob, carol)

    for name, meeting in sessions.items():
        meetings = Meeting.objects.filter(pk=meeting.pk)
        per_person = {user.pk for user in people if meetings.filter(invited_condition(user))}
        assert invited_users(meetings) == per_person, name


# -- What the feed holds --------------------------------------------------------------------------


def test_personal_feed_holds_every_session_of_its_owner_by_default(client, alice, sessions):
    _feed, token = new_feed(alice)

    assert uids_in(client, token) == uids_of(sessions, "organised", "invited", "served")


def test_feed_without_invitations_leaves_out_the_sessions_invited_to(client, alice, sessions):
    _feed, token = new_feed(alice, without_invitations=True)

    assert uids_in(client, token) == uids_of(sessions, "organised")


def test_without_invitations_does_nothing_while_invitations_are_off(client, alice, sessions):
    turn_invitations(alice, on=False)
    _feed, token = new_feed(alice, without_invitations=True)

    assert uids_in(client, token) == uids_of(sessions, "organised", "invited", "served")


def test_without_invitations_does_nothing_for_an_owner_without_an_address(client, alice, sessions):
    type(alice).objects.filter(pk=alice.pk).update(email="")
    _feed, token = new_feed(alice, without_invitations=True)

    assert uids_in(client, token) == uids_of(sessions, "organised", "invited", "served")


def test_turning_invitations_off_brings_the_sessions_back_under_a_new_etag(
    client_as, alice, sessions
):
    client = client_as(alice)
    _feed, token = new_feed(alice, without_invitations=True)
    before = client.get(feed_url(token))

    client.post(PREFERENCES, {"language": ""})  # the box unticked: invitations off
    after = client.get(feed_url(token))
    again = client.get(feed_url(token), headers={"if-none-match": before["ETag"]})

    assert after["ETag"] != before["ETag"]
    assert again.status_code == 200
    assert {str(event["UID"]) for event in vevents(parse(after.content))} == uids_of(
        sessions, "organised", "invited", "served"
    )


def test_the_etag_follows_the_owners_preference_even_when_the_sessions_do_not_change(
    client_as, alice, db
):
    """No session is left out (alice is invited to none), yet the feed's meaning changed."""
    client = client_as(alice)
    _feed, token = new_feed(alice, without_invitations=True)
    on = client.get(feed_url(token))["ETag"]

    client.post(PREFERENCES, {"language": ""})
    off = client.get(feed_url(token))["ETag"]
    client.post(PREFERENCES, {"receive_invitations": "on", "language": ""})

    assert off != on
    assert client.get(feed_url(token))["ETag"] == on


def test_rotating_keeps_the_choice(alice, db):
    feed, _token = new_feed(alice, without_invitations=True)

    new, _new_token = feed_tokens.rotate(feed, alice)

    assert new.without_invitations is True


# -- The calendar page ----------------------------------------------------------------------------


def test_the_choice_is_offered_with_the_personal_feed_and_explained(client_as, alice, db):
    response = client_as(alice).get(OVERVIEW)

    personal_form = response.text.split('id="personal-feed-form"')[1].split("</form>")[0]
    assert 'name="without_invitations"' in personal_form
    assert response.text.count('name="without_invitations"') == 1
    assert "Đánh dấu ô này để mỗi phiên họp chỉ đến một lần" in personal_form


def test_a_personal_feed_made_without_invitations_says_so_in_the_list(client_as, alice, db):
    response = client_as(alice).post(
        CREATE, {"kind": FeedKind.PERSONAL, "without_invitations": "on"}
    )

    assert response.status_code == 201
    feed = FeedToken.objects.get(user=alice)
    assert feed.without_invitations is True
    assert "không gồm các phiên họp được mời qua thư điện tử" in response.text


def test_only_a_personal_feed_can_leave_out_invitations(client_as, alice, sessions):
    response = client_as(alice).post(
        CREATE, {"kind": FeedKind.SITE, "site": "T02", "without_invitations": "on"}
    )

    assert response.status_code == 201
    assert FeedToken.objects.get(user=alice).without_invitations is False
