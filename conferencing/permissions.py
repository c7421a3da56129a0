from django.contrib.auth.models import Group, Permission

from accounts.roles import Role


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
