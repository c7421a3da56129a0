"""What each pytest-xdist worker of the test suite has to itself (README: Tests).

`make test` runs the suite in worker processes (pytest-xdist). Workers share the machine's
services, and their test data collide by id (each worker has its own test database, so
meeting 1 exists in each), hence each worker gets, from its name (gw0, gw1, ...):

- its own VAR_DIR, a sub-directory of the configured one: media files, upload parts (named
  by upload id) and the SQLite test database;
- its own test database (config/test_settings.py names it; pytest-django's own suffix is
  switched off in tests/conftest.py so the name is the same in the Daphne children);
- with REDIS_URL, its own Redis database (the configured one plus 1 + the worker's number),
  since tests empty the cache and cache keys carry ids, and its own channel-layer prefix,
  since Redis pub/sub ignores database numbers;
- with S3_ENDPOINT_URL, its own bucket (`<S3_BUCKET>-gw0`), created by the worker
  (tests/fixtures/services.py), as the cleanup of abandoned uploads lists the bucket.

The worker rewrites its own environment before the settings read it, once: the Daphne
children it spawns inherit the rewritten environment (and a variable saying it is done),
so they open the same database, directories, bucket and Redis database as the worker, and a
fixture that starts a child with a bucket of its own is taken at its word.
"""

import os
from collections.abc import MutableMapping
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

# Set by pytest-xdist in each worker (and inherited by the processes it starts).
WORKER_VARIABLE = "PYTEST_XDIST_WORKER"
# The worker whose resources this environment already names.
ISOLATED_VARIABLE = "GIAOBAN_TEST_WORKER"


def worker_name(environ: MutableMapping[str, str] = os.environ) -> str:
    """ "gw0", "gw1", ... in a worker (or a process it started); "" in a run without workers."""
    return environ.get(WORKER_VARIABLE, "")


def worker_number(name: str) -> int:
    return int(name.removeprefix("gw"))


def redis_url_for_worker(url: str, name: str) -> str:
    """The same server, database (configured one) + 1 + the worker's number."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    path = parts.path
    if parts.scheme == "unix" or "db" in query:
        query["db"] = str(int(query.get("db", "0")) + 1 + worker_number(name))
    else:
        path = f"/{int(path.strip('/') or '0') + 1 + worker_number(name)}"
    # Written out: urlunsplit would drop the empty host of unix:///path.
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{urlencode(query)}" if query else "")


def isolate_worker(environ: MutableMapping[str, str], default_var_dir: Path) -> None:
    """In a worker, point VAR_DIR, REDIS_URL and S3_BUCKET at the worker's own (once)."""
    name = worker_name(environ)
    if not name or environ.get(ISOLATED_VARIABLE) == name:
        return
    environ[ISOLATED_VARIABLE] = name
    base = Path(environ.get("VAR_DIR", "").strip() or default_var_dir)
    environ["VAR_DIR"] = str(base / f"worker-{name}")
    if environ.get("REDIS_URL", "").strip():
        environ["REDIS_URL"] = redis_url_for_worker(environ["REDIS_URL"].strip(), name)
    if environ.get("S3_BUCKET", "").strip():
        environ["S3_BUCKET"] = f"{environ['S3_BUCKET'].strip()}-{name}"


def channel_prefix(name: str) -> str:
    """The channel layer's prefix ("asgi" is channels_redis' default)."""
    return f"asgi-{name}" if name else "asgi"
