"""Benchmark: 50 sign-ins of one directory person through the sign-in page, against a
private OpenLDAP server this script starts (tests/fixtures/slapd_server.py, the tree the
tests use).

    .venv/bin/python bench/ldap_sign_in.py

The server runs in this process; the sign-ins run in a child process (bench/_legs.py)
on a fresh SQLite database, configured through the LDAP_* environment variables as a
deployment is. Each sign-in is a POST to /login/ (axes, the LDAP binds and searches,
the directory sync, the session), timed from request to redirect; each is followed by a
sign-out, not timed. The directory backend alone (no page, no session) is timed too, and
the local password check that precedes it on the page (the model backend runs the
password hasher even for a directory account's unusable password: Django's defence
against telling accounts apart by timing).
Prints human-readable lines, then one JSON object as the last line:
`ldap_sign_in_p50_ms`, `ldap_sign_in_p95_ms`, `n`, `ldap_backend_p50_ms`.
"""

import sys

# As in bench/import_endpoints.py: the project root first, this directory not at all.
sys.path[:] = [__file__.rsplit("/", 2)[0]] + [
    entry for entry in sys.path if entry != __file__.rpartition("/")[0]
]

import json
import statistics
import tempfile
import time
from pathlib import Path

from bench import _legs

SIGN_INS = 50
USERNAME = "lan"


def main() -> int:
    if sys.argv[1:] == ["--leg"]:
        print(json.dumps(run_leg()))
        return 0
    from tests.fixtures import slapd_server

    with (
        tempfile.TemporaryDirectory(prefix="giaoban-bench-slapd-") as root,
        slapd_server.run_slapd(Path(root) / "server") as directory,
    ):
        settings = {
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "testserver",
            "DIRECTORY_RULES": "giaoban-thuky=Secretariat",
            "BENCH_LDAP_PASSWORD": slapd_server.PASSWORD,
            **{name: str(value) for name, value in directory.settings().items()},
        }
        print(f"slapd on {directory.uri}; {SIGN_INS} sign-ins of {USERNAME!r} through /login/")
        result = _legs.sqlite_leg(__file__, settings)
    print(
        f"sign-in page: p50 {result['ldap_sign_in_p50_ms']:.1f} ms, "
        f"p95 {result['ldap_sign_in_p95_ms']:.1f} ms, "
        f"min {result['min_ms']:.1f} ms, max {result['max_ms']:.1f} ms (n={result['n']})"
    )
    print(f"directory backend alone: p50 {result['ldap_backend_p50_ms']:.1f} ms")
    print(
        f"local password check before it: {result['password_check_ms']:.1f} ms (the model "
        "backend hashes even an unusable password, so that timing tells no account apart)"
    )
    print(
        json.dumps(
            {
                "ldap_sign_in_p50_ms": result["ldap_sign_in_p50_ms"],
                "ldap_sign_in_p95_ms": result["ldap_sign_in_p95_ms"],
                "n": result["n"],
                "ldap_backend_p50_ms": result["ldap_backend_p50_ms"],
            }
        )
    )
    return 0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_leg() -> dict:
    """In the child: migrate the empty database, sign in SIGN_INS times."""
    import os

    import django

    django.setup()
    from django.contrib.auth import SESSION_KEY
    from django.core.management import call_command
    from django.test import Client, RequestFactory

    from people.ldap_sign_in import DirectoryBackend

    call_command("migrate", verbosity=0)
    password = os.environ["BENCH_LDAP_PASSWORD"]
    client = Client()
    timings = []
    for _ in range(SIGN_INS):
        started = time.perf_counter()
        response = client.post("/login/", {"username": USERNAME, "password": password})
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302 or SESSION_KEY not in client.session:
            raise SystemExit(f"sign-in refused ({response.status_code})")
        client.logout()
    backend = []
    request = RequestFactory().post("/login/")
    for _ in range(SIGN_INS):
        started = time.perf_counter()
        user = DirectoryBackend().authenticate(request, username=USERNAME, password=password)
        backend.append((time.perf_counter() - started) * 1000)
        if user is None:
            raise SystemExit("the directory backend refused the bench person")
    from django.contrib.auth.hashers import check_password, make_password

    unusable = make_password(None)
    started = time.perf_counter()
    check_password(password, unusable)
    password_check_ms = (time.perf_counter() - started) * 1000
    return {
        "password_check_ms": round(password_check_ms, 2),
        "ldap_sign_in_p50_ms": round(statistics.median(timings), 2),
        "ldap_sign_in_p95_ms": round(percentile(timings, 0.95), 2),
        "min_ms": round(min(timings), 2),
        "max_ms": round(max(timings), 2),
        "n": len(timings),
        "ldap_backend_p50_ms": round(statistics.median(backend), 2),
    }


if __name__ == "__main__":
    raise SystemExit(main())
