"""The session pages: who may open what (anonymous, no role, technician, attendee,
secretariat) and which method each page allows.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import pytest

from meetings.models import Attendee
from tests.factories import stored_counts
from tests.meetings.views.pages import BOOK_URL, CHECK_URL, booking_data, url_for

ALL_VIEWS = ["agenda", "week", "detail", "book", "reschedule", "sites", "cancel"]

WRITE_VIEWS = ["book", "reschedule", "sites", "cancel"]


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_view_anonymous_redirects_to_login(client, meeting, view):
    url = url_for(view, meeting)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_check_anonymous_redirects_to_login(client, bridge):
    response = client.post(CHECK_URL, booking_data(bridge))

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={CHECK_URL}"


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_view_user_without_role_is_refused(client_as, mallory, meeting, view):
    response = client_as(mallory).get(url_for(view, meeting))

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["bob", "carol"])
@pytest.mark.parametrize("view", WRITE_VIEWS)
def test_write_views_refuse_technician_and_attendee(client_as, request, meeting, persona, view):
    user = request.getfixturevalue(persona)
    Attendee.objects.create(meeting=meeting, user=user)

    response = client_as(user).get(url_for(view, meeting))

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_check_refuses_everyone_but_the_secretariat(client_as, request, bridge, sites, persona):
    before = stored_counts()

    response = client_as(request.getfixturevalue(persona)).post(CHECK_URL, booking_data(bridge))

    assert response.status_code == 403
    assert stored_counts() == before


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_book_post_by_technician_or_attendee_writes_nothing(
    client_as, request, bridge, sites, persona
):
    before = stored_counts()

    response = client_as(request.getfixturevalue(persona)).post(BOOK_URL, booking_data(bridge))

    assert response.status_code == 403
    assert stored_counts() == before


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_view_secretariat_opens_everything(client_as, alice, meeting, view):
    response = client_as(alice).get(url_for(view, meeting))

    assert response.status_code == 200


@pytest.mark.parametrize("view", ["agenda", "week"])
@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_lists_open_for_technician_and_attendee(client_as, request, meeting, persona, view):
    response = client_as(request.getfixturevalue(persona)).get(url_for(view, meeting))

    assert response.status_code == 200


def test_check_get_is_not_allowed(client_as, alice):
    response = client_as(alice).get(CHECK_URL)

    assert response.status_code == 405
