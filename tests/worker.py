"""The real database task worker, run in-process until nothing is due (its signal
handlers restored after), for tests of what happens after a commit."""

import signal

from django.core.management import call_command

WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def run_worker(queue: str = "default") -> None:
    handlers = {number: signal.getsignal(number) for number in WORKER_SIGNALS}
    try:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--queue-name", queue, verbosity=0
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
