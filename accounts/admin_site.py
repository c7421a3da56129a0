"""Django's admin, refusing a session that has not passed the second factor.

django-otp's OTPAdminSite asks for the code in a sign-in form of its own; here the admin
keeps Django's sign-in form (counted by the lockout) and sends a signed-in member of
staff to the site's one enrol-or-verify page: its permission asks for a verified
session (any staff, while SECOND_FACTOR_REQUIRED is on).
"""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.second_factor_middleware import to_second_factor


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and (
            not settings.SECOND_FACTOR_REQUIRED or request.user.is_verified()
        )

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """A member of staff signed in but not verified goes to the second factor, then
        back to the admin; anyone else gets Django's admin sign-in."""
        user = request.user
        if user.is_authenticated and user.is_staff and not self.has_permission(request):
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = reverse("admin:index", current_app=self.name)
            return HttpResponseRedirect(to_second_factor(user, next_url))
        return super().login(request, extra_context)
