"""The audit trail page: the entries the user may read (meetings.trail.scope), paginated."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.decorators import role_required
from meetings.trail.scope import may_read_trail, readable_entries

PAGE_SIZE = 50


@require_safe
@role_required(may_read_trail)
def entries(request: HttpRequest) -> HttpResponse:
    page = Paginator(readable_entries(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/trail/entries.html", {"page": page})
