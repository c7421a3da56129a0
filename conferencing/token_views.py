"""The API token page (/api-tokens/): make a token acting for one of my offices (its key
shown once), see mine, revoke it. Rules in conferencing.api_tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from conferencing import api_tokens, jurisdiction


class TokenForm(forms.Form):
    """Which office the new token acts for: one of the user's (an id that is not one of
    theirs is the domain's NotAMember error, on this field)."""

    office = forms.ChoiceField(label=gettext_lazy("Acts for the office"), required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        office = self.fields["office"]
        assert isinstance(office, forms.ChoiceField)
        choices = [(str(o.pk), str(o)) for o in jurisdiction.offices_of(user)]
        office.choices = choices
        office.required = bool(choices)
        # A forged id answers as the domain does: the user is not a member of it.
        office.error_messages["invalid_choice"] = jurisdiction.NotAMember().message
        acting = jurisdiction.acting_office(user)
        if acting is not None:
            office.initial = str(acting.pk)


def page(
    request: HttpRequest, form: TokenForm | None = None, key: str = "", status: int = 200
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "conferencing/api_tokens.html",
        {
            "form": form or TokenForm(user=user),
            "tokens": api_tokens.tokens_of(user),
            "new_key": key,
        },
        status=status,
    )


@require_safe
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return page(request)


@require_POST
@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Make a token (replacing mine) and show its key, once: 201; a bad office, 400."""
    form = TokenForm(request.POST, user=request.user)
    if not form.is_valid():
        return page(request, form, status=400)
    try:
        token, _office = api_tokens.create(request.user, form.cleaned_data["office"] or None)
    except jurisdiction.NotAMember as error:
        form.add_error("office", error.message)
        return page(request, form, status=400)
    return page(request, key=token.key, status=201)


@require_POST
@login_required
def revoke(request: HttpRequest) -> HttpResponse:
    if api_tokens.revoke(request.user):
        messages.success(request, _("The API token was revoked: it no longer works."))
    return redirect("api-tokens")
