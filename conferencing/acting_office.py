"""The office a signed-in person acts for: chosen in the header, remembered in the session.

The middleware hands the remembered choice to conferencing.jurisdiction for the
request; the view changes it. A choice that is no longer valid (the person left the
office, the office was deactivated) falls back to their first office.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from conferencing import jurisdiction


class ActingOfficeMiddleware:
    """After AuthenticationMiddleware: applies the session's choice of office."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        choice = request.session.get(jurisdiction.SESSION_KEY)
        if choice is not None and request.user.is_authenticated:
            jurisdiction.remember_choice(request.user, choice)
        return self.get_response(request)


@require_POST
@login_required
def act_for(request: HttpRequest) -> HttpResponse:
    """Switch the office the person acts for; an office that is not theirs is refused
    with a message and nothing changes."""
    try:
        office = jurisdiction.choose(request.user, request.POST.get("office"))
    except jurisdiction.NotAMember as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(back_to(request), status=303)
    request.session[jurisdiction.SESSION_KEY] = office.pk
    return HttpResponseRedirect(back_to(request), status=303)


def back_to(request: HttpRequest) -> str:
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe and wanted.startswith("/") else "/"
