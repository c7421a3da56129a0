"""API tokens that act for one office: made, listed and revoked by their owner.

A token is rest_framework.authtoken's (one per user: making a new one replaces the
old); `TokenOffice` binds it to the office chosen when it was made, and every request
it authenticates acts for that office (`authenticate`, called by
conferencing.api.authentication). A token without a binding, or bound to an office
its owner has left or that was deactivated, acts for no office: it reads what its
owner reads as a person and books nothing. Making and revoking are audited; the key
is shown once, when made.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from rest_framework.authtoken.models import Token

from audit import trail
from conferencing import jurisdiction
from conferencing.models import Office, TokenOffice


def create(user: AbstractBaseUser, office_id: object) -> tuple[Token, Office | None]:
    """A new token for the user (the old one, if any, stops at once), acting for this
    office; NotAMember (nothing written) if the id is not one of the user's active
    offices. A user without any office gets a token acting for none (`office_id` None)."""
    office = None
    if office_id not in (None, "") or jurisdiction.offices_of(user):
        office = jurisdiction.choose(user, office_id)
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        if office is not None:
            TokenOffice.objects.create(token=token, office=office)
        trail.record(user, "api.token_created", user, describe(office))
    return token, office


def revoke(user: AbstractBaseUser) -> bool:
    """Delete the user's token (it stops at once); whether there was one. Audited."""
    with transaction.atomic():
        token = Token.objects.filter(user=user).select_related("office_binding__office").first()
        if token is None:
            return False
        office = bound_office(token)
        token.delete()
        trail.record(user, "api.token_revoked", user, describe(office))
    return True


def tokens_of(user: AbstractBaseUser) -> list[Token]:
    """The user's tokens (at most one) with their office; the keys are never shown again."""
    return list(Token.objects.filter(user=user).select_related("office_binding__office"))


def bound_office(token: Token) -> Office | None:
    # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
    binding = getattr(token, "office_binding", None)
    return binding.office if binding is not None else None


def authenticate(user: AbstractBaseUser, token: Token) -> None:
    """Make the token's user act for the token's office for this request, or for none."""
    office_id = TokenOffice.objects.filter(token=token).values_list("office_id", flat=True).first()
    if office_id is None:
        jurisdiction.act_for_none(user)
        return
    try:
        jurisdiction.choose(user, office_id)
    except jurisdiction.NotAMember:
        jurisdiction.act_for_none(user)


def describe(office: Office | None) -> dict:
    return {"office": office.code if office else None}
