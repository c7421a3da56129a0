"""`{{ user|person_name }}` in every template (a built-in: config/settings.py)."""

from django import template

from accounts.names import full_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    return full_name(user)


@register.filter
def person_initial(user) -> str:
    """The avatar's letter: the given name's, which a Vietnamese name puts last."""
    words = full_name(user).split()
    return words[-1][:1].upper() if words else ""
