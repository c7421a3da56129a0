"""A person's own page: who they are here, their second factor, password and sessions."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import second_factor, sessions
from accounts.models import Source
from accounts.roles import roles_of
from accounts.sign_in import address_of
from audit import trail


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    person = user.person
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "roles": sorted(role.label for role in roles_of(user)),
            "offices": list(user.offices.order_by("name")),
            "is_local": person.source == Source.LOCAL,
            "source_label": Source(person.source).label,
            "has_authenticator": second_factor.has_device(user),
            "second_factor_required": second_factor.required_for(user),
            "recovery_codes_left": second_factor.recovery_codes_left(user),
            "signed_in_sessions": sessions.current(user),
            "this_session": request.session.session_key,
        },
    )


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the person, this browser's last, and close their sockets."""
    user = request.user
    with transaction.atomic():
        ended = sessions.end_sessions(user)
        trail.record(
            user,
            "sign_in.signed_out_everywhere",
            user,
            {"ip_address": address_of(request), "sessions": ended},
        )
    logout(request)
    messages.success(request, _("You are signed out on every device. Sign in again here."))
    return redirect("login")
