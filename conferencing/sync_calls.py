"""Running the synchronous domain functions from the WebSocket consumers."""

import functools
from collections.abc import Callable

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection


@functools.cache
def one_writer_at_a_time() -> bool:
    # Read from the settings, not the connection: touching `connection` on the event
    # loop builds a new database wrapper for every consumer task.
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def in_database[**P, R](function: Callable[P, R]):
    """`function` run off the event loop, as `database_sync_to_async` does, but not
    necessarily on its one shared thread.

    That thread serialises every consumer's database work in the process: a board's
    snapshot waits for the round trips of every query before it. With PostgreSQL (a
    pool of connections, row locks that order what must be ordered) calls run side
    by side on a pool of threads, each giving its connection back to the pool when
    done. SQLite writes one at a time anyway, so there they keep the shared thread."""
    if one_writer_at_a_time():
        return database_sync_to_async(function)

    @functools.wraps(function)
    def then_give_back_the_connection(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    return database_sync_to_async(then_give_back_the_connection, thread_sensitive=False)
