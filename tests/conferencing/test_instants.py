from datetime import UTC, datetime, timedelta, timezone

from conferencing.instants import iso


def test_iso_spells_every_instant_in_utc_whatever_its_offset():
    hanoi = timezone(timedelta(hours=7))
    moment = datetime(2026, 3, 2, 8, 30, tzinfo=hanoi)

    assert iso(moment) == "2026-03-02T01:30:00+00:00"
    assert iso(moment) == iso(moment.astimezone(UTC))
