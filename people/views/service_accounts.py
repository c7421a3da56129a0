"""An office's service accounts (/people/service-accounts/): list and make them, and
make and revoke their tokens. Rules in people.service_accounts and people.api_tokens;
who may: people.scope (anyone else is refused, 403; an account or token outside what
the asker manages answers 404, as a missing one)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from people import api_tokens, scope, service_accounts
from people.forms import ServiceAccountForm, TokenForm


def require_manager(request: HttpRequest) -> None:
    if not scope.may_manage_people(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The list, and the form that makes one (302 to its page; 400 on bad input)."""
    require_manager(request)
    offices = scope.people_offices(request.user).filter(is_active=True)
    form = ServiceAccountForm(request.POST or None, offices=offices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                account = service_accounts.create(
                    request.user,
                    username=form.cleaned_data["username"],
                    full_name=form.cleaned_data["full_name"],
                    role=form.cleaned_data["role"],
                    office_id=form.cleaned_data["office"],
                )
            except service_accounts.ServiceAccountRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(request, _("The service account was made: give it a token."))
                return redirect("people:service-account", account_id=account.pk)
        status = 400
    return render(
        request,
        "people/service_accounts.html",
        {"accounts": service_accounts.service_accounts(request.user), "form": form},
        status=status,
    )


def account_page(
    request: HttpRequest,
    account,
    form: TokenForm | None = None,
    key: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "people/service_account.html",
        {
            "account": account,
            "form": form or TokenForm(owner=account),
            "tokens": api_tokens.tokens_of(account),
            "new_key": key,
        },
        status=status,
    )


def managed_account(request: HttpRequest, account_id: int):
    require_manager(request)
    try:
        return service_accounts.managed_account(request.user, account_id)
    except scope.NotManaged:
        raise Http404 from None


@require_safe
@login_required
def detail(request: HttpRequest, account_id: int) -> HttpResponse:
    return account_page(request, managed_account(request, account_id))


@require_POST
@login_required
def create_token(request: HttpRequest, account_id: int) -> HttpResponse:
    """A token of the service account, shown once: 201; bad input, 400."""
    account = managed_account(request, account_id)
    form = TokenForm(request.POST, owner=account)
    if not form.is_valid():
        return account_page(request, account, form, status=400)
    try:
        made = service_accounts.create_token(request.user, account, **form.token_fields())
    except api_tokens.TokenRefused as refused:
        form.add_error(refused.code if refused.code in form.fields else None, refused.message)
        return account_page(request, account, form, status=400)
    return account_page(request, account, key=made.key, status=201)


@require_POST
@login_required
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    require_manager(request)
    try:
        token = service_accounts.managed_token(request.user, token_id)
    except scope.NotManaged:
        raise Http404 from None
    if api_tokens.revoke(token, actor=request.user):
        messages.success(request, _("The API token was revoked: it no longer works."))
    return redirect("people:service-account", account_id=token.user_id)
