from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

from accounts.roles import Role
from conferencing.jurisdiction import booking_office


def withdraw_secretariat_admin_permissions(sender, using: str = "default", **kwargs) -> None:
    """The Django admin is the superuser's: sites and bridges are managed on the offices'
    own pages, which ask conferencing.jurisdiction. Before offices, the Secretariat group
    could edit any site or bridge in the admin; a database that still grants it loses
    those permissions at the next migrate."""
    group = Group.objects.using(using).filter(name=Role.SECRETARIAT.value).first()
    if group is None:
        return
    conferencing = Permission.objects.using(using).filter(content_type__app_label="conferencing")
    group.permissions.remove(*conferencing)


def may_announce_working_days(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The days off and make-up working days the Government announces are entered by the
    central office's secretariat, acting for it; nobody else (the superuser neither: it
    administers, it does not speak for the Government Office)."""
    office = booking_office(user)
    return bool(office and office.is_central)
