"""What a parsed dateutil rule says about itself: its frequency, COUNT and UNTIL.

dateutil's `rrule` keeps these only in private attributes (`_freq`, `_count`,
`_until`) and offers no public way to read them back; parsing the rule text a
second time to find them would be a second RRULE parser. So each is read here,
in one function apiece, and tests/meetings/test_rrule_fields.py checks every one
against dateutil as pinned in pyproject.toml, failing loudly if an upgrade renames
or changes them.
"""

from datetime import datetime

from dateutil.rrule import rrule


def frequency(rule: rrule) -> int:
    """The rule's FREQ as dateutil's constant (`dateutil.rrule.DAILY`, `WEEKLY`...)."""
    return rule._freq


def count(rule: rrule) -> int | None:
    """The rule's COUNT, None when it has none."""
    return rule._count


def until(rule: rrule) -> datetime | None:
    """The rule's UNTIL as dateutil resolved it, None when it has none."""
    return rule._until
