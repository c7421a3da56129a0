"""The sign-in form, the password-change form whose check of the current password is
counted like a sign-in, and the second factor's code."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.sign_in import refusal


class SignInForm(AuthenticationForm):
    """Django's form; when a backend said why it refused (accounts.sign_in.refuse: the
    directory is unreachable, the directory account is disabled), that is the error."""

    def get_invalid_login_error(self) -> ValidationError:
        refused = refusal(self.request)
        if refused is None:
            return super().get_invalid_login_error()
        return ValidationError(refused.message, code=refused.code)


class CountedPasswordChangeForm(PasswordChangeForm):
    """Django's form, whose check of the current password goes through authenticate():
    sign-in lockout (django-axes) then counts a wrong guess here as at the sign-in page,
    so whoever holds a stolen session cannot guess its owner's password without limit."""

    def __init__(self, user, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(
            self.request, username=self.user.get_username(), password=old_password
        )
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class SecondFactorCodeForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )
