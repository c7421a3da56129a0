from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from people import scope


def people(request: HttpRequest) -> dict:
    """Whether the navigation offers the people pages."""
    return {"can_manage_people": scope.may_manage_people(request.user)}


def single_sign_on(request: HttpRequest) -> dict:
    """The sign-in page's single sign-on button, while OpenID Connect is configured."""
    if not settings.OIDC_ENABLED:
        return {}
    return {"single_sign_on_label": settings.OIDC_PROVIDER_NAME or _("Sign in with single sign-on")}
