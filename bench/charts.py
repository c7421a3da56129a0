"""Benchmark: the pictures of issue 15 (item 7) at national scale.

    .venv/bin/python bench/charts.py

Runs on PostgreSQL only, in a throwaway database `giaoban_bench_charts` (BENCH_DATABASE
names another) that it creates, migrates and drops itself, on the server of
DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432; in a child process with
DEBUG off (bench/_legs.py), as bench/pages.py does.

Setup: bench/pages.py's own (the national tree, 3,356 sites; the central office VPCP; a
national session on the bridge "MCU Quốc gia" whose setup window opened 30 minutes ago,
every leg with reports; a few more sessions of the office), and eight national sessions
of last month on the same bridge, held, each site with a report of ready a few minutes
before or after the start (written in bulk, as the readiness domain writes them).

Measured in-process through Django's test Client as the central office's secretariat
(median of 7 warm requests, 2 discarded; the body's size; the SQL queries of one more):
- `report`: the national readiness report, with its bars per province and its line of
  ready sites over the window;
- `month`: /meetings/month/ for last month (8 national sessions, 26,848 sites judged);
- `bridge_use`: /bridges/<national>/use/ for the day of the national session;
and the domain functions alone (median of 7 after 2): `report_charts_ms`
(meetings.readiness.report_charts: the event log replayed and both geometries),
`month_glance_ms`, `port_use_ms`; and `report_charts_kb`, the pictures' share of the
report's HTML (their markup and tables).

Prints human lines, each page against bench/pages.py's page budget (<= 300 ms), then
one JSON object as the last line.
"""

import sys

# Run as a script, this directory would come first on sys.path, where bench/calendar.py
# shadows the standard library's calendar: put the project root there instead.
sys.path[:] = [__file__.rsplit("/", 2)[0]] + [
    entry for entry in sys.path if entry != __file__.rpartition("/")[0]
]

import json
import os
import statistics
import time

from bench import _legs

BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "giaoban_bench_charts"
LEG_SETTINGS = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECOND_FACTOR_REQUIRED": "false",
}
PAGES = ("report", "month", "bridge_use")
FUNCTIONS = ("report_charts", "month_glance", "port_use")
GOAL_MS = 300
PAST_SESSIONS = 8
WARM = 2
TIMED = 7


def main() -> int:
    if sys.argv[1:] == ["--leg"]:
        print(json.dumps(run_leg()))
        return 0
    print("setting up the national tree and sessions (a few minutes) ...", flush=True)
    result = _legs.postgres_leg(__file__, LEG_SETTINGS, BENCH_DATABASE)
    if result is None:
        return 1
    report(result)
    print(json.dumps(result))
    return 0


def report(r: dict) -> None:
    print(
        f"{r['sites']} sites in the national session; {r['past_sessions']} national sessions "
        f"last month ({r['month_sites']} sites judged); setup {r['setup_s']:.1f} s; load "
        f"average {r['load_average']} on {r['cpus']} CPUs at the end (times grow with it)"
    )
    for page in PAGES:
        ms, kb, queries = r[f"{page}_ms"], r[f"{page}_kb"], r[f"{page}_queries"]
        verdict = "met" if ms <= GOAL_MS else "MISSED"
        print(
            f"{page:11} {ms:8.1f} ms (<= {GOAL_MS} ms {verdict}), {kb:8.1f} KB, {queries:3} queries"
        )
    for name in FUNCTIONS:
        print(f"  {name:14} {r[f'{name}_ms']:8.1f} ms (the domain function alone)")
    print(f"  the report's pictures weigh {r['report_charts_kb']} KB of its HTML, tables included")


# -- In the child -------------------------------------------------------------------------------


def run_leg() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import pages

    assert connection.vendor == "postgresql", connection.vendor
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("import_divisions", verbosity=0)
    world = pages.seed()
    month, judged = seed_last_month(world)
    connection.cursor().execute("ANALYZE")
    result = {
        "sites": world.sites,
        "past_sessions": PAST_SESSIONS,
        "month_sites": judged,
        "setup_s": round(time.perf_counter() - started, 1),
    }
    result.update(measure(world, month))
    result["load_average"] = round(os.getloadavg()[0], 1)
    result["cpus"] = os.cpu_count()
    return result


def seed_last_month(world) -> tuple:
    """Eight national sessions of last month on the national bridge, every site with
    one ready report around the start; returns (the month's first day, sites judged)."""
    import random
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from conferencing.models import (
        Bridge,
        Conference,
        Endpoint,
        Leg,
        LegRole,
        Office,
        ReadinessEvent,
        ReadinessState,
    )
    from meetings.models import Meeting

    rng = random.Random(15)
    bridge = Bridge.objects.get(name="MCU Quốc gia")
    office = Office.objects.get(code="VPCP")
    sites = list(Endpoint.objects.filter(pk__in=world_site_ids(world)).values_list("pk", "path"))
    sites.sort(key=lambda site: site[1])
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    zone = timezone.get_current_timezone()
    judged = 0
    for index in range(PAST_SESSIONS):
        start = datetime.combine(month + timedelta(days=1 + 3 * index), time(8), tzinfo=zone)
        conference = Conference.objects.create(
            bridge=bridge, start=start, end=start + timedelta(hours=2), setup_minutes=60
        )
        legs = Leg.objects.bulk_create(
            (
                Leg(
                    conference=conference,
                    endpoint_id=pk,
                    role=LegRole.HOST if number == 0 else LegRole.PARTICIPANT,
                    reserved_from=start - timedelta(minutes=60),
                    reserved_until=conference.end,
                    state=ReadinessState.READY,
                )
                for number, (pk, _path) in enumerate(sites)
            ),
            batch_size=2000,
        )
        ReadinessEvent.objects.bulk_create(
            (
                ReadinessEvent(
                    leg=leg,
                    seq=seq,
                    actor=world.technician,
                    at=start + timedelta(minutes=rng.uniform(-50, 10)),
                    from_state=ReadinessState.CHECKING,
                    to_state=ReadinessState.READY,
                )
                for seq, leg in enumerate(legs, start=1)
            ),
            batch_size=2000,
        )
        Meeting.objects.create(
            title=f"Giao ban toàn quốc tháng trước {index + 1}",
            organiser=world.secretariat,
            owner_office=office,
            conference=conference,
        )
        judged += len(legs)
    return month, judged


def world_site_ids(world) -> list[int]:
    from conferencing.models import Leg

    return list(
        Leg.objects.filter(conference_id=world.conference_id).values_list("endpoint_id", flat=True)
    )


def median_ms(call) -> float:
    for _ in range(WARM):
        call()
    times = []
    for _ in range(TIMED):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def measure(world, month) -> dict:
    from django.template.loader import render_to_string
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from bench.pages import measure_page
    from conferencing.jurisdiction import booking_office
    from conferencing.models import Bridge, Conference
    from conferencing.port_use import port_use
    from conferencing.readiness_report import summarise
    from meetings.month_glance import month_glance
    from meetings.readiness.report_charts import report_charts

    client = Client()
    client.force_login(world.secretariat)
    conference = Conference.objects.get(pk=world.conference_id)
    bridge = Bridge.objects.get(pk=conference.bridge_id)
    day = timezone.localtime(conference.start).date()
    urls = {
        "report": reverse("meetings:readiness", kwargs={"meeting_id": world.meeting_id}),
        "month": reverse("meetings:month") + f"?m={month:%Y-%m}",
        "bridge_use": reverse("bridges:use", kwargs={"bridge_id": bridge.pk})
        + f"?day={day:%d/%m/%Y}",
    }
    result = {}
    for name, url in urls.items():
        ms, kb, queries = measure_page(client, url)
        result.update({f"{name}_ms": ms, f"{name}_kb": kb, f"{name}_queries": queries})

    summary = summarise(conference)
    office = booking_office(world.secretariat)
    # What the pictures add to the report: their markup, tables included.
    drawn = render_to_string(
        "meetings/includes/readiness_charts.html",
        {"charts": report_charts(conference, summary, _whole(), timezone.now())},
    )
    result["report_charts_kb"] = round(len(drawn.encode()) / 1024, 1)
    result["report_charts_ms"] = median_ms(
        lambda: report_charts(conference, summary, _whole(), timezone.now())
    )
    result["month_glance_ms"] = median_ms(
        lambda: month_glance(world.secretariat, office, month, timezone.now())
    )
    result["port_use_ms"] = median_ms(lambda: port_use(bridge, day))
    return result


def _whole():
    from conferencing.watch_policy import WHOLE_BOARD

    return WHOLE_BOARD


if __name__ == "__main__":
    raise SystemExit(main())
