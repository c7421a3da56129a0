"""A person's name as shown everywhere: the full name as written, else the username."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def full_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """ "Nguyễn Thị Lan", never "Lan Nguyễn Thị"; the username when no name is known.
    Lists select_related("person") so that this reads no row."""
    if user is None or not user.is_authenticated:
        return ""
    person = getattr(user, "person", None)  # a missing one-to-one raises AttributeError
    return (person.full_name if person is not None else "") or user.get_username()
