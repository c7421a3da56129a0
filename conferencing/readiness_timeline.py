"""How many sites were ready, moment by moment, through a session's readiness window.

Replayed from the readiness event log (ReadinessEvent), which keeps every accepted
report with its time: one query whatever the number of
sites, the rest is a walk in memory. A site counts as ready while its latest report is
"ready" or "connected", as the report counts it (conferencing.readiness_report).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from conferencing.models import Conference, ReadinessEvent
from conferencing.readiness import READY_STATES
from conferencing.watch_policy import WHOLE_BOARD, BoardPart

# At most this many moments on the line (a 24-hour setup window is still a line).
MAX_MOMENTS = 60
# The steps between moments, in minutes: the smallest that keeps within MAX_MOMENTS.
STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360)


@dataclass(frozen=True)
class Timeline:
    """`ready[i]` sites were ready at `moments[i]`; the window opened at `opens`, the
    session started at `start`; `step` is the time between two moments (the last one
    may come sooner: it is the window's end, or now)."""

    opens: datetime
    start: datetime
    step: timedelta
    moments: tuple[datetime, ...]
    ready: tuple[int, ...]


def step_for(length: timedelta) -> timedelta:
    minutes = length.total_seconds() / 60
    for step in STEPS:
        if minutes / step <= MAX_MOMENTS - 1:
            return timedelta(minutes=step)
    return timedelta(minutes=STEPS[-1] * 2)


def moments_between(
    opens: datetime, until: datetime, also: datetime | None = None
) -> list[datetime]:
    """From `opens` to `until` (both included) by the step for their distance, and
    `also` (the session's start) where it falls between them, off the step or not."""
    if until <= opens:
        return [opens]
    step = step_for(until - opens)
    moments = []
    moment = opens
    while moment < until:
        moments.append(moment)
        moment += step
    moments.append(until)
    if also is not None and opens < also < until and also not in moments:
        moments = sorted([*moments, also])
    return moments


def ready_over_time(
    conference: Conference,
    now: datetime,
    part: BoardPart = WHOLE_BOARD,
    transitions: list[tuple[int, datetime, str]] | None = None,
) -> Timeline:
    """The ready sites of `part` from the opening of the readiness window (the start
    minus the setup) to the session's end, or to `now` if it has not ended; one query,
    none when given the part's `transitions` (readiness_report.summarise reads them).
    Before the window opens it is a single moment with nothing ready."""
    opens = conference.reserved_from
    until = max(opens, min(conference.end, now))
    moments = moments_between(opens, until, also=conference.start)
    if transitions is None:
        events = ReadinessEvent.objects.filter(leg__conference=conference)
        if not part.is_whole:
            events = events.filter(leg__endpoint__path__startswith=part.within)
        transitions = list(events.order_by("seq").values_list("leg_id", "at", "to_state"))
    # By time, then (the sort is stable) in the order accepted: two reports of one site
    # in the same instant keep their order.
    rows = sorted((row for row in transitions if row[1] <= until), key=lambda row: row[1])
    ready_legs: set[int] = set()
    ready: list[int] = []
    index = 0
    for moment in moments:
        while index < len(rows) and rows[index][1] <= moment:
            leg_id, _at, state = rows[index]
            if state in READY_STATES:
                ready_legs.add(leg_id)
            else:
                ready_legs.discard(leg_id)
            index += 1
        ready.append(len(ready_legs))
    return Timeline(
        opens=opens,
        start=conference.start,
        step=step_for(until - opens) if until > opens else timedelta(0),
        moments=tuple(moments),
        ready=tuple(ready),
    )
