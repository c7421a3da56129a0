from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.forms import CountedPasswordChangeForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, with the current password checked as a sign-in is (lockout counted)."""

    form_class = CountedPasswordChangeForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}
