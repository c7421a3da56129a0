"""The frame the database benchmarks share: each measurement runs in a child process
(this same script with --leg) against a throwaway database, a temporary SQLite file or a
PostgreSQL database created and dropped around it, and reports its last output line as
JSON."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
# Every leg's settings: DEBUG off (Django would otherwise keep the SQL of every query) and
# the in-process cache (REDIS_URL empty is unset), as in the embedded default.
SETTINGS = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret",
    "ALLOWED_HOSTS": "testserver",
    "REDIS_URL": "",
}


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))


def leg_environment(settings: dict[str, str], **overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="config.settings", LOG_LEVEL="WARNING")
    env.update(settings)
    env.update(overrides)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_child(script: str, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, script, "--leg"],
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


def sqlite_leg(script: str, settings: dict[str, str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="giaoban-bench-") as var_dir:
        env = leg_environment(settings, VAR_DIR=var_dir)
        env.pop("DATABASE_URL", None)
        return run_child(script, env)


def postgres_leg(script: str, settings: dict[str, str], database: str) -> dict | None:
    """The leg on `database` of DATABASE_URL's server (default: local); None if unreachable."""
    import psycopg

    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    admin_url = with_database(server, "postgres")
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        print(f"postgresql leg skipped: cannot connect to {admin_url}: {exc}")
        return None
    with admin, tempfile.TemporaryDirectory(prefix="giaoban-bench-") as var_dir:
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {database}")
        try:
            env = leg_environment(
                settings, VAR_DIR=var_dir, DATABASE_URL=with_database(server, database)
            )
            return run_child(script, env)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
