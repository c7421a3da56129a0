"""Subscription feeds: which meetings each holds, its validator, and its cached assembly.

- personal: the sessions the owner organises or is invited to, or whose sites they serve;
  without those they receive invitations for by e-mail when the feed is made so and
  they receive them (`leaves_out_invitations`), so each session arrives once;
- site: every session of one site;
- organisation (secretariat): what the feed's office sees (`visibility.concerning`
  for its owner acting for that office, feed_tokens.act_for: every session touching
  the office's jurisdiction, confidential ones as busy time unless invited),
  optionally only those with a site in one province's subtree and/or at one level.

A feed keeps past sessions for FEED_HISTORY and cancelled ones until
CANCELLED_RETENTION after their end, so subscribed clients see them cancelled
before they go. A series is in a feed whole (master, EXDATEs, overrides) as
long as one of its occurrences is.

Caching: the validator (ETag, Last-Modified) comes from one aggregate query over
the feed's meetings and is kept in the feed's own row until the next booking
change (a generation in the database, raised in the booking's transaction by any
process) or VALIDATOR_SECONDS, so a conditional request is answered 304 from one
indexed read before anything is built. Each
event's serialised text is cached under its version (meeting id, SEQUENCE,
updated_at, visibility variant, the viewer's site), and a feed is the join of
those texts, by pages of PAGE_SIZE events, inside a wrapper icalendar wrote.
Tokens are never cached: a revoked one stops at once.

The cache (Redis in production) only saves work: when it fails, a feed is built
uncached and the rate limiter counts in this process's memory instead (README:
Calendar feeds), and the failure is logged.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import hourly_counts
from accounts.names import full_name
from conferencing.models import Leg, Level
from meetings.calendar import ical
from meetings.calendar.content import (
    Unit,
    Viewer,
    Wording,
    content_rows,
    digest,
    key_rows,
    needed,
    personal_membership,
    plan_units,
    viewer_of,
)
from meetings.calendar.invitation_recipients import invited_condition, receives_invitations
from meetings.calendar.models import FeedKind, FeedToken
from meetings.calendar.receivers import generation
from meetings.models import Meeting, MeetingStatus
from meetings.visibility import concerning_condition

logger = logging.getLogger(__name__)

FEED_HISTORY = timedelta(days=180)
CANCELLED_RETENTION = timedelta(days=30)
REFRESH_INTERVAL = timedelta(hours=1)
# An event's text is keyed by its version; names of sites, bridges and people it shows
# are not part of that version, so a renamed site shows within a day.
EVENT_CACHE_SECONDS = 24 * 3600
CONTENT_BY_ID = 500
PAGE_SIZE = 100
# How long a computed validator serves conditional requests while no booking changes:
# bounds how late a change made outside the booking actions (a technician added to a
# site) reaches a conditional request.
VALIDATOR_SECONDS = 600
# Raised whenever the text of events changes shape: old cache entries are then ignored.
FORMAT_VERSION = 2
# Events are written (and cached) with this DTSTAMP; assembly puts the feed's own stamp in
# its place (`stamped`). Only the property line matches: a value holds no bare CRLF, and a
# folded line goes on with a space.
STAMP_PLACEHOLDER = datetime(1970, 1, 1, tzinfo=UTC)
PLACEHOLDER_LINE = b"\r\nDTSTAMP:19700101T000000Z\r\n"


# -- Which meetings ------------------------------------------------------------------------------


def membership(feed: FeedToken) -> Q:
    """The meetings a feed holds, whatever their time; subqueries, so no duplicate rows."""
    if feed.kind == FeedKind.PERSONAL:
        if leaves_out_invitations(feed):
            return personal_membership(feed.user) & ~invited_condition(feed.user)
        return personal_membership(feed.user)
    if feed.kind == FeedKind.SITE:
        return Q(
            conference_id__in=Leg.objects.filter(endpoint=feed.endpoint).values("conference_id")
        )
    # The owner acts for the feed's office (feed_tokens.lookup called act_for).
    condition = concerning_condition(feed.user)
    if feed.province is not None:
        condition &= Q(
            conference_id__in=Leg.objects.filter(
                endpoint__path__startswith=feed.province.path
            ).values("conference_id")
        )
    if feed.level is not None:
        condition &= Q(
            conference_id__in=Leg.objects.filter(endpoint__level=feed.level).values("conference_id")
        )
    return condition


def leaves_out_invitations(feed: FeedToken) -> bool:
    """Whether the feed leaves out the sessions invited to by e-mail: a personal feed
    made so, while its owner receives invitations (else the option does nothing)."""
    return (
        feed.kind == FeedKind.PERSONAL
        and feed.without_invitations
        and receives_invitations(feed.user)
    )


def in_window(now: datetime) -> Q:
    """Past sessions for FEED_HISTORY, cancelled ones for CANCELLED_RETENTION after their end."""
    kept = ~Q(status=MeetingStatus.CANCELLED) & Q(conference__end__gte=now - FEED_HISTORY)
    cancelled = Q(status=MeetingStatus.CANCELLED, conference__end__gte=now - CANCELLED_RETENTION)
    return kept | cancelled


def feed_meetings(feed: FeedToken, now: datetime) -> QuerySet[Meeting]:
    """Single meetings in the window, and every occurrence (of this feed) of each series
    that has one in the window."""
    members = Meeting.objects.filter(membership(feed))
    window = in_window(now)
    series_in_window = members.filter(window, series__isnull=False).values("series_id")
    return members.filter(Q(window, series__isnull=True) | Q(series_id__in=series_in_window))


def viewer_for(feed: FeedToken) -> Viewer:
    if feed.kind == FeedKind.PERSONAL:
        return viewer_of(feed.user)
    if feed.kind == FeedKind.SITE:
        return Viewer(feed.user, Q(endpoint=feed.endpoint))
    return Viewer(feed.user)


def feed_language(feed: FeedToken) -> str:
    preference = getattr(feed.user, "calendar_preference", None)
    return (preference.language if preference else "") or settings.LANGUAGE_CODE


def feed_name(feed: FeedToken) -> str:
    if feed.kind == FeedKind.PERSONAL:
        name = full_name(feed.user)
        return _("Giao Ban: sessions of %(name)s") % {"name": name}
    if feed.kind == FeedKind.SITE:
        site = feed.endpoint.name if feed.endpoint else ""
        return _("Giao Ban: sessions at %(site)s") % {"site": site}
    office = feed.office.name if feed.office else ""
    parts = [_("Giao Ban: sessions of %(name)s") % {"name": office}]
    if feed.province is not None:
        parts.append(feed.province.name)
    if feed.level is not None:
        parts.append(str(Level(feed.level).label))
    return " · ".join(parts)


def owner_changed(user: AbstractBaseUser) -> None:
    """Make the stored validators of the user's feeds stale: what a feed holds and how it
    says it follow its owner's calendar preference (invitations, language), which no
    booking change announces."""
    FeedToken.objects.filter(user=user).update(validator_basis="")


# -- Validator -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: datetime


def validator(feed: FeedToken, now: datetime) -> Validator:
    """The feed's ETag and Last-Modified, from the feed's row while its basis holds (the
    feeds' generation in the database, the day, the VALIDATOR_SECONDS window), else
    from one aggregate query, written back to the row. Never from the cache: a booking
    made by any process changes the generation in its own transaction, so the next
    conditional request sees it."""
    day = timezone.localdate(now).isoformat()
    window = int(now.timestamp()) // VALIDATOR_SECONDS
    basis = f"{generation()}:{day}:{window}"
    if feed.validator_basis == basis and feed.validator_since is not None:
        return Validator(etag=feed.validator_etag, last_modified=feed.validator_since)
    etag = compute_etag(feed, now, day)
    # Last-Modified moves exactly when the ETag does, whichever process computes it.
    since = feed.validator_since if etag == feed.validator_etag else None
    since = since or now
    FeedToken.objects.filter(pk=feed.pk).update(
        validator_etag=etag, validator_basis=basis, validator_since=since
    )
    feed.validator_etag, feed.validator_basis, feed.validator_since = etag, basis, since
    return Validator(etag=etag, last_modified=since)


def compute_etag(feed: FeedToken, now: datetime, day: str) -> str:
    """One aggregate query over the feed's meetings that ended within FEED_HISTORY (a
    superset of what the feed shows, cheaper to select: no series or cancellation
    rule).

    The ETag changes with any change to one of them (updated_at, SEQUENCE), with
    meetings entering or leaving the feed (count, sum of ids), with the owner's
    language and whether the feed leaves out their invitations, and once a day, which
    bounds how long a cancelled session past its retention, a renamed site or bridge
    can stay behind 304s.
    """
    recent = Meeting.objects.filter(
        membership(feed), conference__end__gte=now - FEED_HISTORY
    ).order_by()
    figures = recent.aggregate(
        count=Count("pk"), latest=Max("updated_at"), ids=Sum("pk"), sequences=Sum("sequence")
    )
    latest = figures["latest"]
    parts = (
        FORMAT_VERSION,
        feed.pk,
        feed_language(feed),
        leaves_out_invitations(feed),
        settings.SITE_URL,
        figures["count"],
        latest.timestamp() if latest else 0,
        figures["ids"] or 0,
        figures["sequences"] or 0,
        day,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


# -- The cache, which may fail -------------------------------------------------------------------


def cached_many(keys: list[str]) -> dict:
    """What the cache holds of these keys; nothing when it fails (the caller builds)."""
    try:
        return cache.get_many(keys)
    except Exception as error:  # any backend's failure: the cache only saves work
        logger.warning("calendar cache unavailable, building uncached: %r", error)
        return {}


def cache_many(values: dict, timeout: int) -> None:
    try:
        cache.set_many(values, timeout)
    except Exception as error:
        logger.warning("calendar cache unavailable, not storing: %r", error)


# -- Assembly ------------------------------------------------------------------------------------


def calendar_data(name: str) -> ical.CalendarData:
    return ical.CalendarData(
        name=name, method="PUBLISH", zone=settings.TIME_ZONE, refresh=REFRESH_INTERVAL
    )


@lru_cache(maxsize=256)
def wrapper(name: str) -> bytes:
    """The feed's VCALENDAR without events (its VTIMEZONE takes a while to compute)."""
    return ical.serialize(ical.build_calendar(calendar_data(name)))


def key_prefix(language: str) -> str:
    site = hashlib.blake2b(settings.SITE_URL.encode(), digest_size=6).hexdigest()
    return f"cal:{FORMAT_VERSION}:{language}:{site}:"


def assemble(
    meetings: QuerySet[Meeting], viewer: Viewer, name: str, language: str, stamp: datetime
) -> tuple[bytes, int]:
    """The feed text joined from cached event texts, the missing ones built (and
    cached), every event's DTSTAMP `stamp`; returns the text and how many events were
    built.

    Events are cached one by one under their version; consecutive events are also
    cached by pages of PAGE_SIZE, keyed by the versions of the events they hold, so
    a warm feed reads a hundred entries instead of ten thousand. One query for the
    key rows; one more for the content of what must be built.
    """
    wording = Wording(stamp=STAMP_PLACEHOLDER)
    units = plan_units(key_rows(meetings, viewer), wording)
    prefix = key_prefix(language)
    pages = [units[start : start + PAGE_SIZE] for start in range(0, len(units), PAGE_SIZE)]
    page_keys = [prefix + "p:" + digest("|".join(unit.key for unit in page)) for page in pages]
    page_texts = cached_many(page_keys) if page_keys else {}
    missing_pages = [
        (key, page) for key, page in zip(page_keys, pages, strict=True) if key not in page_texts
    ]
    built = 0
    if missing_pages:
        events = [unit for _key, page in missing_pages for unit in page]
        texts, built = event_texts(meetings, viewer, wording, prefix, events)
        new_pages = {
            key: b"".join(texts[prefix + unit.key] for unit in page) for key, page in missing_pages
        }
        cache_many(new_pages, EVENT_CACHE_SECONDS)
        page_texts.update(new_pages)
    body = ical.assemble(wrapper(name), [page_texts[key] for key in page_keys])
    return stamped(body, stamp), built


def stamped(body: bytes, stamp: datetime) -> bytes:
    """The feed with `stamp` (whole seconds, UTC) as every event's DTSTAMP instead of the
    placeholder its cached text holds: the same length, so no line folds differently."""
    line = f"\r\nDTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n".encode()
    return body.replace(PLACEHOLDER_LINE, line)


def event_texts(
    meetings: QuerySet[Meeting], viewer: Viewer, wording: Wording, prefix: str, units: list[Unit]
) -> tuple[dict[str, bytes], int]:
    """The text of each of these events, from the cache or built; and how many were built."""
    keys = [prefix + unit.key for unit in units]
    texts = cached_many(keys)
    missing = [(key, unit) for key, unit in zip(keys, units, strict=True) if key not in texts]
    if missing:
        ids = needed([unit for _key, unit in missing])
        # A few: by id. Many (a cold cache): the feed's own query, not a huge IN list.
        source = Meeting.objects.filter(pk__in=ids) if len(ids) <= CONTENT_BY_ID else meetings
        rows = content_rows(source, viewer, with_key_columns=False)
        content = {row["pk"]: row for row in rows}
        built = {key: ical.event_text(unit.build(content), wording.zone) for key, unit in missing}
        cache_many(built, EVENT_CACHE_SECONDS)
        texts.update(built)
    return texts, len(missing)


def feed_body(feed: FeedToken, now: datetime, stamp: datetime) -> bytes:
    """The whole feed, in the owner's language, stamped `stamp`: its validator's
    Last-Modified, the moment this content first appeared, so the same ETag always
    carries the same bytes (RFC 5545: with METHOD, DTSTAMP is when the calendar object
    was created)."""
    language = feed_language(feed)
    with translation.override(language):
        body, _built = assemble(
            feed_meetings(feed, now), viewer_for(feed), feed_name(feed), language, stamp
        )
    return body


# -- Rate limit ----------------------------------------------------------------------------------


def rate_limited(token_hash: str, now: datetime) -> int | None:
    """Count a request of this token; None if allowed, else seconds until the next window
    (accounts.hourly_counts: never refused because the cache is down)."""
    counted, wait = hourly_counts.count(f"cal:rate:{token_hash}", now)
    return None if counted <= settings.CALENDAR_FEED_RATE_LIMIT else wait
