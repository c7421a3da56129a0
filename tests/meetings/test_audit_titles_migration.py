"""meetings 0009: booking entries written before issue #13 lose their copy of the title."""

import pytest

from audit.models import AuditEntry  # its table is the same before and after
from tests.historical import latest, migrate

BEFORE = [("meetings", "0008_meetings_belong_to_offices")]
AFTER = [("meetings", "0009_audit_keeps_no_session_titles")]


@pytest.mark.django_db(transaction=True)
def test_booking_entries_forget_the_title_and_keep_everything_else():
    migrate(BEFORE)
    booked = AuditEntry.objects.create(
        action="meeting.booked",
        target_type="meetings.meeting",
        target_id="7",
        changes={"title": "Họp mật", "sites": 3, "host": 1},
    )
    cancelled = AuditEntry.objects.create(
        action="meeting.cancelled",
        target_type="meetings.meeting",
        target_id="7",
        changes={"reason": "Hoãn"},
    )

    migrate(AFTER)

    booked.refresh_from_db()
    cancelled.refresh_from_db()
    assert booked.changes == {"sites": 3, "host": 1}
    assert cancelled.changes == {"reason": "Hoãn"}
    # The tests after this one run on today's schema.
    migrate(latest())
