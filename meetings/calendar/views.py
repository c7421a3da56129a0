"""Calendar pages: the user's subscriptions, the feeds themselves, "Add to calendar",
the answer links of the invitation e-mails.

The feed and answer views are the pages without a session: their token is the
credential. Malformed, unknown, revoked and no-longer-permitted tokens all get the same
404; a feed token is counted against its rate limit before it is even looked up,
so the limit tells nothing either.

The feed and the .ics download are gzip-compressed for clients that accept it
(`gzip_page`, on these two views only: a compressed page that mixes a secret with
what an attacker sends is open to BREACH; these hold neither a form's token nor
anything from the request).
"""

import re

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import role_required
from accounts.roles import can_view_meetings
from conferencing.jurisdiction import booking_office
from meetings.calendar import answers, feed_tokens, feeds
from meetings.calendar.content import download_calendar
from meetings.calendar.forms import FeedForm, PreferenceForm
from meetings.calendar.models import Answer, CalendarPreference, FeedKind, FeedToken
from meetings.views.common import AuthenticatedHttpRequest, concerning_meeting

CALENDAR_TYPE = "text/calendar; charset=utf-8"
# What GZipMiddleware (gzip_page) reads in Accept-Encoding to compress.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def page(
    request: AuthenticatedHttpRequest,
    status: int = 200,
    form: FeedForm | None = None,
    new_feed: FeedToken | None = None,
    token: str = "",
) -> HttpResponse:
    user = request.user
    preference = CalendarPreference.objects.filter(user=user).first()
    links = feed_links(request, token) if token else None
    return render(
        request,
        "meetings/calendar/overview.html",
        {
            "feeds": feed_tokens.active_feeds(user),
            "form": form or FeedForm(office=booking_office(user)),
            "preference_form": PreferenceForm(instance=preference),
            "new_feed": new_feed,
            "links": links,
            "served_sites": list(user.served_endpoints.order_by("path").values("code", "name")),
            "may_site_feed": feed_tokens.may_create_kind(user, FeedKind.SITE),
            "may_organisation_feed": feed_tokens.may_create_kind(user, FeedKind.ORGANISATION),
            "kinds": FeedKind,
        },
        status=status,
    )


def feed_links(request: HttpRequest, token: str) -> dict[str, str]:
    """The feed's address as https:// (http:// in development) and as webcal://."""
    url = request.build_absolute_uri(reverse("calendar:feed", kwargs={"token": token}))
    return {"http": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@require_safe
@role_required(can_view_meetings)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    return page(request)


@require_POST
@role_required(can_view_meetings)
def create_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a feed and show its address, once: only its hash is kept."""
    form = FeedForm(request.POST, office=booking_office(request.user))
    if not form.is_valid():
        return page(request, 400, form=form)
    try:
        feed, token = feed_tokens.create(request.user, form.scope())
    except feed_tokens.FeedTokenError as error:
        form.add_feed_error(error)
        return page(request, 400, form=form)
    return page(request, 201, new_feed=feed, token=token)


@require_POST
@role_required(can_view_meetings)
def rotate_feed(request: AuthenticatedHttpRequest, feed_id: int) -> HttpResponse:
    """A new address for the same feed; the old one stops at once."""
    feed = get_object_or_404(FeedToken.objects.active(), pk=feed_id, user=request.user)
    new, token = feed_tokens.rotate(feed, request.user)
    return page(request, 201, new_feed=new, token=token)


@require_POST
@role_required(can_view_meetings)
def revoke_feed(request: AuthenticatedHttpRequest, feed_id: int) -> HttpResponse:
    feed = get_object_or_404(FeedToken.objects.active(), pk=feed_id, user=request.user)
    feed_tokens.revoke(feed, request.user)
    messages.success(request, _("The calendar link was revoked: it no longer works."))
    return redirect("calendar:overview")


@require_POST
@role_required(can_view_meetings)
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    preference = CalendarPreference.objects.filter(user=request.user).first()
    form = PreferenceForm(request.POST, instance=preference)
    if not form.is_valid():
        return page(request, 400)
    form.instance.user = request.user
    with transaction.atomic():
        form.save()
        feeds.owner_changed(request.user)
    messages.success(request, _("Your calendar preferences were saved."))
    return redirect("calendar:overview")


def too_many(retry_after: int) -> HttpResponse:
    response = HttpResponse(
        _("Too many requests for this calendar feed."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    return response


def not_found() -> HttpResponse:
    """The same short answer for every bad token: no page, no cookie, no hint."""
    return HttpResponseNotFound(b"Not Found\n", content_type="text/plain; charset=utf-8")


@gzip_page
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription feed: 404 for any bad token, 429 over the rate limit, 304 when
    the client's copy is current (nothing built), else the calendar, compressed for a
    client that accepts gzip."""
    if not feed_tokens.is_well_formed(token):
        return not_found()
    now = timezone.now()
    retry_after = feeds.rate_limited(feed_tokens.hash_token(token), now)
    if retry_after is not None:
        return too_many(retry_after)
    found = feed_tokens.lookup(token)
    if found is None:
        return not_found()
    feed_tokens.touch(found, now)
    validator = feeds.validator(found, now)
    etag = quote_etag(validator.etag)
    last_modified = int(validator.last_modified.timestamp())
    response: HttpResponse | None = get_conditional_response(
        request, etag=etag, last_modified=last_modified
    )
    if response is None:
        body = feeds.feed_body(found, now, validator.last_modified)
        response = HttpResponse(body, content_type=CALENDAR_TYPE)
        response["Content-Disposition"] = 'inline; filename="giaoban.ics"'
        response["ETag"] = etag
    else:
        response["ETag"] = etag_as_sent(request, etag)
    # gzip_page sets Vary only on what it could compress; a 304 varies the same way.
    patch_vary_headers(response, ("Accept-Encoding",))
    response["Last-Modified"] = http_date(last_modified)
    # Private to the token's owner; clients revalidate with the ETag every time.
    response["Cache-Control"] = "private, no-cache"
    return response


@gzip_page
@require_safe
@role_required(can_view_meetings)
def meeting_ics(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """Add to calendar: the meeting's .ics (busy only, for a confidential meeting the
    user is not invited to); 404 for a meeting that does not concern the user."""
    meeting = concerning_meeting(request.user, meeting_id)
    response = HttpResponse(download_calendar(meeting, request.user), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"giaoban-{meeting.pk}.ics"
    )
    return response


def etag_as_sent(request: HttpRequest, etag: str) -> str:
    """The ETag a 304 repeats: the one the full answer would carry (RFC 9110 15.4.5).
    gzip_page makes it weak when it compresses (RFC 9110 8.8.1), which it does for
    every feed a client accepts gzip for: a feed is never under gzip_page's 200-byte
    floor (its VTIMEZONE alone is more) and always compresses."""
    if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return "W/" + etag
    return etag


# What each answer's button says (the answers themselves read "Accepted"…).
ANSWER_BUTTONS = {
    Answer.ACCEPTED: gettext_lazy("Accept"),
    Answer.DECLINED: gettext_lazy("Decline"),
    Answer.TENTATIVE: gettext_lazy("Maybe"),
}


def answer_page(
    request: HttpRequest,
    page: answers.AnswerPage,
    recorded: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "meetings/calendar/answer.html",
        {
            "page": page,
            "meeting": page.meeting,
            "choices": [(str(value), ANSWER_BUTTONS[value]) for value in answers.ANSWERS],
            "offered": page.ticket.answer,
            "recorded": Answer(recorded).label if recorded else "",
            "current": page.invitation.get_answer_display() if page.invitation.answer else "",
            "error": error,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's answer link: GET shows the session and the three answers, the
    link's own pre-selected, and records nothing (mail scanners open links); POST records the
    answer chosen. Any bad token, or an invitation no longer held, is the 404 of an
    unknown address."""
    page = answers.answer_page(token)
    if page is None:
        raise Http404
    if request.method != "POST":
        return answer_page(request, page)
    chosen = request.POST.get("answer", "")
    if not answers.is_answer(chosen):
        error = _("Choose one of the answers: accept, decline or maybe.")
        return answer_page(request, page, error=error, status=400)
    if answers.record_answer(page.ticket.user_id, page.ticket.uid, chosen) is None:
        raise Http404
    return answer_page(request, page, recorded=chosen)
