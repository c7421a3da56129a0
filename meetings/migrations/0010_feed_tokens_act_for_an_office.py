"""Organisation calendar feeds act for one office (issue #13).

Each existing organisation feed is bound to its owner's first active office (by code,
the office they act for by default: conferencing.jurisdiction.offices_of), so its
address keeps working and now shows what that office sees. A feed whose owner belongs
to no active office is revoked: it would show nothing, and an office chosen for them
would be a guess. Personal and site feeds are unchanged.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def bind_organisation_feeds(apps, schema_editor) -> None:
    FeedToken = apps.get_model("meetings", "FeedToken")
    Office = apps.get_model("conferencing", "Office")
    now = django.utils.timezone.now()
    feeds = FeedToken.objects.filter(kind="organisation", office__isnull=True)
    for feed in feeds.iterator():
        office = (
            Office.objects.filter(is_active=True, members=feed.user_id).order_by("code").first()
        )
        if office is not None:
            feed.office = office
            feed.save(update_fields=["office"])
        elif feed.revoked_at is None:
            feed.revoked_at = now
            feed.save(update_fields=["revoked_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("conferencing", "0006_offices"),
        ("meetings", "0009_audit_keeps_no_session_titles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="feedtoken",
            name="office",
            field=models.ForeignKey(
                blank=True,
                help_text="The office an organisation feed acts for: it shows the sessions that office sees.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="conferencing.office",
                verbose_name="office",
            ),
        ),
        migrations.AlterField(
            model_name="feedtoken",
            name="kind",
            field=models.CharField(
                choices=[
                    ("personal", "My sessions"),
                    ("site", "One conference site"),
                    ("organisation", "Sessions of my office (secretariat)"),
                ],
                max_length=16,
                verbose_name="feed",
            ),
        ),
        migrations.RunPython(bind_organisation_feeds, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="feedtoken",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "organisation"), ("revoked_at__isnull", True), _negated=True),
                    ("office__isnull", False),
                    _connector="OR",
                ),
                name="feed_token_organisation_has_office",
            ),
        ),
    ]
