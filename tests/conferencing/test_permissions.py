"""The Django admin is the superuser's: the Secretariat group keeps no admin permission on
sites or bridges (they are managed on the offices' pages, within a jurisdiction)."""

from django.contrib.auth.models import Group, Permission

from accounts.roles import Role
from conferencing.permissions import withdraw_secretariat_admin_permissions


def test_migrate_withdraws_the_admin_permissions_a_secretariat_had_before_offices(db):
    group, _created = Group.objects.get_or_create(name=Role.SECRETARIAT.value)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="conferencing"))

    withdraw_secretariat_admin_permissions(sender=None)

    assert not group.permissions.filter(content_type__app_label="conferencing").exists()


def test_a_database_without_the_group_is_left_alone(db):
    Group.objects.filter(name=Role.SECRETARIAT.value).delete()

    withdraw_secretariat_admin_permissions(sender=None)

    assert not Group.objects.filter(name=Role.SECRETARIAT.value).exists()
