"""Benchmark: what a national session's invitation e-mails cost (issue 16).

    .venv/bin/python bench/invitations.py [--profile DIR]

Two legs, each in a child process of this script with its own settings, DEBUG off
(bench/_legs.py): SQLite (a fresh file in a temporary directory) and PostgreSQL (a
throwaway database `BENCH_DATABASE`, default `giaoban_bench_invitations`, created,
migrated and dropped here on the server of DATABASE_URL, default
postgres://postgres@127.0.0.1:5432).

Setup: the national tree (3,356 sites); bench/booking.py's central office VPCP, its
secretariat member and bridges; one technician with an e-mail address and a Vietnamese
name for each site (users, people and the served sites through the M2M, in bulk); 20
invited attendees (a chair, 17 members, 2 observers). A national session (central,
province and commune levels) booked through meetings.booking.book with them.

Measured: the task `send_invitations` called synchronously (`.call`) with the arguments
the booking change enqueued (read from django_tasks_db's DBTaskResult rows), the
mailer being Django's locmem backend (config/settings.py takes its mailer from the
environment, SMTP or files, so the child overrides MAILERS; locmem still builds each
message and copies it into the outbox, as a real backend builds it before sending):
  1. `booking`: the national session's invitations;
  2. `update`: the same after meetings.booking.reschedule moved it (everyone holds it);
  3. `occurrence_cancel` (after issue 16 only: the code before has no
     `invitations.OCCURRENCES` and is skipped): a weekly series of 4 over the province
     subtree nearest 200 sites with the same attendees is booked (meetings.series), its
     invitations sent (unmeasured), then its second occurrence cancelled: that
     occurrence's CANCEL to each holder.
For each: the task's time (ms), messages, ms per message, this process's CPU time (ms
and per message: less sensitive than the wall time to other work on the machine;
PostgreSQL's own work is not in it), SQL queries in total and per message, and the
average message's size in KB (`len(message.message().as_bytes())`, taken after the
timing).

The same script runs on a checkout from before issue 16 (the task then takes
`(kind, pk, version)`: the enqueued arguments are passed as they are). `--profile DIR`
runs each measured call under cProfile (its times then grow), writes
DIR/<vendor>-<step>.prof and prints each one's 15 functions of most own time.

Prints human lines, then one JSON object as the last line.
"""

import sys

# Run as a script, this directory would come first on sys.path, where bench/calendar.py
# shadows the standard library's calendar: put the project root there instead.
sys.path[:] = [__file__.rsplit("/", 2)[0]] + [
    entry for entry in sys.path if entry != __file__.rpartition("/")[0]
]

import argparse
import json
import os
import time
from pathlib import Path

from bench import _legs

BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "giaoban_bench_invitations"
# DEBUG off: Django would otherwise keep the SQL of every query.
LEG_SETTINGS = {"DEBUG": "0", "SECRET_KEY": "bench-only-not-a-secret"}
STEPS = ("booking", "update", "occurrence_cancel")
ATTENDEES = 20
SERIES_SITES = 200
SERIES_RULE = "FREQ=WEEKLY;COUNT=4"
PROFILE_TOP = 15
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thu", "Đức", "Thanh")
GIVEN = ("An", "Bình", "Dũng", "Hà", "Hương", "Lan", "Long", "Mai", "Sơn", "Thảo", "Tuấn")


def main() -> int:
    if sys.argv[1:] == ["--leg"]:
        print(json.dumps(run_leg()))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=Path, help="profile each step into this directory")
    options = parser.parse_args()
    settings = dict(LEG_SETTINGS)
    if options.profile:
        options.profile.mkdir(parents=True, exist_ok=True)
        settings["BENCH_PROFILE_DIR"] = str(options.profile.resolve())
    print(
        "setting up the national tree, its technicians and session (several minutes) ...",
        flush=True,
    )
    sqlite = _legs.sqlite_leg(__file__, settings)
    report(sqlite)
    postgres = _legs.postgres_leg(__file__, settings, BENCH_DATABASE)
    if postgres is not None:
        report(postgres)
    if options.profile:
        print_profiles(options.profile)
    figures = {"code": sqlite["code"]}
    for suffix, leg in (("sqlite", sqlite), ("pg", postgres)):
        for key, value in (leg or {}).items():
            if key not in ("code", "vendor"):
                figures[f"{key}_{suffix}"] = value
    print(json.dumps(figures))
    return 0


def report(leg: dict) -> None:
    print(
        f"{leg['vendor']} ({leg['code']} issue 16): {leg['sites']} sites, "
        f"{leg['technicians']} technicians, {leg['attendees']} attendees; setup "
        f"{leg['setup_s']:.1f} s; load average {leg['load_average']} on {leg['cpus']} CPUs"
    )
    for step in STEPS:
        if leg.get(f"{step}_messages") is None:
            print(f"  {step:17} not measured (no such change before issue 16)")
            continue
        print(
            f"  {step:17} {leg[f'{step}_messages']:5} messages {leg[f'{step}_sent']} in "
            f"{leg[f'{step}_ms']:9.1f} ms = {leg[f'{step}_ms_per_message']:6.2f} ms/message "
            f"(this process's CPU {leg[f'{step}_cpu_ms_per_message']:6.2f} ms/message), "
            f"{leg[f'{step}_queries']:5} queries = {leg[f'{step}_queries_per_message']:.2f}"
            f"/message, {leg[f'{step}_kb_per_message']:5.1f} KB/message"
        )


def print_profiles(directory: Path) -> None:
    import pstats

    for path in sorted(directory.glob("*.prof")):
        print(f"== {path.name}: the {PROFILE_TOP} functions of most own time")
        pstats.Stats(str(path), stream=sys.stdout).sort_stats("tottime").print_stats(PROFILE_TOP)


# -- In the child -------------------------------------------------------------------------------


def run_leg() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from conferencing.models import Endpoint
    from meetings.calendar import invitations

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_divisions", verbosity=0)
    secretariat, bridges, attendees = seed()
    if connection.vendor == "postgresql":
        connection.cursor().execute("ANALYZE")
    setup_s = time.perf_counter() - started

    result: dict = {
        "vendor": connection.vendor,
        "code": "after" if hasattr(invitations, "OCCURRENCES") else "before",
        "sites": Endpoint.objects.count(),
        "technicians": Endpoint.technicians.through.objects.count(),
        "attendees": len(attendees),
        "setup_s": round(setup_s, 1),
    }
    with override_settings(MAILERS=LOCMEM):
        national = book_national(secretariat, bridges[0], attendees)
        result.update(measure("booking", connection.vendor))
        reschedule_national(national, secretariat)
        result.update(measure("update", connection.vendor))
        if result["code"] == "after":
            occurrence = book_series(secretariat, bridges[1], attendees)
            measure("series_booking", connection.vendor, profile=False)
            cancel_occurrence(occurrence, secretariat)
            result.update(measure("occurrence_cancel", connection.vendor))
        else:
            result.update(dict.fromkeys(figure_keys("occurrence_cancel")))
    # Times from a busy machine (other work, tests) are not the code's.
    result["load_average"] = round(os.getloadavg()[0], 1)
    result["cpus"] = os.cpu_count()
    return result


def figure_keys(step: str) -> list[str]:
    return [
        f"{step}_{name}"
        for name in (
            "messages",
            "sent",
            "ms",
            "ms_per_message",
            "cpu_ms",
            "cpu_ms_per_message",
            "queries",
            "queries_per_message",
            "kb_per_message",
        )
    ]


# -- Setup --------------------------------------------------------------------------------------


def seed() -> tuple:
    """bench/booking.py's secretariat member and bridges, a technician per site, the
    attendees."""
    from bench.booking import people_and_bridges

    secretariat, bridges = people_and_bridges()
    technicians_for_every_site()
    return secretariat, bridges, attendees()


def vietnamese_name(n: int) -> str:
    return f"{FAMILY[n % 10]} {MIDDLE[n // 10 % 8]} {GIVEN[n // 80 % 11]}"


def technicians_for_every_site() -> None:
    """One technician per site, with an address and a name, in bulk (as bench/readiness.py
    makes them): users, their people, their group, the served site through the M2M."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.models import Person
    from accounts.roles import Role
    from conferencing.models import Endpoint

    User = get_user_model()
    sites = list(Endpoint.objects.order_by("path").values_list("pk", "code"))
    unusable = make_password(None)
    users = User.objects.bulk_create(
        (
            User(username=f"kt-{code}", email=f"kt-{code.lower()}@vc.gov.vn", password=unusable)
            for _pk, code in sites
        ),
        batch_size=2000,
    )
    Person.objects.bulk_create(
        (Person(user=user, full_name=vietnamese_name(n)) for n, user in enumerate(users)),
        batch_size=2000,
    )
    group = Group.objects.get_or_create(name=Role.TECHNICIAN.value)[0]
    User.groups.through.objects.bulk_create(
        (User.groups.through(user_id=user.pk, group_id=group.pk) for user in users),
        batch_size=5000,
    )
    Endpoint.technicians.through.objects.bulk_create(
        (
            Endpoint.technicians.through(endpoint_id=pk, user_id=user.pk)
            for user, (pk, _code) in zip(users, sites, strict=True)
        ),
        batch_size=5000,
    )


def attendees() -> tuple[tuple[int, str], ...]:
    """A chair, 17 members and 2 observers, each with an address and a name."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.models import Person
    from accounts.roles import Role
    from meetings.models import AttendeeRole

    User = get_user_model()
    group = Group.objects.get_or_create(name=Role.ATTENDEE.value)[0]
    invited = []
    for n in range(ATTENDEES):
        user = User.objects.create_user(f"daibieu-{n:02d}", email=f"daibieu{n:02d}@chinhphu.vn")
        user.groups.add(group)
        Person.objects.filter(user=user).update(full_name=vietnamese_name(n + 7))
        role = (
            AttendeeRole.CHAIR
            if n == 0
            else AttendeeRole.OBSERVER
            if n >= ATTENDEES - 2
            else AttendeeRole.MEMBER
        )
        invited.append((user.pk, role))
    return tuple(invited)


def request(bridge, sites, host: str, day: int, hour: int, attendees, title: str):
    from datetime import timedelta

    from bench.booking import local_start
    from meetings.booking import BookingRequest, Details, Slot

    start = local_start(day, hour)
    return BookingRequest(
        details=Details(title=title, attendees=attendees),
        slot=Slot(start, start + timedelta(hours=2), 60),
        bridge_id=bridge.pk,
        sites=sites,
        host_code=host,
    )


def book_national(user, bridge, attendees):
    from conferencing.models import Level
    from conferencing.site_selection import SiteSelection
    from meetings.booking import book

    national = SiteSelection(levels=(Level.CENTRAL, Level.PROVINCE, Level.COMMUNE))
    title = "Hội nghị trực tuyến toàn quốc triển khai nhiệm vụ năm 2027"
    return book(request(bridge, national, "TW", 3, 8, attendees, title), user)


def reschedule_national(meeting, user) -> None:
    """Two hours later, a day later."""
    from datetime import timedelta

    from bench.booking import local_start
    from meetings.booking import Slot, reschedule

    start = local_start(4, 10)
    reschedule(meeting, Slot(start, start + timedelta(hours=2), 60), user)


def book_series(user, bridge, attendees):
    """The weekly series over the province nearest SERIES_SITES sites; its second
    occurrence."""
    from bench.booking import province_near
    from conferencing.site_selection import SiteSelection
    from meetings.series import book_series

    code, _size = province_near(SERIES_SITES)
    title = "Giao ban tuần cấp tỉnh"
    sites = SiteSelection(subtrees=(code,))
    outcome = book_series(request(bridge, sites, code, 10, 8, attendees, title), SERIES_RULE, user)
    return sorted(outcome.booked, key=lambda meeting: meeting.occurrence_start)[1]


def cancel_occurrence(meeting, user) -> None:
    from meetings.booking import cancel

    cancel(meeting, "Trùng lịch họp Chính phủ", user)


# -- Measuring ------------------------------------------------------------------------------------


def enqueued_invitations() -> list[tuple[list, dict]]:
    """The arguments of the invitation tasks enqueued since the last call (then forgotten)."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path__endswith=".send_invitations").order_by(
        "enqueued_at"
    )
    found = [(row.args_kwargs["args"], row.args_kwargs["kwargs"]) for row in rows]
    rows.delete()
    return found


def measure(step: str, vendor: str, profile: bool = True) -> dict:
    """Run the invitation tasks the last change enqueued, timed and counted."""
    from django.core import mail
    from django.db import connection

    from meetings.calendar.invitations import send_invitations

    calls = enqueued_invitations()
    assert len(calls) == 1, f"{step}: {len(calls)} invitation tasks enqueued"
    args, kwargs = calls[0]
    mail.outbox = []
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    profiler = None
    profile_dir = os.environ.get("BENCH_PROFILE_DIR")
    if profile and profile_dir:
        import cProfile

        profiler = cProfile.Profile()
    with connection.execute_wrapper(count):
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            sent = profiler.runcall(send_invitations.call, *args, **kwargs)
        else:
            sent = send_invitations.call(*args, **kwargs)
        elapsed_ms = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu_started) * 1000
    if profiler:
        profiler.dump_stats(str(Path(profile_dir) / f"{vendor}-{step}.prof"))
    messages = len(mail.outbox)
    assert messages, f"{step}: nothing sent ({sent})"
    size = sum(len(message.message().as_bytes()) for message in mail.outbox)
    mail.outbox = []
    return {
        f"{step}_messages": messages,
        f"{step}_sent": sent,
        f"{step}_ms": round(elapsed_ms, 1),
        f"{step}_ms_per_message": round(elapsed_ms / messages, 2),
        f"{step}_cpu_ms": round(cpu_ms, 1),
        f"{step}_cpu_ms_per_message": round(cpu_ms / messages, 2),
        f"{step}_queries": queries,
        f"{step}_queries_per_message": round(queries / messages, 2),
        f"{step}_kb_per_message": round(size / messages / 1024, 1),
    }


if __name__ == "__main__":
    sys.exit(main())
