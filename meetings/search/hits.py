"""A search result as the page and the API show it: its kind, where it leads, and the
snippet of its text around the words searched for."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from meetings.search.models import EntryKind, SearchEntry
from meetings.search.snippets import Snippet, snippet
from meetings.search.text import query_words


@dataclass(frozen=True)
class Hit:
    entry: SearchEntry
    kind_label: str
    url: str
    snippet: Snippet
    meeting_title: str
    meeting_start: datetime


def hits(entries: list[SearchEntry], query: str) -> list[Hit]:
    """The hits of a page of search results (meetings.search.query.search, which reads
    each entry's meeting, conference and record with it: no query here)."""
    words = query_words(query)
    return [
        Hit(
            entry=entry,
            kind_label=kind_label(entry),
            url=url_of(entry),
            snippet=snippet(entry.body, words),
            meeting_title=entry.meeting.title,
            meeting_start=entry.meeting.conference.start,
        )
        for entry in entries
    ]


def kind_label(entry: SearchEntry) -> str:
    if entry.kind == EntryKind.DOCUMENT and entry.version is not None:
        return str(entry.version.record.get_kind_display())
    return str(EntryKind(entry.kind).label)


def url_of(entry: SearchEntry) -> str:
    """A document's file; everything else the session's page (its records, conclusions
    and tasks show there)."""
    if entry.kind == EntryKind.DOCUMENT and entry.version_id is not None:
        return reverse(
            "meetings:record-download",
            kwargs={"meeting_id": entry.meeting_id, "version_id": entry.version_id},
        )
    return reverse("meetings:detail", kwargs={"meeting_id": entry.meeting_id})
