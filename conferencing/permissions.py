from django.contrib.auth.models import Group, Permission

from accounts.roles import Role

SECRETARIAT_MODELS = ["endpoint", "bridge"]


def grant_secretariat_permissions(sender, using: str = "default", **kwargs) -> None:
    """Let the Secretariat group manage sites and bridges in the admin."""
    group = Group.objects.using(using).filter(name=Role.SECRETARIAT.value).first()
    if group is None:
        return
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="conferencing", content_type__model__in=SECRETARIAT_MODELS
    )
    group.permissions.add(*permissions)
