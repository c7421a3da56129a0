"""Benchmark: book national and province sessions among 50,000 existing reservations.

    .venv/bin/python bench/booking.py

Runs on PostgreSQL only, in a throwaway database `giaoban_bench_booking` that it
creates, migrates and drops itself, on the server of DATABASE_URL if set, else
postgres://postgres@127.0.0.1:5432. The work happens in a child process of this
script with its own settings (as bench/import_endpoints.py does).

The child imports the national tree (3,356 sites), bulk-inserts 50,000 reservations
(legs) in 5,000 ten-site conferences over the coming two months, four daytime
slots a day, no site twice in one slot; then, 30 times each and each time at a
new free evening slot right after the busy day (back to back with it):
  - books a national session (central + province + commune levels: 3,356 sites),
  - books a province session (the province subtree closest to 100 sites),
  - dry-runs (`booking.check`) each.
Prints human-readable lines, then one JSON object as the last line.
"""

import sys

# Run as a script, this directory would come first on sys.path, where bench/calendar.py
# (the name its issue gives) shadows the standard library's calendar: put the project
# root there instead, so the shared frame imports as bench._legs.
sys.path[:] = [__file__.rsplit("/", 2)[0]] + [
    entry for entry in sys.path if entry != __file__.rpartition("/")[0]
]

import json
import statistics
import time
from collections.abc import Callable

from bench import _legs

BENCH_DATABASE = "giaoban_bench_booking"
# DEBUG off: Django would otherwise keep the SQL of every query (a 3,356-row INSERT).
LEG_SETTINGS = {"DEBUG": "0", "SECRET_KEY": "bench-only-not-a-secret"}
REPETITIONS = 30
EXISTING_CONFERENCES = 5_000
SITES_PER_CONFERENCE = 10
CONFERENCES_PER_SLOT = 20
# Local hours of the daytime sessions; each lasts 2 h after a 1 h setup window,
# so the windows [07-10), [10-13), [13-16), [16-19) follow each other.
DAY_SLOTS = (8, 11, 14, 17)
GOALS_MS = {"national_p50_ms": 300, "province_p50_ms": 50, "dry_run_national_p50_ms": 100}


def main() -> int:
    if sys.argv[1:] == ["--leg"]:
        print(json.dumps(run_leg()))
        return 0
    result = _legs.postgres_leg(__file__, LEG_SETTINGS, BENCH_DATABASE)
    if result is None:
        return 1
    print(
        f"{result['sites_national']} sites in the tree, "
        f"{result['existing_reservations']} existing reservations "
        f"({result['seed_s']:.1f} s to import and seed)"
    )
    for label, key, sites in (
        ("book national", "national", result["sites_national"]),
        ("book province", "province", result["sites_province"]),
        ("dry run national", "dry_run_national", result["sites_national"]),
        ("dry run province", "dry_run_province", result["sites_province"]),
    ):
        print(
            f"{label:17} {sites:5} sites: p50 {result[f'{key}_p50_ms']:7.1f} ms, "
            f"p95 {result[f'{key}_p95_ms']:7.1f} ms, {result[f'queries_{key}']} queries"
        )
    for key, goal in GOALS_MS.items():
        verdict = "met" if result[key] <= goal else "MISSED"
        print(f"goal {key} <= {goal} ms: {result[key]:.1f} ms, {verdict}")
    print(json.dumps(result))
    return 0


# -- In the child -------------------------------------------------------------------------------


def run_leg() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from conferencing.jurisdiction import booking_office
    from conferencing.models import Endpoint, Level
    from conferencing.site_selection import SiteSelection

    assert connection.vendor == "postgresql", connection.vendor
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_divisions", verbosity=0)
    user, bridges = people_and_bridges()
    existing = seed_reservations(user, bridges)
    seed_s = time.perf_counter() - started
    connection.cursor().execute("ANALYZE")

    national = SiteSelection(levels=(Level.CENTRAL, Level.PROVINCE, Level.COMMUNE))
    province_code, province_sites = province_near(100)
    province = SiteSelection(subtrees=(province_code,))
    # The province's own office books its session, on the centre's bridge shared with it.
    province_user = provincial_office(province_code, shared=bridges[1])
    # As a request has them before the view runs (the header reads the user's roles and
    # offices): the first booking of each then costs what every later one does.
    for person in (user, province_user):
        booking_office(person)
    # Evening slots right after the busy day: national 20:00-21:30 (window from
    # 19:00), province 22:00-23:00 (window from 21:30). Bookings take days 1-30;
    # dry runs look at days 31-60, which stay free.
    book_national = measure(
        lambda day: book_at(user, bridges[0], national, "TW", day, 20, 90, 60), range(1, 31)
    )
    book_province = measure(
        lambda day: book_at(province_user, bridges[1], province, province_code, day, 22, 60, 30),
        range(1, 31),
    )
    check_national = measure(
        lambda day: check_at(user, bridges[0], national, "TW", day, 20, 90, 60), range(31, 61)
    )
    check_province = measure(
        lambda day: check_at(province_user, bridges[1], province, province_code, day, 22, 60, 30),
        range(31, 61),
    )
    result = {
        "existing_reservations": existing,
        "sites_national": Endpoint.objects.filter(level__in=national.levels).count(),
        "sites_province": province_sites,
        "province": province_code,
        "seed_s": round(seed_s, 1),
        "repetitions": REPETITIONS,
    }
    for key, runs in (
        ("national", book_national),
        ("province", book_province),
        ("dry_run_national", check_national),
        ("dry_run_province", check_province),
    ):
        result.update(summarise(key, runs))
    return result


def people_and_bridges():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.roles import Role
    from conferencing.models import Bridge, Endpoint, Office

    user = get_user_model().objects.create_user("bench", password="bench-not-a-secret")
    user.groups.add(Group.objects.get_or_create(name=Role.SECRETARIAT.value)[0])
    centre = Office.objects.create(
        code="VPCP", name="Văn phòng Chính phủ", jurisdiction=Endpoint.objects.get(parent=None)
    )
    centre.members.add(user)
    bridges = [
        Bridge.objects.create(
            name=f"MCU {n}", dial_in=f"sip:mcu{n}@vc.example.vn", port_capacity=4000, owner=centre
        )
        for n in range(4)
    ]
    return user, bridges


def provincial_office(province_code: str, shared):
    """A provincial office with one secretariat member, the bridge `shared` with it."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.roles import Role
    from conferencing.models import Endpoint, Office

    office = Office.objects.create(
        code=f"VP-{province_code}",
        name=f"Văn phòng UBND {province_code}",
        jurisdiction=Endpoint.objects.get(code=province_code),
    )
    user = get_user_model().objects.create_user("bench-province", password="bench-not-a-secret")
    user.groups.add(Group.objects.get(name=Role.SECRETARIAT.value))
    office.members.add(user)
    shared.shared_with.add(office)
    return user


def local_start(day: int, hour: int, minute: int = 0):
    from datetime import datetime, timedelta
    from datetime import time as dt_time
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.utils import timezone

    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate(timezone=zone)
    return datetime.combine(today + timedelta(days=day), dt_time(hour, minute), zone)


def seed_reservations(user, bridges) -> int:
    """5,000 conferences of ten sites (a province and nine of its communes), each with
    its meeting, inserted directly: 20 per daytime slot, no site twice in a slot."""
    import random
    from datetime import timedelta

    from conferencing.models import Conference, Endpoint, Leg, Level
    from meetings.models import Meeting

    rng = random.Random(2026)
    communes_by_province: dict[int, list[int]] = {}
    for pk, parent_id in Endpoint.objects.filter(level=Level.COMMUNE).values_list(
        "pk", "parent_id"
    ):
        communes_by_province.setdefault(parent_id, []).append(pk)
    provinces = sorted(communes_by_province)
    plans = []
    for slot_index in range(EXISTING_CONFERENCES // CONFERENCES_PER_SLOT):
        day, hour = 1 + slot_index // len(DAY_SLOTS), DAY_SLOTS[slot_index % len(DAY_SLOTS)]
        start = local_start(day, hour)
        for province in rng.sample(provinces, CONFERENCES_PER_SLOT):
            communes = rng.sample(communes_by_province[province], SITES_PER_CONFERENCE - 1)
            plans.append((start, [province, *communes]))
    conferences = Conference.objects.bulk_create(
        Conference(
            bridge=bridges[index % len(bridges)],
            start=start,
            end=start + timedelta(hours=2),
            setup_minutes=60,
        )
        for index, (start, _sites) in enumerate(plans)
    )
    Leg.objects.bulk_create(
        (
            Leg(
                conference=conference,
                endpoint_id=endpoint_id,
                role="host" if position == 0 else "participant",
                reserved_from=conference.start - timedelta(hours=1),
                reserved_until=conference.end,
            )
            for conference, (_start, sites) in zip(conferences, plans, strict=True)
            for position, endpoint_id in enumerate(sites)
        ),
        batch_size=5000,
    )
    Meeting.objects.bulk_create(
        Meeting(
            title=f"Họp {index}",
            organiser=user,
            owner_office_id=bridges[0].owner_id,
            conference=conference,
        )
        for index, conference in enumerate(conferences)
    )
    return Leg.objects.count()


def province_near(size: int) -> tuple[str, int]:
    from conferencing.models import Endpoint, Level

    sizes = {
        code: Endpoint.objects.filter(path__startswith=path).count()
        for code, path in Endpoint.objects.filter(level=Level.PROVINCE).values_list("code", "path")
    }
    code = min(sizes, key=lambda c: (abs(sizes[c] - size), c))
    return code, sizes[code]


def request_for(bridge, sites, host: str, day: int, hour: int, minutes: int, setup: int):
    from datetime import timedelta

    from meetings.booking import BookingRequest, Details, Slot

    start = local_start(day, hour)
    return BookingRequest(
        details=Details(title=f"Giao ban ngày {day}"),
        slot=Slot(start, start + timedelta(minutes=minutes), setup),
        bridge_id=bridge.pk,
        sites=sites,
        host_code=host,
    )


def book_at(user, bridge, sites, host, day, hour, minutes, setup):
    from meetings.booking import book

    request = request_for(bridge, sites, host, day, hour, minutes, setup)
    return lambda: book(request, user)


def check_at(user, bridge, sites, host, day, hour, minutes, setup):
    from meetings.booking import check

    request = request_for(bridge, sites, host, day, hour, minutes, setup)

    def run():
        report = check(request, user)
        assert not report, report.as_dict()
        return report

    return run


def measure(prepare: Callable[[int], Callable], days) -> list[tuple[float, int]]:
    """(milliseconds, queries) of each run; the request is built outside the timing."""
    from django.db import connection

    runs = []
    for day in days:
        action = prepare(day)
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            action()
            elapsed = time.perf_counter() - started
        runs.append((elapsed * 1000, queries))
    return runs


def summarise(key: str, runs: list[tuple[float, int]]) -> dict:
    times = sorted(ms for ms, _queries in runs)
    counts = {queries for _ms, queries in runs}
    assert len(counts) == 1, f"{key}: query counts vary between runs: {sorted(counts)}"
    return {
        f"{key}_p50_ms": round(statistics.median(times), 1),
        f"{key}_p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1),
        f"queries_{key}": counts.pop(),
    }


if __name__ == "__main__":
    sys.exit(main())
