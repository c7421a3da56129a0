"""The archive's search page: one box, the results ranked and paginated (meetings.search.query
decides what the person may find)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.decorators import role_required
from accounts.roles import can_view_meetings
from meetings.search.forms import SearchForm
from meetings.search.hits import hits
from meetings.search.query import search
from meetings.search.text import query_words

PAGE_SIZE = 20


@require_safe
@role_required(can_view_meetings)
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query, kind = "", ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    page = Paginator(search(request.user, query, kind), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/search/results.html",
        {
            "form": form,
            "query": query,
            "searched": bool(query_words(query)),
            "page": page,
            "hits": hits(list(page.object_list), query),
        },
    )
