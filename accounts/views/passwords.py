"""Changing one's password, and resetting a forgotten one by e-mail (Django's views)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy

from accounts import password_reset, password_reset_queue, sessions
from accounts.forms import CountedPasswordChangeForm
from accounts.sign_in import address_of
from audit import trail


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, with the current password checked as a sign-in is (lockout counted);
    the person's other sessions end with the old password."""

    form_class = CountedPasswordChangeForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form) -> HttpResponse:
        old_key = self.request.session.session_key
        with transaction.atomic():
            # Saves the password and goes on under a new session key (Django).
            response = super().form_valid(form)
            new_key = self.request.session.session_key
            sessions.rekey(old_key, new_key)
            ended = sessions.end_sessions(form.user, keep=new_key)
            trail.record(
                form.user,
                "password.changed",
                form.user,
                {"ip_address": address_of(self.request), "other_sessions_ended": ended},
            )
        return response


class ResetRequestForm(PasswordResetForm):
    """Only the address: the e-mails are written by a task (accounts.password_reset)."""


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form) -> HttpResponse:
        password_reset_queue.request_reset(form.cleaned_data["email"], address_of(self.request))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "minutes": password_reset.link_minutes()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            password_reset.completed(form.user, address_of(self.request))
        return response
