"""Benchmark: one person's calendar feed of 10,000 sessions, 50 of them series.

    .venv/bin/python bench/calendar.py

Two legs, each in a child process with its own settings (as bench/booking.py does):
SQLite in a temporary directory, and PostgreSQL in a throwaway database
`giaoban_bench_calendar` created, migrated and dropped on the server of DATABASE_URL
if set, else postgres://postgres@127.0.0.1:5432 (skipped if it cannot connect).

Each leg bulk-inserts (not through the booking domain, to keep the setup short):
9,000 single sessions over the feed's window (150 days back, 215 ahead) and 50
weekly series of 20 occurrences (two moved, one cancelled per series), all with
the feed's owner invited; 2,000 other sessions they are not part of; three sites
per session, no site twice at one time. Then it requests the owner's personal feed
through the whole Django stack (middleware included):
  - cold: the event cache empty, every event built and serialised by icalendar;
  - warm: every event's text from the cache, the feed assembled from them;
  - not modified: a conditional request with the feed's ETag (304), its validator
    from the cache (no booking change since it was computed);
  - not modified, fresh validator: the same after a booking change elsewhere (the
    generation row raised before the request, not timed), so the validator's
    aggregate query runs and is written to the feed's row (what a client polling
    hourly mostly gets).
Prints human-readable lines, then one JSON object as the last line: the top-level
figures are the slower database's, the per-database ones are prefixed.
"""

import sys

if __name__ == "calendar":
    # Another script of bench/ runs with this directory first on sys.path, so
    # `import calendar` (http.cookiejar does it, under Django's dependencies) finds
    # this file: load the standard library's module in its place and hand it over.
    import importlib.util as _util
    import sysconfig as _sysconfig

    _spec = _util.spec_from_file_location(
        "calendar", f"{_sysconfig.get_paths()['stdlib']}/calendar.py"
    )
    _module = _util.module_from_spec(_spec)
    sys.modules["calendar"] = _module
    _spec.loader.exec_module(_module)
    # The import system returns sys.modules["calendar"]: the standard library's. The
    # rest of this file only defines names, in this discarded module.

if __name__ == "__main__":
    # Run as a script, this directory comes first on sys.path and this file would
    # shadow the standard library's `calendar` (http.cookiejar, imported by Django's
    # dependencies, needs it): take it off before importing anything else.
    sys.path[:] = [entry for entry in sys.path if entry not in ("", __file__.rpartition("/")[0])]
    # The project's root instead, for bench._legs.
    sys.path.insert(0, __file__.rsplit("/", 2)[0])

import json
import statistics
import time

from bench import _legs

BENCH_DATABASE = "giaoban_bench_calendar"
SINGLE_SESSIONS = 9_000
SERIES = 50
OCCURRENCES = 20
OTHER_SESSIONS = 2_000
SITES = 400
COLD_RUNS = 3
WARM_RUNS = 7
NOT_MODIFIED_RUNS = 30
GOALS_MS = {
    "cold_ms": 2000,
    "warm_ms": 150,
    "not_modified_ms": 10,
    "not_modified_fresh_validator_ms": 10,
}
FIGURES = tuple(GOALS_MS)


def main() -> int:
    if sys.argv[1:] == ["--leg"]:
        print(json.dumps(run_leg()))
        return 0
    legs = {"sqlite": sqlite_leg(), "postgresql": postgres_leg()}
    legs = {name: result for name, result in legs.items() if result is not None}
    summary: dict = {}
    for name, result in legs.items():
        print(
            f"{name}: {result['events']} sessions ({result['vevents']} VEVENTs, "
            f"{result['series']} series), {result['feed_bytes']:,} bytes, "
            f"seeded in {result['seed_s']:.1f} s"
        )
        for figure, queries in (
            ("cold_ms", "queries"),
            ("warm_ms", "warm_queries"),
            ("not_modified_ms", "not_modified_queries"),
            ("not_modified_fresh_validator_ms", "not_modified_fresh_validator_queries"),
        ):
            goal = GOALS_MS[figure]
            verdict = "met" if result[figure] <= goal else "MISSED"
            print(
                f"  {figure[:-3]:32} {result[figure]:8.1f} ms (median), {result[queries]} "
                f"queries; goal <= {goal} ms: {verdict}"
            )
        summary.update({f"{name}_{key}": value for key, value in result.items()})
    if not legs:
        return 1
    worst = max(legs.values(), key=lambda result: result["cold_ms"])
    summary = {
        "events": worst["events"],
        "vevents": worst["vevents"],
        "series": worst["series"],
        **{figure: max(result[figure] for result in legs.values()) for figure in FIGURES},
        "feed_bytes": worst["feed_bytes"],
        "queries": worst["queries"],
        "warm_queries": worst["warm_queries"],
        "not_modified_queries": worst["not_modified_queries"],
        "not_modified_fresh_validator_queries": worst["not_modified_fresh_validator_queries"],
        "databases": sorted(legs),
        **summary,
    }
    print(json.dumps(summary))
    return 0


# The shared legs' settings, and no rate limit in the way.
SETTINGS = {**_legs.SETTINGS, "CALENDAR_FEED_RATE_LIMIT": "1000000"}


def sqlite_leg() -> dict:
    return _legs.sqlite_leg(__file__, SETTINGS)


def postgres_leg() -> dict | None:
    return _legs.postgres_leg(__file__, SETTINGS, BENCH_DATABASE)


# -- In the child -------------------------------------------------------------------------------


def run_leg() -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from meetings.calendar.feed_tokens import FeedScope, create
    from meetings.calendar.models import FeedKind
    from meetings.calendar.receivers import feeds_changed

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    owner = seed()
    seed_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        connection.cursor().execute("ANALYZE")
    _feed, token = create(owner, FeedScope(kind=FeedKind.PERSONAL))
    url = f"/calendar/feed/{token}.ics"
    client = Client()

    def cold():
        cache.clear()
        return client.get(url)

    cold_runs = [timed(cold) for _n in range(COLD_RUNS)]
    warm_runs = [timed(lambda: client.get(url)) for _n in range(WARM_RUNS)]
    etag = warm_runs[-1][2]["ETag"]
    not_modified_runs = [
        timed(lambda: client.get(url, headers={"if-none-match": etag}))
        for _n in range(NOT_MODIFIED_RUNS)
    ]

    def fresh_validator():
        # As after any booking change (its transaction raises the generation, outside
        # the request timed): the validator's aggregate query runs.
        feeds_changed()
        return timed(lambda: client.get(url, headers={"if-none-match": etag}))

    fresh_runs = [fresh_validator() for _n in range(NOT_MODIFIED_RUNS)]
    body = warm_runs[-1][2].content
    assert cold_runs[-1][2].content == body
    assert not_modified_runs[-1][2].status_code == 304
    from meetings.models import Meeting, Series

    return {
        "vendor": connection.vendor,
        "events": Meeting.objects.filter(attendees__user=owner).count(),
        "vevents": body.count(b"BEGIN:VEVENT"),
        "series": Series.objects.count(),
        "seed_s": round(seed_s, 1),
        "cold_ms": median_ms(cold_runs[1:]),  # the first run also warms Python's caches
        "first_cold_ms": round(cold_runs[0][0], 1),
        "warm_ms": median_ms(warm_runs),
        "not_modified_ms": median_ms(not_modified_runs),
        "not_modified_fresh_validator_ms": median_ms(fresh_runs),
        "feed_bytes": len(body),
        "queries": cold_runs[-1][1],
        "warm_queries": warm_runs[-1][1],
        "not_modified_queries": not_modified_runs[-1][1],
        "not_modified_fresh_validator_queries": fresh_runs[-1][1],
    }


def timed(action) -> tuple[float, int, object]:
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = action()
        elapsed = time.perf_counter() - started
    assert response.status_code in (200, 304), response.status_code
    return elapsed * 1000, queries, response


def median_ms(runs) -> float:
    return round(statistics.median(ms for ms, _queries, _response in runs), 1)


def seed():
    """The owner, sites, a bridge; sessions, legs, series, attendees in bulk."""
    from datetime import datetime, timedelta
    from datetime import time as dt_time
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.roles import Role
    from conferencing.models import Bridge, Endpoint, Level, Office, path_for
    from meetings.models import Series

    zone = ZoneInfo(settings.TIME_ZONE)
    users = get_user_model()
    organiser = users.objects.create_user("secretariat", email="vanphong@example.vn")
    owner = users.objects.create_user("owner", email="owner@example.vn", first_name="Chủ")
    owner.groups.add(Group.objects.get_or_create(name=Role.ATTENDEE.value)[0])
    organiser.groups.add(Group.objects.get_or_create(name=Role.SECRETARIAT.value)[0])
    centre = Endpoint.objects.create(code="TW", name="Trung ương", level=Level.CENTRAL)
    sites = Endpoint.objects.bulk_create(
        Endpoint(
            code=f"S{n:04d}",
            name=f"Điểm cầu xã {n:04d}",
            level=Level.COMMUNE,
            parent=centre,
            path=path_for(f"S{n:04d}", centre.path),
            dial_string=f"sip:s{n:04d}@vc.example.vn",
        )
        for n in range(SITES)
    )
    site_ids = [site.pk for site in sites]
    # The central office (issue #13) books every session and owns the bridge.
    office = Office.objects.create(code="VPCP", name="Văn phòng Chính phủ", jurisdiction=centre)
    office.members.add(organiser)
    bridge = Bridge.objects.create(
        name="MCU Trung ương", dial_in="sip:mcu@vc.example.vn", port_capacity=100_000, owner=office
    )
    today = timezone.localdate(timezone=zone)

    def at(day: int, hour: int) -> datetime:
        return datetime.combine(today + timedelta(days=day), dt_time(hour), zone)

    # Singles and others: four daytime slots a day ([07-10) … [16-19) with setup), a
    # slot's sessions on disjoint sites (three each): owner's on sites 0-149, others'
    # on 150-299. Series in the evening on sites 300-399.
    plans = []  # (start, hours, site ids, in the owner's feed, series index, occurrence)
    days = range(-150, 215)
    slots = [(day, hour) for day in days for hour in (8, 11, 14, 17)]
    for index in range(SINGLE_SESSIONS):
        day, hour = slots[index % len(slots)]
        lane = index // len(slots)
        plans.append((at(day, hour), 2, site_ids[3 * lane : 3 * lane + 3], True, None, None))
    for index in range(OTHER_SESSIONS):
        day, hour = slots[index % len(slots)]
        lane = 50 + index // len(slots)
        plans.append((at(day, hour), 2, site_ids[3 * lane : 3 * lane + 3], False, None, None))
    series_rows = Series.objects.bulk_create(
        Series(
            rrule=f"FREQ=WEEKLY;COUNT={OCCURRENCES}",
            first_start=at(-70 + index % 7, 20),
            created_by=organiser,
        )
        for index in range(SERIES)
    )
    for index, series in enumerate(series_rows):
        lane = 100 + index % 33  # series on one weekday never share a site
        for occurrence in range(OCCURRENCES):
            start = series.first_start + timedelta(weeks=occurrence)
            plans.append((start, 1, site_ids[3 * lane : 3 * lane + 3], True, index, occurrence))
    return insert(plans, owner, organiser, bridge, series_rows)


def insert(plans, owner, organiser, bridge, series_rows):
    from datetime import timedelta

    from conferencing.models import Conference, Leg
    from meetings.models import Attendee, Meeting, MeetingStatus

    def moved(occurrence) -> bool:
        return occurrence in (5, 12)  # moved an hour later: a RECURRENCE-ID override

    def cancelled(occurrence) -> bool:
        return occurrence == 9  # an EXDATE

    conferences = Conference.objects.bulk_create(
        (
            Conference(
                bridge=bridge,
                start=start + (timedelta(hours=1) if moved(occurrence) else timedelta()),
                end=start
                + timedelta(hours=hours)
                + (timedelta(hours=1) if moved(occurrence) else timedelta()),
                setup_minutes=60,
                status="cancelled" if cancelled(occurrence) else "scheduled",
            )
            for start, hours, _sites, _mine, _series, occurrence in plans
        ),
        batch_size=2000,
    )
    Leg.objects.bulk_create(
        (
            Leg(
                conference=conference,
                endpoint_id=endpoint_id,
                role="host" if position == 0 else "participant",
                reserved_from=conference.start - timedelta(hours=1),
                reserved_until=conference.end,
                is_reserved=conference.status == "scheduled",
            )
            for conference, (_start, _hours, sites, *_rest) in zip(conferences, plans, strict=True)
            for position, endpoint_id in enumerate(sites)
        ),
        batch_size=5000,
    )
    meetings = Meeting.objects.bulk_create(
        (
            Meeting(
                title=f"Giao ban trực tuyến số {index}",
                agenda="1. Tình hình kinh tế - xã hội\n2. Nhiệm vụ trọng tâm, phân công",
                organising_unit="Văn phòng UBND",
                organiser=organiser,
                owner_office_id=bridge.owner_id,
                conference=conference,
                series=series_rows[series] if series is not None else None,
                occurrence_start=start if series is not None else None,
                sequence=1 if series is not None and (moved(occ) or cancelled(occ)) else 0,
                status=MeetingStatus.CANCELLED
                if series is not None and cancelled(occ)
                else MeetingStatus.SCHEDULED,
            )
            for index, (conference, (start, _hours, _sites, _mine, series, occ)) in enumerate(
                zip(conferences, plans, strict=True)
            )
        ),
        batch_size=2000,
    )
    Attendee.objects.bulk_create(
        (
            Attendee(meeting=meeting, user=owner)
            for meeting, (_start, _hours, _sites, mine, *_rest) in zip(meetings, plans, strict=True)
            if mine
        ),
        batch_size=5000,
    )
    return owner


if __name__ == "__main__":
    sys.exit(main())
