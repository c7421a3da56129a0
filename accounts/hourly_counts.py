"""Counting events per key and per clock hour, for rate limits (calendar feeds, reset
e-mails).

Counted in the shared cache; when it fails, in this process's memory (the "local"
cache) and logged: nothing is refused nor failed because Redis is down, and a flood is
still bounded, per process, by the same limit.
"""

import logging
from datetime import datetime

from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def count(key: str, now: datetime) -> tuple[int, int]:
    """Add one to `key`'s count in the hour of `now`: (the new count, seconds until the
    next hour's window)."""
    window = int(now.timestamp()) // WINDOW_SECONDS
    window_key = f"{key}:{window}"
    try:
        counted = count_in(cache, window_key)
    except Exception as error:  # any backend's failure
        logger.warning("cache unavailable, counting %s per process: %r", key, error)
        counted = count_in(caches["local"], window_key)
    return counted, (window + 1) * WINDOW_SECONDS - int(now.timestamp())


def count_in(counters: BaseCache, key: str) -> int:
    """Add one to the counter under `key` in this cache; the new count."""
    counters.add(key, 0, WINDOW_SECONDS + 60)
    try:
        return counters.incr(key)
    except ValueError:  # expired between add and incr
        counters.set(key, 1, WINDOW_SECONDS + 60)
        return 1
