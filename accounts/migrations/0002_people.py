import unicodedata

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _fold(text):
    # A frozen copy of accounts.folding.fold: migrations never import app code.
    decomposed = unicodedata.normalize("NFD", (text or "").translate({0x111: "d", 0x110: "d"}))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def people_from_accounts(apps, schema_editor):
    """Every existing account gets its Person, the name joined the Vietnamese way:
    Django's last_name ("Nguyễn Thị") before its first_name ("Lan")."""
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Person = apps.get_model("accounts", "Person")
    people = []
    for user in User.objects.only("pk", "username", "email", "first_name", "last_name"):
        name = " ".join(p for p in [user.last_name.strip(), user.first_name.strip()] if p)
        key = _fold(" ".join([name, user.username, user.email]))[:600]
        people.append(Person(user_id=user.pk, full_name=name, search_key=key))
    Person.objects.bulk_create(people, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="person",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="account",
                    ),
                ),
                ("full_name", models.CharField(blank=True, max_length=200, verbose_name="full name")),
                ("phone", models.CharField(blank=True, max_length=32, verbose_name="phone")),
                ("unit", models.CharField(blank=True, max_length=200, verbose_name="unit")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("local", "local account"),
                            ("ldap", "directory (LDAP)"),
                            ("oidc", "single sign-on (OpenID Connect)"),
                        ],
                        default="local",
                        max_length=8,
                        verbose_name="source",
                    ),
                ),
                ("sessions_ended_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("search_key", models.CharField(blank=True, db_index=True, editable=False, max_length=600)),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ],
            options={"verbose_name": "person", "verbose_name_plural": "people"},
        ),
        migrations.CreateModel(
            name="SignedInSession",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("session_key", models.CharField(max_length=64, unique=True)),
                ("signed_in_at", models.DateTimeField(auto_now_add=True, verbose_name="signed in at")),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="address")),
                ("user_agent", models.CharField(blank=True, max_length=300, verbose_name="browser")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signed_in_sessions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="account",
                    ),
                ),
            ],
            options={
                "verbose_name": "signed-in session",
                "verbose_name_plural": "signed-in sessions",
                "ordering": ["-signed_in_at"],
            },
        ),
        migrations.RunPython(people_from_accounts, migrations.RunPython.noop),
    ]
