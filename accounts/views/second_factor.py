"""The second factor's pages: enrol an authenticator, verify after the password, renew
the recovery codes, remove an optional second factor (rules: accounts.second_factor)."""

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import second_factor
from accounts.forms import SecondFactorCodeForm
from accounts.second_factor_middleware import to_second_factor
from accounts.sign_in import address_of


def next_url(request: HttpRequest) -> str:
    """Where to go afterwards: the `next` asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home")


def _verified(request: HttpRequest, device) -> None:
    django_otp.login(request, device)
    request.session[second_factor.ENROLLED_SESSION_KEY] = True


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if second_factor.has_device(user) and not user.is_verified():
        # Replacing the authenticator takes the current one first.
        return redirect(to_second_factor(user, next_url(request)))
    key = request.session.get(second_factor.PENDING_KEY_SESSION_KEY)
    if not key:
        key = second_factor.new_secret()
        request.session[second_factor.PENDING_KEY_SESSION_KEY] = key
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolled = second_factor.enrol(user, key, form.cleaned_data["code"], address_of(request))
        if enrolled is None:
            form.add_error(
                "code",
                _(
                    "This code does not match. Check that the phone's clock is right and "
                    "type the code the app shows now."
                ),
            )
        else:
            device, codes = enrolled
            del request.session[second_factor.PENDING_KEY_SESSION_KEY]
            _verified(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": next_url(request), "enrolled": True},
            )
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "qr_image": second_factor.qr_image(user, key),
            "secret": second_factor.manual_secret(key),
            "required": second_factor.required_for(user),
            "replacing": second_factor.has_device(user),
            "next": next_url(request),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not second_factor.has_device(user):
        return redirect(to_second_factor(user, next_url(request)))
    if user.is_verified():
        return redirect(next_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = second_factor.verify(user, form.cleaned_data["code"], address_of(request))
        if outcome.device is not None:
            _verified(request, outcome.device)
            if outcome.recovery_codes_left is not None:
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(count)d is left. Make new ones from "
                        "your profile.",
                        "You used a recovery code: %(count)d are left. Make new ones from "
                        "your profile.",
                        outcome.recovery_codes_left,
                    )
                    % {"count": outcome.recovery_codes_left},
                )
            return redirect(next_url(request))
        wait = second_factor.seconds_to_wait(outcome)
        if wait:
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes: wait %(seconds)d second, then try again.",
                    "Too many wrong codes: wait %(seconds)d seconds, then try again.",
                    wait,
                )
                % {"seconds": wait},
            )
        else:
            form.add_error("code", _("This code is not right."))
    return render(
        request,
        "accounts/second_factor_verify.html",
        {"form": form, "next": next_url(request)},
    )


@never_cache
@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes, shown once; the earlier ones stop working."""
    user = request.user
    if not second_factor.has_device(user):
        return redirect("profile")
    codes = second_factor.regenerate_recovery_codes(user, address_of(request))
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("profile"), "enrolled": False},
    )


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Remove an optional second factor; whoever must have one keeps it."""
    user = request.user
    if second_factor.required_for(user):
        messages.error(request, _("Your role requires a second factor: it cannot be removed."))
        return redirect("profile")
    if second_factor.has_device(user):
        second_factor.remove(user, address_of(request))
        request.session.pop(second_factor.ENROLLED_SESSION_KEY, None)
        request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("The second factor was removed from your account."))
    return redirect("profile")
