"""Benchmark: import the 3,356 official divisions into an empty database, then again.

    .venv/bin/python bench/import_endpoints.py

Runs one leg on SQLite (a fresh file in a temporary directory) and one on
PostgreSQL (a throwaway database `giaoban_bench`, created and dropped here, on
the server of DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432).
Each leg is a child process of this script with its own settings. Prints
human-readable lines, then one JSON object as the last line.
"""

import sys

# Run as a script, this directory would come first on sys.path, where bench/calendar.py
# (the name its issue gives) shadows the standard library's calendar: put the project
# root there instead, so the shared frame imports as bench._legs.
sys.path[:] = [__file__.rsplit("/", 2)[0]] + [
    entry for entry in sys.path if entry != __file__.rpartition("/")[0]
]

import json
import time
from collections.abc import Callable

from bench import _legs

BENCH_DATABASE = "giaoban_bench"
# DEBUG on: the queries are counted from connection.queries.
LEG_SETTINGS = {"DEBUG": "1"}
GOAL_S = 5.0


def main() -> int:
    if sys.argv[1:] == ["--leg"]:
        print(json.dumps(run_leg()))
        return 0
    sqlite = _legs.sqlite_leg(__file__, LEG_SETTINGS)
    postgres = _legs.postgres_leg(__file__, LEG_SETTINGS, BENCH_DATABASE)
    results = {"sqlite": sqlite, "postgresql": postgres}
    for leg in results.values():
        if leg is None:
            continue
        print(
            f"{leg['vendor']:10} "
            f"import {leg['import_s']:.2f} s ({leg['queries_import']} queries), "
            f"re-import {leg['reimport_s']:.2f} s ({leg['queries_reimport']} queries), "
            f"{leg['sites']} sites"
        )
    slowest = max(
        (leg[key] for leg in results.values() if leg for key in ("import_s", "reimport_s")),
        default=0.0,
    )
    print(f"goal: at most {GOAL_S:.0f} s each way: {'met' if slowest <= GOAL_S else 'MISSED'}")
    print(json.dumps(summary(sqlite, postgres)))
    return 0


def summary(sqlite: dict | None, postgres: dict | None) -> dict:
    legs = [leg for leg in (sqlite, postgres) if leg]
    return {
        "sqlite_import_s": sqlite and sqlite["import_s"],
        "sqlite_reimport_s": sqlite and sqlite["reimport_s"],
        "pg_import_s": postgres and postgres["import_s"],
        "pg_reimport_s": postgres and postgres["reimport_s"],
        # The larger of the two databases' counts; they differ only if batching does.
        "queries_import": max((leg["queries_import"] for leg in legs), default=None),
        "queries_reimport": max((leg["queries_reimport"] for leg in legs), default=None),
        "sites": legs[0]["sites"] if legs else 0,
    }


def run_leg() -> dict:
    """In the child: migrate the empty database, import twice, check the outcome."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from conferencing.divisions import division_rows
    from conferencing.endpoint_import import import_rows
    from conferencing.models import Endpoint

    call_command("migrate", verbosity=0)
    first, first_s, first_queries = measured(lambda: import_rows(division_rows()), connection)
    again, again_s, again_queries = measured(lambda: import_rows(division_rows()), connection)
    sites = Endpoint.objects.count()
    assert first.created == sites and not first.errors, first
    assert again.unchanged == sites and again.created == again.updated == 0, again
    return {
        "import_s": round(first_s, 3),
        "reimport_s": round(again_s, 3),
        "queries_import": first_queries,
        "queries_reimport": again_queries,
        "sites": sites,
        "vendor": connection.vendor,
    }


def measured[T](action: Callable[[], T], connection) -> tuple[T, float, int]:
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - started
    return result, elapsed, queries


if __name__ == "__main__":
    sys.exit(main())
