"""API tokens act for one office (issue #13): the binding model, and today's tokens of
Secretariat users bound to their first active office (by code: the office they act for
by default), so integrations keep the authority they had on the central office. Other
tokens (technicians, attendees) stay unbound: they act for no office.
"""

import django.db.models.deletion
from django.db import migrations, models


SECRETARIAT_GROUP = "Secretariat"


def bind_secretariat_tokens(apps, schema_editor) -> None:
    Token = apps.get_model("authtoken", "Token")
    Office = apps.get_model("conferencing", "Office")
    TokenOffice = apps.get_model("conferencing", "TokenOffice")
    tokens = Token.objects.filter(user__groups__name=SECRETARIAT_GROUP).distinct()
    for token in tokens.iterator():
        office = (
            Office.objects.filter(is_active=True, members=token.user_id).order_by("code").first()
        )
        if office is not None:
            TokenOffice.objects.create(token=token, office=office)


class Migration(migrations.Migration):

    dependencies = [
        ('authtoken', '0004_alter_tokenproxy_options'),
        ('conferencing', '0007_import_job_office'),
    ]

    operations = [
        migrations.CreateModel(
            name='TokenOffice',
            fields=[
                ('token', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='office_binding', serialize=False, to='authtoken.token', verbose_name='API token')),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='conferencing.office', verbose_name='office')),
            ],
            options={
                'verbose_name': "API token's office",
                'verbose_name_plural': "API tokens' offices",
            },
        ),
        migrations.RunPython(bind_secretariat_tokens, migrations.RunPython.noop),
    ]
