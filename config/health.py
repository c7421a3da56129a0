"""Liveness and readiness probes for load balancers and orchestrators.

`/readyz` answers within READYZ_BUDGET_SECONDS whatever hangs: every check runs at
once, each synchronous one in a thread of its own (never the shared thread of
sync_to_async, which one hung check would hold for every view), and a check still
running when the budget is spent is reported as "timeout" and left to finish on its
own, bounded by its client's timeouts (S3_CONNECT_TIMEOUT / S3_READ_TIMEOUT, the
cache's socket timeouts).
"""

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable

from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.http import HttpRequest, JsonResponse
from django.tasks import task_backends

from meetings.records import storage

logger = logging.getLogger(__name__)
CACHE_PROBE_KEY = "readyz:probe"


def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; touches nothing else."""
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_storage() -> None:
    """The bucket answers (S3) or the media directory is writable, asked of the records'
    storage boundary like every other access to the store."""
    storage.check_reachable()


def check_cache() -> None:
    """The cache stores and returns a value (Redis in production)."""
    token = f"{time.monotonic_ns()}"
    cache.set(CACHE_PROBE_KEY, token, 30)
    if cache.get(CACHE_PROBE_KEY) != token:
        raise RuntimeError("the cache did not return what was stored")


def check_task_backend() -> None:
    backend = task_backends["default"]
    if backend.__class__.__name__ == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


async def check_channel_layer() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("readyz.")
    await layer.send(channel, {"type": "readyz.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "readyz.ping":
        raise RuntimeError("the channel layer returned another message")


SYNC_CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "storage": check_storage,
    "cache": check_cache,
    "tasks": check_task_backend,
}


def in_thread(name: str, check: Callable[[], None]) -> asyncio.Future:
    """Run the check in a daemon thread of its own; a future of "ok" or "failed"."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future = loop.create_future()

    def settle(state: str) -> None:
        if not future.done():
            future.set_result(state)

    def run() -> None:
        state = "ok"
        try:
            check()
        except Exception as exc:
            logger.warning("readiness check %s failed: %r", name, exc)
            state = "failed"
        finally:
            # This thread's own database connections, opened by the check.
            connections.close_all()
        # A check that outlived the budget may finish after the request's event loop
        # closed: nobody waits for its answer any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, state)

    threading.Thread(target=run, name=f"readyz-{name}", daemon=True).start()
    return future


async def run_async(name: str, check: Callable) -> str:
    try:
        await check()
    except Exception as exc:
        logger.warning("readiness check %s failed: %r", name, exc)
        return "failed"
    return "ok"


async def readyz(request: HttpRequest) -> JsonResponse:
    """Every dependency answered within the budget; 503 naming the ones that did not."""
    pending: dict[str, asyncio.Future] = {
        name: in_thread(name, check) for name, check in SYNC_CHECKS.items()
    }
    pending["channel_layer"] = asyncio.ensure_future(
        run_async("channel_layer", check_channel_layer)
    )
    await asyncio.wait(pending.values(), timeout=settings.READYZ_BUDGET_SECONDS)
    results: dict[str, str] = {}
    for name, future in pending.items():
        if future.done():
            results[name] = future.result()
        else:
            logger.warning("readiness check %s did not answer in time", name)
            future.cancel()
            results[name] = "timeout"
    failed = sorted(name for name, state in results.items() if state != "ok")
    body = {"status": "failed" if failed else "ok", "checks": results, "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)
