"""The profile's API tokens (/profile/tokens/): make one (its token shown once), list
mine, revoke one. Rules in people.api_tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from people import api_tokens
from people.forms import TokenForm


def page(
    request: HttpRequest, form: TokenForm | None = None, key: str = "", status: int = 200
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "people/tokens.html",
        {
            "form": form or TokenForm(owner=user),
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
    """Make a token and show it, once: 201; bad input, 400 (nothing made)."""
    form = TokenForm(request.POST, owner=request.user)
    if not form.is_valid():
        return page(request, form, status=400)
    try:
        made = api_tokens.create(request.user, **form.token_fields())
    except api_tokens.TokenRefused as refused:
        form.add_error(refused.code if refused.code in form.fields else None, refused.message)
        return page(request, form, status=400)
    return page(request, key=made.key, status=201)


@require_POST
@login_required
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = api_tokens.token_of(request.user, token_id)
    except api_tokens.TokenNotFound:
        raise Http404 from None
    if api_tokens.revoke(token, actor=request.user):
        messages.success(request, _("The API token was revoked: it no longer works."))
    return redirect("profile-tokens")
