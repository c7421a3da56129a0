"""The calendar pages: who may open what (anonymous, mallory, bob, carol, alice), the
subscription links shown once, rotate and revoke, the feed's refusals, and "Add to
calendar" on the meeting page.

Sites: TW; T01, T02 and their communes. bob serves T01; carol is invited by name.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.calendar.feed_tokens import lookup, new_token
from meetings.calendar.models import CalendarPreference, FeedKind, FeedToken
from meetings.models import Attendee, AttendeeRole, Classification, Meeting
from tests.factories import BridgeFactory, UserFactory, booked, local_time, serve
from tests.meetings.calendar.helpers import feed_url, new_feed, parse, vevents

OVERVIEW = "/calendar/"
CREATE = "/calendar/subscriptions/new/"
PREFERENCES = "/calendar/preferences/"
PERSONAS = ["bob", "carol", "alice"]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def technician(bob, sites):
    serve(bob, "T01")
    return bob


@pytest.fixture
def meeting(alice, carol, sites):
    session = booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=local_time(3, 8),
        details__title="Giao ban tỉnh",
    )
    Attendee.objects.create(meeting=session, user=carol, role=AttendeeRole.MEMBER)
    return session


def shown_token(response) -> str:
    (token,) = set(re.findall(r"/calendar/feed/([A-Za-z0-9_-]{43})\.ics", response.text))
    return token


def ics_url(meeting) -> str:
    return f"/calendar/meetings/{meeting.pk}.ics"


# -- Role matrix ----------------------------------------------------------------------------------


def test_overview_sends_anonymous_to_login(client, db):
    response = client.get(OVERVIEW)

    assert (response.status_code, response["Location"]) == (302, "/login/?next=/calendar/")


def test_overview_refuses_a_user_without_role(client_as, mallory):
    assert client_as(mallory).get(OVERVIEW).status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_overview_opens_for_every_role(request, client_as, sites, persona, english):
    user = request.getfixturevalue(persona)

    response = client_as(user).get(OVERVIEW)

    assert response.status_code == 200
    assert "How to subscribe" in response.text
    assert 'id="nav-calendar"' in response.text


@pytest.mark.parametrize(
    ("url", "method"),
    [
        (CREATE, "post"),
        ("/calendar/subscriptions/1/rotate/", "post"),
        ("/calendar/subscriptions/1/revoke/", "post"),
        (PREFERENCES, "post"),
        ("/calendar/meetings/1.ics", "get"),
    ],
)
def test_every_calendar_page_sends_anonymous_to_login(client, db, url, method):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(
    ("url", "method"),
    [
        (CREATE, "post"),
        ("/calendar/subscriptions/1/rotate/", "post"),
        ("/calendar/subscriptions/1/revoke/", "post"),
        (PREFERENCES, "post"),
        ("/calendar/meetings/1.ics", "get"),
    ],
)
def test_every_calendar_page_refuses_mallory(client_as, mallory, url, method):
    assert getattr(client_as(mallory), method)(url).status_code == 403


def test_site_and_organisation_forms_show_only_to_who_may_use_them(
    client_as, technician, carol, alice
):
    bob_page = client_as(technician).get(OVERVIEW).text
    carol_page = client_as(carol).get(OVERVIEW).text
    alice_page = client_as(alice).get(OVERVIEW).text

    assert ('id="site-feed-form"' in bob_page, 'id="organisation-feed-form"' in bob_page) == (
        True,
        False,
    )
    assert ('id="site-feed-form"' in carol_page, 'id="organisation-feed-form"' in carol_page) == (
        False,
        False,
    )
    assert ('id="site-feed-form"' in alice_page, 'id="organisation-feed-form"' in alice_page) == (
        True,
        True,
    )


# -- Creating, showing once, rotating, revoking -------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_personal_link_is_shown_once_as_https_and_webcal(request, client_as, sites, persona):
    user = request.getfixturevalue(persona)
    client = client_as(user)

    created = client.post(CREATE, {"kind": FeedKind.PERSONAL})
    later = client.get(OVERVIEW)

    assert created.status_code == 201
    token = shown_token(created)
    assert f'value="http://testserver/calendar/feed/{token}.ics"' in created.text
    assert f'value="webcal://testserver/calendar/feed/{token}.ics"' in created.text
    assert 'data-copy="feed-link-webcal"' in created.text
    assert lookup(token).user == user
    assert token not in later.text
    assert f'id="feed-{FeedToken.objects.get().pk}"' in later.text


def test_links_are_https_behind_https(client_as, carol):
    response = client_as(carol).post(CREATE, {"kind": FeedKind.PERSONAL}, secure=True)

    token = shown_token(response)
    assert f'value="https://testserver/calendar/feed/{token}.ics"' in response.text


def test_technician_creates_a_feed_of_a_site_they_serve(client_as, technician):
    response = client_as(technician).post(CREATE, {"kind": FeedKind.SITE, "site": "T01"})

    assert response.status_code == 201
    assert lookup(shown_token(response)).endpoint.code == "T01"


def test_technician_may_not_create_a_feed_of_another_site(client_as, technician):
    response = client_as(technician).post(CREATE, {"kind": FeedKind.SITE, "site": "T02"})

    assert response.status_code == 403
    assert FeedToken.objects.count() == 0


def test_attendee_may_not_create_a_site_feed(client_as, carol, sites):
    assert client_as(carol).post(CREATE, {"kind": FeedKind.SITE, "site": "T01"}).status_code == 403


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_only_the_secretariat_creates_the_organisation_feed(request, client_as, sites, persona):
    user = request.getfixturevalue(persona)

    response = client_as(user).post(CREATE, {"kind": FeedKind.ORGANISATION})

    assert response.status_code == 403


def test_secretariat_creates_a_filtered_organisation_feed(client_as, alice, sites):
    response = client_as(alice).post(
        CREATE, {"kind": FeedKind.ORGANISATION, "province": "T02", "level": "3"}
    )

    assert response.status_code == 201
    feed = lookup(shown_token(response))
    assert (feed.kind, feed.province.code, feed.level) == (FeedKind.ORGANISATION, "T02", 3)


def test_unknown_site_is_a_form_error(client_as, alice, sites, english):
    response = client_as(alice).post(CREATE, {"kind": FeedKind.SITE, "site": "NOPE"})

    assert response.status_code == 400
    assert "Choose an existing site." in response.text
    assert FeedToken.objects.count() == 0


def test_rotate_shows_a_new_link_and_the_old_one_stops(client_as, carol):
    feed, old = new_feed(carol)

    response = client_as(carol).post(f"/calendar/subscriptions/{feed.pk}/rotate/")

    assert response.status_code == 201
    assert lookup(old) is None
    assert lookup(shown_token(response)).kind == FeedKind.PERSONAL


def test_revoke_stops_the_link(client_as, carol, english):
    feed, token = new_feed(carol)

    response = client_as(carol).post(f"/calendar/subscriptions/{feed.pk}/revoke/", follow=True)

    assert response.redirect_chain == [("/calendar/", 302)]
    assert "The calendar link was revoked: it no longer works." in response.text
    assert lookup(token) is None


@pytest.mark.parametrize("action", ["rotate", "revoke"])
def test_someone_elses_feed_is_not_found(client_as, carol, alice, action):
    feed, token = new_feed(carol)

    response = client_as(alice).post(f"/calendar/subscriptions/{feed.pk}/{action}/")

    assert response.status_code == 404
    assert lookup(token) == feed


def test_get_does_not_create_rotate_or_revoke(client_as, carol):
    feed, token = new_feed(carol)
    client = client_as(carol)

    statuses = [
        client.get(CREATE).status_code,
        client.get(f"/calendar/subscriptions/{feed.pk}/rotate/").status_code,
        client.get(f"/calendar/subscriptions/{feed.pk}/revoke/").status_code,
    ]

    assert statuses == [405, 405, 405]
    assert lookup(token) == feed


def test_preferences_are_saved(client_as, carol):
    response = client_as(carol).post(PREFERENCES, {"language": "en"})

    assert response.status_code == 302
    preference = CalendarPreference.objects.get(user=carol)
    assert (preference.receive_invitations, preference.language) == (False, "en")


# -- The feed itself ------------------------------------------------------------------------------


def test_feed_serves_anonymous_clients_with_a_valid_token(client, technician, meeting):
    _feed, token = new_feed(technician)

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert [str(event["UID"]) for event in vevents(parse(response.content))] == [meeting.uid]


@pytest.mark.parametrize("token", ["short", "a" * 44, "%00" * 10, "../" + "a" * 40, "a" * 42 + "!"])
def test_feed_malformed_token_is_404(client, db, token):
    assert client.get(feed_url(token)).status_code == 404


def test_feed_unknown_revoked_and_malformed_tokens_look_the_same(client, carol):
    from meetings.calendar.feed_tokens import revoke

    feed, revoked = new_feed(carol)
    revoke(feed, carol)

    responses = [client.get(feed_url(token)) for token in (new_token(), revoked, "x" * 43 + "y")]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert len({response.content for response in responses}) == 1


@override_settings(CALENDAR_FEED_RATE_LIMIT=3)
def test_feed_is_rate_limited_per_token(client, carol):
    _feed, token = new_feed(carol)
    _other_feed, other = new_feed(carol)

    statuses = [client.get(feed_url(token)).status_code for _n in range(4)]
    limited = client.get(feed_url(token))

    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert client.get(feed_url(other)).status_code == 200


@override_settings(CALENDAR_FEED_RATE_LIMIT=1)
def test_rate_limit_counts_unknown_tokens_too_and_tells_nothing(client, db):
    token = new_token()

    statuses = [client.get(feed_url(token)).status_code for _n in range(2)]

    assert statuses == [404, 429]


def test_feed_head_request(client, carol):
    _feed, token = new_feed(carol)

    assert client.head(feed_url(token)).status_code == 200


# -- "Add to calendar" ----------------------------------------------------------------------------


def test_meeting_page_has_add_to_calendar(client_as, carol, meeting, english):
    response = client_as(carol).get(f"/meetings/{meeting.pk}/")

    assert f'href="/calendar/meetings/{meeting.pk}.ics" id="add-to-calendar"' in response.text


@pytest.mark.parametrize("persona", ["carol", "alice", "bob"])
def test_download_for_everyone_the_meeting_concerns(
    request, client_as, technician, meeting, persona
):
    user = request.getfixturevalue(persona)

    response = client_as(user).get(ics_url(meeting))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="giaoban-{meeting.pk}.ics"'
    (event,) = vevents(parse(response.content))
    assert (str(event["UID"]), str(event["SUMMARY"])) == (meeting.uid, "Giao ban tỉnh")


def test_download_of_a_meeting_that_does_not_concern_the_user_is_404(client_as, meeting):
    outsider = UserFactory(username="erin", roles=[Role.ATTENDEE])

    assert client_as(outsider).get(ics_url(meeting)).status_code == 404


def test_download_of_an_unknown_meeting_is_404(client_as, carol):
    assert client_as(carol).get("/calendar/meetings/999999.ics").status_code == 404


def test_download_of_a_confidential_meeting_is_busy_for_the_technician(
    client_as, alice, technician, english
):
    secret = booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=local_time(3, 8),
        details__title="Họp mật",
        details__classification=Classification.CONFIDENTIAL,
    )
    client = client_as(technician)

    busy_page = client.get(f"/meetings/{secret.pk}/")
    response = client.get(ics_url(secret))

    assert f'href="/calendar/meetings/{secret.pk}.ics"' in busy_page.text
    (event,) = vevents(parse(response.content))
    assert str(event["SUMMARY"]) == "Confidential meeting"
    assert "Họp mật" not in response.content.decode()


def test_download_of_a_series_occurrence_is_the_whole_series(client_as, alice, carol, sites):
    from meetings.series import book_series
    from tests.factories import BookingRequestFactory

    outcome = book_series(
        BookingRequestFactory(
            bridge_id=BridgeFactory().pk,
            slot__start=local_time(3, 8),
            details__attendees=((carol.pk, AttendeeRole.MEMBER),),
        ),
        "FREQ=DAILY;COUNT=3",
        alice,
    )

    response = client_as(carol).get(ics_url(outcome.booked[1]))

    (event,) = vevents(parse(response.content))
    assert (str(event["UID"]), event["RRULE"].to_ical()) == (
        outcome.series.uid,
        b"FREQ=DAILY;COUNT=3",
    )


def test_download_is_stamped_with_the_moment_it_was_made(client_as, carol, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=timezone.now() - timedelta(days=2))
    before = timezone.now().replace(microsecond=0)

    response = client_as(carol).get(ics_url(meeting))

    (event,) = vevents(parse(response.content))
    assert before <= event["DTSTAMP"].dt <= timezone.now()
    assert event["LAST-MODIFIED"].dt < before - timedelta(days=1)
