"""Liveness and readiness probes for load balancers and orchestrators."""

import asyncio
import logging
import os
from collections.abc import Callable

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.tasks import task_backends

logger = logging.getLogger(__name__)
CHECK_TIMEOUT_S = 3.0


def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; touches nothing else."""
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_storage() -> None:
    bucket = getattr(default_storage, "bucket", None)
    if bucket is not None:
        bucket.meta.client.head_bucket(Bucket=bucket.name)
        return
    location = default_storage.location
    os.makedirs(location, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise PermissionError(f"{location} is not writable")


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
    "tasks": check_task_backend,
}


async def run_check(name: str, check: Callable) -> tuple[str, str]:
    try:
        if asyncio.iscoroutinefunction(check):
            await asyncio.wait_for(check(), CHECK_TIMEOUT_S)
        else:
            await asyncio.wait_for(sync_to_async(check)(), CHECK_TIMEOUT_S)
    except Exception as exc:
        logger.warning("readiness check %s failed: %r", name, exc)
        return name, "failed"
    return name, "ok"


async def readyz(request: HttpRequest) -> JsonResponse:
    """Every dependency answered; 503 naming the ones that did not."""
    checks = {**SYNC_CHECKS, "channel_layer": check_channel_layer}
    results = dict(await asyncio.gather(*(run_check(n, c) for n, c in checks.items())))
    failed = sorted(name for name, state in results.items() if state != "ok")
    body = {"status": "failed" if failed else "ok", "checks": results, "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)
