"""Benchmark: searching the archive (issue 18) over 10,000 sessions and 5,000 documents.

    .venv/bin/python bench/archive_search.py            # SQLite, and PostgreSQL if reachable
    DATABASE_URL=postgres://… .venv/bin/python bench/archive_search.py

Two legs, each in a child process with its own settings (as bench/calendar.py does):
SQLite (FTS5) in a temporary directory, and PostgreSQL (tsvector + GIN) in a throwaway
database `giaoban_bench_search` created, migrated and dropped on the server of
DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432 (skipped if it cannot
connect).

Each leg bulk-inserts (not through the booking domain, to keep the setup short) 10,000
sessions of one office over 400 sites, one in ten confidential, with titles and agendas
drawn from a fixed vocabulary of places and topics, and 5,000 documents (minutes and
agenda papers, 600-1,500 characters of text each) indexed through
meetings.search.indexing as the extraction task indexes them. Then it asks the /search/
page through the whole Django stack (middleware, session, the count, the first page of
20 hits with their snippets, the template) for a set of queries, from a word in every
title to a rare pair, as the office's secretariat (the widest scope) and as an attendee
invited to 300 sessions (a narrow one). The figure is the median over every query and
person.

Prints EXPLAIN of the search query (PostgreSQL: the Bitmap Index Scan on the GIN index;
SQLite: the FTS5 virtual table's scan), human-readable lines, then one JSON object as
the last line: search_pg_p50_ms, search_sqlite_p50_ms, documents (and per-leg details).
"""

import sys

if __name__ == "__main__":
    # Run as a script, this directory comes first on sys.path, where a benchmark named
    # like a standard module (bench/calendar.py) would shadow it: look in it for nothing.
    sys.path[:] = [entry for entry in sys.path if entry not in ("", __file__.rpartition("/")[0])]
    # The project's root instead, for bench._legs.
    sys.path.insert(0, __file__.rsplit("/", 2)[0])

import json
import random
import statistics
import time

from bench import _legs

BENCH_DATABASE = "giaoban_bench_search"
SESSIONS = 10_000
DOCUMENTS = 5_000
SITES = 400
INVITED_TO = 300
RUNS = 5
GOAL_MS = 100
QUERIES = (
    "giao ban",  # every session's title
    "da nang",  # a place in about one title in twelve and in many texts
    "bien ban ket luan",  # the minutes' text
    "phong chong thien tai",  # a topic
    "quang ninh cao toc",  # a rarer pair
    "giai ngan von dau tu cong",  # five words
    "thu tuong chinh ph",  # the last word a prefix
    "khong co tu nay",  # nothing
)
# A rare word (one document in 200): the plan PostgreSQL picks when the index pays; for a
# word in a third of the archive it reads the table instead, rightly.
EXPLAINED = "cau rong"
RARE = "Dự án cầu Rồng"
PLACES = (
    "Đà Nẵng",
    "Hà Nội",
    "Quảng Ninh",
    "Cần Thơ",
    "Huế",
    "Lào Cai",
    "Nghệ An",
    "Gia Lai",
    "Đắk Lắk",
    "Khánh Hòa",
    "Thanh Hóa",
    "Bắc Ninh",
)
TOPICS = (
    "phòng chống thiên tai",
    "giải ngân vốn đầu tư công",
    "chuyển đổi số",
    "cải cách hành chính",
    "xây dựng nông thôn mới",
    "đường cao tốc Bắc - Nam",
    "an toàn giao thông",
    "phát triển kinh tế - xã hội",
    "y tế dự phòng",
    "giáo dục và đào tạo",
)
FILLER = (
    "Ủy ban nhân dân tỉnh báo cáo tình hình thực hiện nhiệm vụ được giao, các khó khăn "
    "vướng mắc và đề xuất kiến nghị với Chính phủ, Thủ tướng Chính phủ. Các sở, ban, ngành "
    "khẩn trương rà soát, hoàn thiện hồ sơ, bảo đảm tiến độ và chất lượng. "
)


def main() -> int:
    if sys.argv[1:] == ["--leg"]:
        print(json.dumps(run_leg()))
        return 0
    # `--databases postgresql` (or sqlite) runs one leg only.
    wanted = (
        sys.argv[2].split(",") if sys.argv[1:2] == ["--databases"] else ["sqlite", "postgresql"]
    )
    runners = {"sqlite": sqlite_leg, "postgresql": postgres_leg}
    legs = {name: runners[name]() for name in wanted}
    legs = {name: result for name, result in legs.items() if result is not None}
    if not legs:
        return 1
    summary: dict = {}
    for name, result in legs.items():
        print(f"== {name}: EXPLAIN of the search for “{EXPLAINED}” (the secretariat's scope)")
        print(result.pop("explain"))
        print(
            f"{name}: {result['sessions']:,} sessions, {result['documents']:,} documents, "
            f"{result['entries']:,} entries, seeded and indexed in {result['seed_s']:.1f} s; "
            f"index used: {'yes' if result['index_used'] else 'NO'}"
        )
        for query, figures in result["per_query_ms"].items():
            print(
                f"  “{query}”: {figures['hits']:>6,} hits for the secretariat, "
                f"p50 {figures['secretariat_ms']:7.1f} ms; "
                f"attendee p50 {figures['attendee_ms']:7.1f} ms"
            )
        verdict = "met" if result["p50_ms"] <= GOAL_MS else "MISSED"
        print(
            f"  search p50 over every query and person: {result['p50_ms']:.1f} ms "
            f"(p90 {result['p90_ms']:.1f} ms, {result['queries_per_search']} SQL queries per "
            f"page); goal <= {GOAL_MS} ms: {verdict}"
        )
        summary.update({f"{name}_{key}": value for key, value in result.items()})
    figures = {
        "search_pg_p50_ms": legs["postgresql"]["p50_ms"] if "postgresql" in legs else None,
        "search_sqlite_p50_ms": legs["sqlite"]["p50_ms"] if "sqlite" in legs else None,
        "documents": max(result["documents"] for result in legs.values()),
        "sessions": max(result["sessions"] for result in legs.values()),
        "databases": sorted(legs),
    }
    summary = {**figures, **summary}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


# The shared legs' settings, and no second factor in the way.
SETTINGS = {**_legs.SETTINGS, "SECOND_FACTOR_REQUIRED": "false"}


def sqlite_leg() -> dict:
    return _legs.sqlite_leg(__file__, SETTINGS)


def postgres_leg() -> dict | None:
    return _legs.postgres_leg(__file__, SETTINGS, BENCH_DATABASE)


# -- In the child -------------------------------------------------------------------------------


def run_leg() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from meetings.search.models import SearchEntry
    from meetings.search.query import search

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    # DEBUG off serves static files from the manifest, which collectstatic writes.
    call_command("collectstatic", "--noinput", verbosity=0)
    secretariat, attendee = seed()
    seed_s = time.perf_counter() - started
    connection.cursor().execute("ANALYZE")  # both databases: plans from real statistics
    explain = explained(search(secretariat, EXPLAINED).ranked, connection.vendor)
    per_query: dict[str, dict] = {}
    every: list[float] = []
    queries_per_search = 0
    for query in QUERIES:
        # Every match, not the page's count (which stops at query.MAX_COUNTED).
        figures: dict = {"hits": search(secretariat, query).found.count()}
        for name, user in (("secretariat", secretariat), ("attendee", attendee)):
            client = Client()
            client.force_login(user)
            client.get("/search/")  # the session's first request, not timed
            runs = [timed(client, query) for _n in range(RUNS)]
            figures[f"{name}_ms"] = round(statistics.median(ms for ms, _q in runs), 1)
            every.extend(ms for ms, _q in runs)
            queries_per_search = max(queries_per_search, runs[-1][1])
        per_query[query] = figures
    every.sort()
    from meetings.records.models import RecordVersion

    return {
        "vendor": connection.vendor,
        "sessions": SESSIONS,
        "documents": RecordVersion.objects.count(),
        "entries": SearchEntry.objects.count(),
        "seed_s": round(seed_s, 1),
        "p50_ms": round(statistics.median(every), 1),
        "p90_ms": round(every[int(len(every) * 0.9)], 1),
        "queries_per_search": queries_per_search,
        "per_query_ms": per_query,
        "explain": explain,
        "index_used": index_used(explain, connection.vendor),
    }


def explained(queryset, vendor: str) -> str:
    if vendor == "postgresql":
        return queryset.explain(analyze=True)
    return queryset.explain()


def index_used(plan: str, vendor: str) -> bool:
    from meetings.search.fulltext import FTS, GIN_INDEX

    if vendor == "postgresql":
        return f"Bitmap Index Scan on {GIN_INDEX}" in plan
    return f"SCAN {FTS} VIRTUAL TABLE INDEX" in plan


def timed(client, query: str) -> tuple[float, int]:
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = client.get("/search/", {"q": query})
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed * 1000, queries


def seed():
    """An office, its secretariat, an attendee, sites and a bridge; sessions, legs,
    attendees, records and versions in bulk; then the index, as the listeners write it."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.roles import Role
    from conferencing.models import Bridge, Conference, Endpoint, Leg, Level, Office, path_for
    from meetings.models import Attendee, Classification, Meeting
    from meetings.records.models import Record, RecordVersion
    from meetings.search import indexing

    rng = random.Random(18)
    users = get_user_model()
    secretariat = users.objects.create_user("secretariat", email="vanphong@example.vn")
    attendee = users.objects.create_user("attendee", email="daibieu@example.vn")
    secretariat.groups.add(Group.objects.get_or_create(name=Role.SECRETARIAT.value)[0])
    attendee.groups.add(Group.objects.get_or_create(name=Role.ATTENDEE.value)[0])
    centre = Endpoint.objects.create(code="TW", name="Trung ương", level=Level.CENTRAL)
    sites = Endpoint.objects.bulk_create(
        Endpoint(
            code=f"S{n:04d}",
            name=f"Điểm cầu {PLACES[n % len(PLACES)]} {n:04d}",
            level=Level.COMMUNE,
            parent=centre,
            path=path_for(f"S{n:04d}", centre.path),
        )
        for n in range(SITES)
    )
    office = Office.objects.create(code="VPCP", name="Văn phòng Chính phủ", jurisdiction=centre)
    office.members.add(secretariat)
    bridge = Bridge.objects.create(
        name="MCU", dial_in="sip:mcu@vc.example.vn", port_capacity=100_000, owner=office
    )
    # Every session three hours after the one before: no site is ever in two at once.
    first = timezone.now() - timedelta(days=3 * 365)
    conferences = Conference.objects.bulk_create(
        (
            Conference(
                bridge=bridge,
                start=first + timedelta(hours=3 * n),
                end=first + timedelta(hours=3 * n + 2),
                setup_minutes=30,
            )
            for n in range(SESSIONS)
        ),
        batch_size=2000,
    )
    Leg.objects.bulk_create(
        (
            Leg(
                conference=conference,
                endpoint=sites[(n * 3 + k) % SITES],
                role="host" if k == 0 else "participant",
                reserved_from=conference.start - timedelta(minutes=30),
                reserved_until=conference.end,
                is_reserved=True,
            )
            for n, conference in enumerate(conferences)
            for k in range(3)
        ),
        batch_size=5000,
    )
    meetings = Meeting.objects.bulk_create(
        (
            Meeting(
                title=f"Giao ban {rng.choice(TOPICS)} {rng.choice(PLACES)} số {n}",
                agenda=f"1. {rng.choice(TOPICS).capitalize()}\n2. {rng.choice(TOPICS)}",
                organising_unit="Văn phòng Chính phủ",
                organiser=secretariat,
                owner_office=office,
                conference=conference,
                classification=Classification.CONFIDENTIAL
                if n % 10 == 0
                else Classification.INTERNAL,
            )
            for n, conference in enumerate(conferences)
        ),
        batch_size=2000,
    )
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, user=attendee) for meeting in rng.sample(meetings, INVITED_TO)
    )
    documented = rng.sample(meetings, DOCUMENTS)
    records = Record.objects.bulk_create(
        (
            Record(
                meeting=meeting,
                kind="minutes" if n % 2 else "agenda",
                title=("Biên bản" if n % 2 else "Tài liệu") + f" {meeting.title}",
            )
            for n, meeting in enumerate(documented)
        ),
        batch_size=2000,
    )
    now = timezone.now()
    versions = RecordVersion.objects.bulk_create(
        (
            RecordVersion(
                record=record,
                number=1,
                key=f"records/bench/{record.pk}",
                original_name="bien-ban.pdf",
                size=1000,
                content_type="application/pdf",
                sha256="0" * 64,
                status="published" if record.kind == "minutes" else "available",
                published_at=now if record.kind == "minutes" else None,
                uploaded_by=secretariat,
            )
            for record in records
        ),
        batch_size=2000,
    )
    indexing.index_meetings(meeting.pk for meeting in meetings)
    indexing.save_entries(
        indexing.entry(
            "document",
            str(version.pk),
            record.meeting_id,
            record.title,
            document_text(rng, record.kind),
            version.pk,
        )
        for record, version in zip(records, versions, strict=True)
    )
    return secretariat, attendee


def document_text(rng: random.Random, kind: str) -> str:
    opening = "BIÊN BẢN KẾT LUẬN cuộc họp" if kind == "minutes" else "TÀI LIỆU phục vụ cuộc họp"
    parts = [opening, RARE] if rng.random() < 1 / 200 else [opening]
    for _n in range(rng.randint(2, 5)):
        parts.append(f"Về {rng.choice(TOPICS)} tại {rng.choice(PLACES)}: {FILLER}")
    return " ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
