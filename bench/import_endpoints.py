"""Benchmark: import the 3,356 official divisions into an empty database, then again.

    .venv/bin/python bench/import_endpoints.py

Runs one leg on SQLite (a fresh file in a temporary directory) and one on
PostgreSQL (a throwaway database `giaoban_bench`, created and dropped here, on
the server of DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432).
Each leg is a child process of this script with its own settings. Prints
human-readable lines, then one JSON object as the last line.
"""

import sys

# bench/calendar.py (the name its issue gives) would shadow the standard library's
# calendar module for every script run from this directory: take the directory off first.
sys.path[:] = [entry for entry in sys.path if entry != __file__.rpartition("/")[0]]

import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "giaoban_bench"
GOAL_S = 5.0


def main() -> int:
    if sys.argv[1:] == ["--leg"]:
        print(json.dumps(run_leg()))
        return 0
    sqlite = sqlite_leg()
    postgres = postgres_leg()
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


def sqlite_leg() -> dict:
    with tempfile.TemporaryDirectory(prefix="giaoban-bench-") as var_dir:
        env = leg_environment(VAR_DIR=var_dir)
        env.pop("DATABASE_URL", None)
        return run_child(env)


def postgres_leg() -> dict | None:
    import psycopg

    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    admin_url = with_database(server, "postgres")
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        print(f"postgresql leg skipped: cannot connect to {admin_url}: {exc}")
        return None
    with admin, tempfile.TemporaryDirectory(prefix="giaoban-bench-") as var_dir:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        try:
            env = leg_environment(
                VAR_DIR=var_dir, DATABASE_URL=with_database(server, BENCH_DATABASE)
            )
            return run_child(env)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))


def leg_environment(**overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", LOG_LEVEL="WARNING", **overrides
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_child(env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--leg"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"benchmark leg failed with status {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


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
