"""Benchmark: webhook deliveries from commit to a real receiver, and a receiver outage.

    .venv/bin/python bench/webhooks.py

Runs on PostgreSQL (the task worker is another process, as in production), in a
throwaway database `giaoban_bench_webhooks` created, migrated and dropped around it, on
the server of DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432.

The child books N=200 sessions one after the other for an office with one subscription
to meeting.booked; a real HTTP receiver on loopback (tests/integrations/receiver.py)
checks each signature; a `db_worker` process on the webhooks queue (polling every
0.1 s) sends them. Measured: the delay from each booking's commit to its arrival (p50,
p95). Then the receiver goes down for OUTAGE_S seconds while 20 more sessions are booked:
the retries it cost and the time from the receiver's return until every delivery arrived
(the first retry waits 5 s, WEBHOOKS_RETRY_SECONDS). Human lines, then one JSON line.
"""

import sys

sys.path[:] = [__file__.rsplit("/", 2)[0]] + [
    entry for entry in sys.path if entry != __file__.rpartition("/")[0]
]

import json
import os
import statistics
import subprocess
import time

from bench import _legs

BENCH_DATABASE = "giaoban_bench_webhooks"
LEG_SETTINGS = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret",
    "WEBHOOKS_ALLOW_HTTP": "true",
    "WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "true",
}
BOOKINGS = 200
OUTAGE_BOOKINGS = 20
OUTAGE_S = 4.0
DRAIN_LIMIT_S = 120.0


def main() -> int:
    if sys.argv[1:] == ["--leg"]:
        print(json.dumps(run_leg()))
        return 0
    result = _legs.postgres_leg(__file__, LEG_SETTINGS, BENCH_DATABASE)
    if result is None:
        return 1
    print(
        f"{result['bookings']} bookings delivered: commit → receiver p50 "
        f"{result['delay_p50_ms']:.0f} ms, p95 {result['delay_p95_ms']:.0f} ms, "
        f"max {result['delay_max_ms']:.0f} ms; {result['retries']} retries; booked in "
        f"{result['booking_s']:.1f} s; all signed: {result['all_signed']}"
    )
    print(
        f"receiver down {result['outage_s']:.0f} s during {result['outage_bookings']} "
        f"bookings: {result['outage_retries']} retries, drained "
        f"{result['drain_after_back_s']:.1f} s after it came back, "
        f"{result['outage_delivered']}/{result['outage_bookings']} delivered"
    )
    print(json.dumps(result))
    return 0


def run_leg() -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.roles import Role
    from integrations import signing
    from integrations.models import WebhookDelivery, WebhookSubscription
    from tests.factories import BridgeFactory, UserFactory, booked, local_time, office_of, site_tree
    from tests.integrations.receiver import Receiver

    sites = site_tree(provinces=1, communes=2)
    hanoi = office_of(sites["T01"], "VP-HN", name="Văn phòng UBND Hà Nội")
    hana = UserFactory(username="hana", roles=[Role.SECRETARIAT], offices=[hanoi])
    bridge = BridgeFactory(name="MCU Hà Nội", owner=hanoi)
    receiver = Receiver()
    subscription = WebhookSubscription.objects.create(
        office=hanoi, url=receiver.url, secret=signing.new_secret(), events=["meeting.booked"]
    )
    receiver.secret = subscription.secret
    receiver.start()
    worker = subprocess.Popen(
        [
            *(sys.executable, "manage.py", "db_worker", "--queue-name", "webhooks"),
            *("--interval", "0.1", "--no-startup-delay", "--verbosity", "0"),
        ],
        env=os.environ.copy(),
    )
    slots = iter(
        local_time(7 + index // 4, (8, 11, 14, 17)[index % 4])
        for index in range(1 + BOOKINGS + OUTAGE_BOOKINGS)
    )
    try:
        # One booking delivered before measuring: the worker process has started.
        booked(hana, bridge_id=bridge.pk, slot__start=next(slots))
        wait_for(receiver, 1, DRAIN_LIMIT_S)
        with receiver.lock:
            receiver.received.clear()
        WebhookDelivery.objects.all().delete()
        committed: dict[int, float] = {}
        started = time.time()
        for _ in range(BOOKINGS):
            meeting = booked(hana, bridge_id=bridge.pk, slot__start=next(slots))
            committed[meeting.pk] = time.time()  # book() returns once committed
        booking_s = time.time() - started
        arrived = wait_for(receiver, BOOKINGS, DRAIN_LIMIT_S)
        delays = [
            (got.at - committed[json.loads(got.body)["data"]["meeting"]["id"]]) * 1000
            for got in arrived
        ]
        all_signed = all(got.signed for got in arrived)

        receiver.stop()
        down_at = time.time()
        for _ in range(OUTAGE_BOOKINGS):
            booked(hana, bridge_id=bridge.pk, slot__start=next(slots))
        time.sleep(max(0.0, OUTAGE_S - (time.time() - down_at)))
        receiver.start()
        back_at = time.time()
        everything = wait_for(receiver, BOOKINGS + OUTAGE_BOOKINGS, DRAIN_LIMIT_S)
        drained_at = max(got.at for got in everything)
    finally:
        worker.terminate()
        worker.wait(10)
        receiver.stop()
    first = WebhookDelivery.objects.order_by("pk")[:BOOKINGS]
    outage = WebhookDelivery.objects.order_by("pk")[BOOKINGS:]
    delays.sort()
    return {
        "bookings": len(delays),
        "delay_p50_ms": statistics.median(delays),
        "delay_p95_ms": delays[int(len(delays) * 0.95) - 1],
        "delay_max_ms": delays[-1],
        "all_signed": all_signed,
        "booking_s": booking_s,
        "retries": sum(delivery.attempts - 1 for delivery in first),
        "outage_s": OUTAGE_S,
        "outage_bookings": OUTAGE_BOOKINGS,
        "outage_retries": sum(delivery.attempts - 1 for delivery in outage),
        "outage_delivered": sum(delivery.status == "delivered" for delivery in outage),
        "drain_after_back_s": drained_at - back_at,
    }


def wait_for(receiver, count: int, limit_s: float) -> list:
    deadline = time.time() + limit_s
    while time.time() < deadline:
        with receiver.lock:
            if len(receiver.received) >= count:
                return list(receiver.received)
        time.sleep(0.02)
    raise SystemExit(f"only {len(receiver.received)} of {count} deliveries arrived")


if __name__ == "__main__":
    sys.exit(main())
