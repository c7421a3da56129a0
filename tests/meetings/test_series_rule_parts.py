"""meetings.series.rule_parts reads dateutil's private rule attributes: this fails loudly
when a dateutil upgrade renames or changes them (python-dateutil is pinned)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

from meetings.series import rule_parts

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 3, 2, 8, 0, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("text", "freq", "count", "until"),
    [
        ("FREQ=DAILY;COUNT=5", DAILY, 5, None),
        ("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=20", WEEKLY, 20, None),
        (
            "FREQ=MONTHLY;UNTIL=20260901T010000Z",
            MONTHLY,
            None,
            datetime(2026, 9, 1, 8, 0, tzinfo=ZONE),
        ),
        ("FREQ=YEARLY", YEARLY, None, None),
    ],
)
def test_each_field_is_what_the_rule_says(text, freq, count, until):
    parsed = rrulestr(f"RRULE:{text}", dtstart=START)

    assert isinstance(parsed, rrule)
    assert rule_parts(parsed).frequency == freq
    assert rule_parts(parsed).count == count
    assert rule_parts(parsed).until == until


def test_fields_of_a_rule_built_directly():
    parsed = rrule(WEEKLY, dtstart=START, count=3)

    assert (rule_parts(parsed).frequency, rule_parts(parsed).count) == (WEEKLY, 3)
    assert rule_parts(parsed).until is None
    # The answers agree with what the rule expands to.
    assert len(list(parsed)) == 3


def test_a_floating_until_stays_naive():
    parsed = rrulestr("RRULE:FREQ=DAILY;UNTIL=20260310T080000", dtstart=START.replace(tzinfo=None))

    assert rule_parts(parsed).until == datetime(2026, 3, 10, 8, 0)
    assert rule_parts(parsed).count is None
