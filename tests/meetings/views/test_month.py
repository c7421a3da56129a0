"""The office's month at a glance (/meetings/month/?m=YYYY-MM): for the secretariat of
the office it acts for; every other role is refused."""

import re

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from tests.factories import UserFactory, local_time
from tests.meetings.views.pages import book_province


def month_of(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m")


def figure(html: str, chart_id: str) -> str:
    return re.search(rf'<figure[^>]*id="{chart_id}".*?</figure>', html, re.S).group(0)


def test_the_secretariat_sees_its_sessions_per_week_and_the_rate(
    client_as, alice, sites, bridge, english
):
    start = local_time(1, 8)
    book_province(alice, bridge, "T01", start, title="Giao ban T01")

    response = client_as(alice).get("/meetings/month/", {"m": month_of(start)})

    assert response.status_code == 200
    html = response.content.decode()
    sessions = figure(html, "month-sessions")
    assert 'role="img"' in sessions
    assert f"Sessions per week in {start:%m/%Y}: 1 in all, at most 1 in the week of" in sessions
    assert re.findall(r'class="chart-(\w+)"[^>]*data-value="(\d+)"', sessions) == [
        ("upcoming", "1")
    ]
    rate = figure(html, "month-rate")
    assert 'role="img"' in rate
    assert "no session has started yet" in rate
    # The titles of sessions are not on this page: only their numbers.
    assert "Giao ban T01" not in html


def test_another_offices_sessions_are_not_counted(client_as, hana, alice, sites, bridge):
    start = local_time(1, 8)
    book_province(alice, bridge, "T01", start)

    response = client_as(hana).get("/meetings/month/", {"m": month_of(start)})

    assert response.context["glance"].sessions == 0


def test_an_unreadable_month_is_explained_and_this_month_shown(client_as, alice, sites, english):
    response = client_as(alice).get("/meetings/month/", {"m": "2026-13"})

    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Choose a month as YYYY-MM, for example 2026-12."
    ]
    assert response.context["glance"].month == timezone.localdate().replace(day=1)


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory", "root"])
def test_other_roles_are_refused(client_as, request, persona, db):
    user = (
        UserFactory(username="root", is_superuser=True, is_staff=True)
        if persona == "root"
        else request.getfixturevalue(persona)
    )

    response = client_as(user).get("/meetings/month/")

    assert response.status_code == 403


def test_the_session_lists_link_the_secretariat_to_its_month(client_as, alice, carol, sites):
    assert 'id="month-link"' in client_as(alice).get("/meetings/").content.decode()
    assert 'id="month-link"' not in client_as(carol).get("/meetings/week/").content.decode()


@pytest.mark.parametrize("sessions", [1, 3])
def test_query_count_is_constant(
    client_as, alice, sites, bridge, sessions, django_assert_num_queries
):
    for index, code in enumerate(("T01", "T02", "T01")[:sessions]):
        book_province(alice, bridge, code, local_time(1, 8 + 3 * index))
    client = client_as(alice)

    # session, user, roles, offices, the month's sessions
    with django_assert_num_queries(5):
        response = client.get("/meetings/month/", {"m": month_of(local_time(1, 8))})

    assert response.context["glance"].sessions == sessions


def test_a_month_without_sessions_says_so(client_as, alice, sites, english):
    response = client_as(alice).get("/meetings/month/", {"m": "2026-02"})

    html = response.content.decode()
    assert 'aria-label="No session of your office starts in 02/2026."' in html
    assert "no session has started yet" in html
