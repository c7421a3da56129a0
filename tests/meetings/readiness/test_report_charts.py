"""The readiness report's pictures: bars per province (on time / late / never) and the
line of ready sites over the window, each with an accessible name and its numbers as a
table (meetings.readiness.report_charts)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from conferencing import readiness
from conferencing.models import Leg
from conferencing.site_selection import SiteSelection
from meetings.readiness.report_charts import label_every
from tests.factories import BridgeFactory, booked, site_tree

MINUTE = timedelta(minutes=1)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def national(alice, bob, db):
    """T01 with two communes and T02 with one, starting in 30 minutes: the window opened
    30 minutes ago. bob serves them all."""
    sites = site_tree(provinces=2, communes=2)
    for code in ("T01", "X0101", "X0102", "T02", "X0201"):
        sites[code].technicians.add(bob)
    start = (timezone.now() + 30 * MINUTE).replace(microsecond=0)
    return booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("T01", "X0101", "X0102", "T02", "X0201")),
        host_code="T01",
        slot__start=start,
        slot__end=start + timedelta(hours=2),
    )


def say(user, meeting, code: str, state: str, minutes_ago: int) -> None:
    leg = Leg.objects.get(conference=meeting.conference, endpoint__code=code)
    at = timezone.now() - minutes_ago * MINUTE
    # Ready means checked: every check of a ready report is ok.
    checklist = dict.fromkeys(readiness.CHECK_ITEMS, True) if state == "ready" else {}
    readiness.submit_report(readiness.Report(leg.pk, state, checklist), user, now=at)


def svg_of(html: str, chart_id: str) -> str:
    return re.search(rf'<figure[^>]*id="{chart_id}".*?</figure>', html, re.S).group(0)


def test_the_report_draws_each_province_as_on_time_late_never(
    client_as, alice, bob, national, english
):
    say(bob, national, "T01", "checking", 20)
    say(bob, national, "T01", "ready", 15)
    say(bob, national, "X0101", "checking", 10)
    say(bob, national, "X0101", "ready", 5)
    say(bob, national, "T02", "checking", 4)

    html = client_as(alice).get(f"/meetings/{national.pk}/readiness/").content.decode()

    # Before the start, every ready site is on time so far; the others have not been.
    bars = svg_of(html, "report-province-bars")
    assert 'role="img"' in bars
    assert (
        'aria-label="Readiness by province, 2 provinces: 2 sites ready on time, 0 late, '
        '3 never ready."' in bars
    )
    drawn = re.findall(r'<g class="chart-bar"><text[^>]*>([^<]+)</text>(.*?)</g>', bars, re.S)
    assert [name for name, _shapes in drawn] == ["Điểm cầu T01", "Điểm cầu T02"]
    assert re.findall(r'class="chart-(\w+)"[^>]*data-value="(\d+)"', drawn[0][1]) == [
        ("on_time", "2"),
        ("never", "1"),
    ]
    # The numbers as a table, in the same figure.
    rows = re.findall(r"<tr>\s*<th scope=\"row\">([^<]+)</th>(.*?)</tr>", bars, re.S)
    assert [(name, re.findall(r"<td>(\d+)</td>", cells)) for name, cells in rows] == [
        ("Điểm cầu T01", ["2", "0", "1", "3"]),
        ("Điểm cầu T02", ["0", "0", "2", "2"]),
    ]


def test_the_report_draws_ready_sites_over_the_window(client_as, alice, bob, national, english):
    say(bob, national, "T01", "checking", 20)
    say(bob, national, "T01", "ready", 15)
    say(bob, national, "X0101", "checking", 10)
    say(bob, national, "X0101", "ready", 5)

    html = client_as(alice).get(f"/meetings/{national.pk}/readiness/").content.decode()

    line = svg_of(html, "report-ready-line")
    assert 'role="img"' in line
    assert re.search(r'aria-label="Ready sites from \d\d:\d\d to \d\d:\d\d, of 5: ', line)
    assert "<polyline points=" in line
    counts = [int(value) for value in re.findall(r"<td>(\d+)</td>", line)]
    # From none when the window opened, 30 minutes ago, to two ready now.
    assert counts[0] == 0
    assert counts[-1] == 2
    assert counts == sorted(counts)


def test_the_chart_stylesheet_is_served_with_the_report(client_as, alice, national):
    html = client_as(alice).get(f"/meetings/{national.pk}/readiness/").content.decode()

    assert "/static/css/charts.css" in html
    assert "style=" not in svg_of(html, "report-ready-line")


@pytest.mark.parametrize(
    ("minutes", "every"), [(30, 5), (60, 10), (90, 15), (180, 30), (24 * 60, 360)]
)
def test_time_labels_are_at_most_eight(minutes, every):
    assert label_every(timedelta(minutes=minutes)) == timedelta(minutes=every)


def test_the_report_links_the_secretariat_to_the_month_of_its_session(client_as, alice, national):
    html = client_as(alice).get(f"/meetings/{national.pk}/readiness/").content.decode()

    month = timezone.localtime(national.conference.start).strftime("%Y-%m")
    assert f'href="/meetings/month/?m={month}" id="report-month-link"' in html
