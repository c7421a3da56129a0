"""Nudging the boards after reports commit (conferencing.readiness_broadcast).

The in-memory channel layer stands for Redis; the failure cases in
test_readiness.py use real Redis addresses that refuse or never answer.
"""

import asyncio
import socket
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.test import override_settings

from conferencing import readiness_broadcast
from conferencing.readiness_broadcast import NUDGE_INTERVAL_SECONDS, announce, board_group
from tests.conferencing.conftest import memory_layer, redis_layer


async def listener(conference_id: int) -> str:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(board_group(conference_id), channel)
    return channel


async def heard(channel: str, within: float) -> list[tuple[float, dict]]:
    layer = get_channel_layer()
    messages = []
    deadline = time.monotonic() + within
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = await asyncio.wait_for(layer.receive(channel), left)
        except TimeoutError:
            break
        messages.append((time.monotonic(), message))
    return messages


@override_settings(CHANNEL_LAYERS=memory_layer())
async def test_nudges_within_an_interval_become_one_publish_with_the_newest_sequence():
    channel = await listener(7)
    started = time.monotonic()

    for seq in range(1, 21):  # as twenty reports committing in a burst would
        await sync_to_async(announce, thread_sensitive=False)(7, seq)
    messages = await heard(channel, within=NUDGE_INTERVAL_SECONDS * 6)

    assert [message["seq"] for _at, message in messages][-1] == 20
    assert 1 <= len(messages) <= 3
    assert messages[0][0] - started < NUDGE_INTERVAL_SECONDS * 3  # the first goes at once


@override_settings(CHANNEL_LAYERS=memory_layer())
async def test_conferences_are_nudged_apart():
    first, second = await listener(1), await listener(2)

    await sync_to_async(announce, thread_sensitive=False)(1, 5)
    await sync_to_async(announce, thread_sensitive=False)(2, 9)

    assert [m["seq"] for _at, m in await heard(first, within=0.2)] == [5]
    assert [m["seq"] for _at, m in await heard(second, within=0.2)] == [9]


async def test_a_report_thread_never_waits_for_a_silent_channel_layer(caplog):
    # Accepts connections (the kernel does, into the backlog) and never answers.
    silent = socket.create_server(("127.0.0.1", 0))
    address = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
    try:
        with override_settings(CHANNEL_LAYERS=redis_layer(address)):
            started = time.monotonic()
            await sync_to_async(announce, thread_sensitive=False)(3, 1)
            handed_over = time.monotonic() - started
            await asyncio.sleep(readiness_broadcast.ANNOUNCE_TIMEOUT_SECONDS + 0.5)
    finally:
        silent.close()

    assert handed_over < 0.2
    assert [r.getMessage() for r in caplog.records if r.name == readiness_broadcast.__name__] == [
        "readiness broadcast for conference 3 failed"
    ]


@pytest.mark.parametrize("seqs", [[4, 2, 3], [1]])
def test_nudger_keeps_the_highest_sequence_waiting(seqs):
    loop = asyncio.new_event_loop()
    try:
        nudger = readiness_broadcast.Nudger(loop)
        nudger.last_publish[5] = loop.time()  # just published: the next one waits

        for seq in seqs:
            nudger.nudge(5, seq)

        assert nudger.waiting == {5: max(seqs)}
    finally:
        loop.close()
