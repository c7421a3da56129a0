"""The trail's booking entries keep no title any more (booking.booking_summary): the
trail's readers, the superuser among them, may not be allowed to read a confidential
session's title. Entries written before keep the meeting's id, which is what identifies
it; their copy of the title is removed here, the one change ever made to past entries."""

from django.db import migrations

BOOKED = "meeting.booked"


def forget_titles(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for entry in AuditEntry.objects.filter(action=BOOKED).only("pk", "changes").iterator():
        if isinstance(entry.changes, dict) and "title" in entry.changes:
            changes = {key: value for key, value in entry.changes.items() if key != "title"}
            AuditEntry.objects.filter(pk=entry.pk).update(changes=changes)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_entries"),
        ("meetings", "0008_meetings_belong_to_offices"),
    ]

    operations = [migrations.RunPython(forget_titles, migrations.RunPython.noop)]
