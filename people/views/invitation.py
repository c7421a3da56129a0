"""The invitation link's page: choose a password, then sign in."""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from people import invitations


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = invitations.check(token)
    except invitations.InvitationRefused as refused:
        return render(
            request,
            "people/invitation.html",
            {"refusal": refused.message},
            status=410 if refused.code in ("expired", "used", "voided") else 404,
        )
    form = SetPasswordForm(found.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.redeem(token, form.cleaned_data["new_password1"])
        except invitations.InvitationRefused as refused:
            return render(
                request, "people/invitation.html", {"refusal": refused.message}, status=410
            )
        except ValidationError as error:
            form.add_error("new_password2", error)
        else:
            messages.success(request, _("Your password is set. Sign in with it now."))
            return redirect("login")
    return render(request, "people/invitation.html", {"form": form, "invited": found.user})
