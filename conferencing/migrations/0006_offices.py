"""Offices: who books and manages what (conferencing.jurisdiction).

Today's data moves forward under one central office: its jurisdiction is the root of
the site tree, today's Secretariat users are its staff, and every bridge becomes its
own (meetings' 0008 gives it every meeting). A database with bridges but no site at
all gets the root site the central office needs; an empty database gets no office.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


CENTRAL_OFFICE = {"code": "VPCP", "name": "Văn phòng Chính phủ"}
ROOT_SITE = {"code": "TW", "name": "Trung ương", "level": 0, "path": "/TW/"}
SECRETARIAT_GROUP = "Secretariat"


def central_office_for_todays_data(apps, schema_editor):
    Endpoint = apps.get_model("conferencing", "Endpoint")
    Bridge = apps.get_model("conferencing", "Bridge")
    Office = apps.get_model("conferencing", "Office")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    if not Endpoint.objects.exists() and not Bridge.objects.exists():
        return
    roots = Endpoint.objects.filter(parent__isnull=True).order_by("level", "path")
    root = roots.first() or Endpoint.objects.create(**ROOT_SITE)
    office = Office.objects.create(jurisdiction=root, **CENTRAL_OFFICE)
    office.members.add(*User.objects.filter(groups__name=SECRETARIAT_GROUP).distinct())
    Bridge.objects.update(owner=office)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('conferencing', '0005_readiness'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Office',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=32, unique=True, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$', 'Use 1-32 letters, digits, dots, dashes or underscores, starting with a letter or digit.')], verbose_name='short code')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('jurisdiction', models.ForeignKey(help_text='The site whose subtree the office books and manages.', on_delete=django.db.models.deletion.PROTECT, related_name='offices', to='conferencing.endpoint', verbose_name='jurisdiction')),
                ('members', models.ManyToManyField(blank=True, related_name='offices', to=settings.AUTH_USER_MODEL, verbose_name='secretariat staff')),
            ],
            options={
                'verbose_name': 'office',
                'verbose_name_plural': 'offices',
                'ordering': ['code'],
            },
        ),
        migrations.AddField(
            model_name='bridge',
            name='owner',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='bridges', to='conferencing.office', verbose_name='owning office'),
        ),
        migrations.AddField(
            model_name='bridge',
            name='shared_with',
            field=models.ManyToManyField(blank=True, related_name='shared_bridges', to='conferencing.office', verbose_name='shared with'),
        ),
        migrations.RunPython(central_office_for_todays_data, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='bridge',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bridges', to='conferencing.office', verbose_name='owning office'),
        ),
    ]
