"""Every meeting belongs to the office that books it; today's are the central office's
(created by conferencing's 0006 whenever a site or bridge exists, which every
meeting's conference needs)."""

import django.db.models.deletion
from django.db import migrations, models


def todays_meetings_to_the_central_office(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Office = apps.get_model("conferencing", "Office")
    central = Office.objects.filter(jurisdiction__parent__isnull=True).order_by("pk").first()
    if central is not None:
        Meeting.objects.update(owner_office=central)


class Migration(migrations.Migration):

    dependencies = [
        ('conferencing', '0006_offices'),
        ('meetings', '0007_queued_tasks_follow_the_recut'),
    ]

    operations = [
        migrations.AddField(
            model_name='meeting',
            name='owner_office',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='conferencing.office', verbose_name='owning office'),
        ),
        migrations.RunPython(todays_meetings_to_the_central_office, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='meeting',
            name='owner_office',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='conferencing.office', verbose_name='owning office'),
        ),
    ]
