"""Django's password sign-in, reading the person with the account: every page shows the
full name in its header, and this keeps that from costing a query per request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser


def active_user_with_person(user_id: object) -> AbstractBaseUser | None:
    """The signed-in account of a session, with its person, if it may still sign in.
    Every backend's `get_user` (password, LDAP, OpenID Connect) is this."""
    user = get_user_model()._default_manager.select_related("person").filter(pk=user_id).first()
    return user if user is not None and getattr(user, "is_active", True) else None


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        return active_user_with_person(user_id)
