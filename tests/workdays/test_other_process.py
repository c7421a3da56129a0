"""Another server process (another Daphne) sees an announced day as soon as it commits:
a real second interpreter on the same test database keeps its own cache of the
announced days and must drop it when the revision token changes."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from workdays import announcements
from workdays.models import AnnouncedKind

ROOT = Path(__file__).resolve().parents[2]
SATURDAY = date(2027, 3, 6)
# The child answers one question per line of its standard input: is this day worked?
CHILD = """
import sys
import django
django.setup()
from tests.fixtures.browser import use_test_database
use_test_database()
from datetime import date
from workdays import calendar
for line in sys.stdin:
    print(calendar.is_working_day(date.fromisoformat(line.strip())), flush=True)
"""


@pytest.fixture
def other_process():
    with subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:

        def ask(day: date) -> str:
            child.stdin.write(f"{day.isoformat()}\n")
            child.stdin.flush()
            return child.stdout.readline().strip()

        yield ask
        # Leaving the block closes both pipes: the child's loop ends and it exits.
        child.stdin.close()
        child.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_other_process_sees_an_announced_day_once_committed(other_process, alice):
    assert other_process(SATURDAY) == "False"  # its cache is now warm

    announcements.announce(
        alice, announcements.Announcement(SATURDAY, AnnouncedKind.WORKING_DAY, "Làm bù")
    )
    assert other_process(SATURDAY) == "True"

    announcements.withdraw(alice, SATURDAY)
    assert other_process(SATURDAY) == "False"
