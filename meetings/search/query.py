"""Searching the archive: what a person may find, ranked, in one query.

Who finds what is not decided here: a session, its conclusions and tasks are found by
whoever may read the session's details (meetings.visibility.with_details), a document
by whoever may see that version of it (meetings.records.archive.readable_versions).
Both are conditions of the one search query, so nothing a person may not see is ever
read, ranked or counted. Of the versions of one record, others find the one that is
out; the office managing the session finds every stored version it may see.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q, QuerySet

from meetings.records import archive
from meetings.search import fulltext
from meetings.search.models import EntryKind, SearchEntry
from meetings.search.text import query_words
from meetings.visibility import User, with_details


def readable_entries(user: User) -> QuerySet[SearchEntry]:
    """Every entry the user may find, whatever the words."""
    if not user.is_authenticated:
        return SearchEntry.objects.none()
    sessions = with_details(user).values("pk")
    documents = Q(
        kind=EntryKind.DOCUMENT, version__status__in=archive.STORED_STATUSES
    ) & archive.readable_beyond_details(user, "version", "meeting")
    # The session's details first, for every kind: one subquery, read once.
    return SearchEntry.objects.filter(
        Q(meeting__in=sessions) & (~Q(kind=EntryKind.DOCUMENT) | documents)
    )


# The best this many matches are paged (50 pages of 20); past them the answer says "more
# than" and asks for more words, as search engines do: counting stops there, so a word
# found everywhere is not counted to the end on every page.
MAX_COUNTED = 1000


@dataclass(frozen=True)
class Results:
    """The search's answer as a Paginator takes it: a page is ranked on the entries' keys
    alone, then only its rows are read with what they show; counted without ranking, up
    to MAX_COUNTED.

    Why two steps: ranking sorts every match, and a sort that carries whole rows (texts,
    the session, its conference) spills to disk for a word found everywhere; the keys
    and the rank alone sort in memory."""

    ranked: QuerySet[SearchEntry]
    found: QuerySet[SearchEntry]

    @cached_property
    def _counted(self) -> int:
        return self.found[: MAX_COUNTED + 1].count()

    def count(self) -> int:
        """The matches, MAX_COUNTED at most (`more` says whether there are others)."""
        return min(self._counted, MAX_COUNTED)

    @property
    def more(self) -> bool:
        """Whether more than MAX_COUNTED entries match (only the best are paged)."""
        return self._counted > MAX_COUNTED

    def __getitem__(self, item: slice) -> list[SearchEntry]:
        keys = list(self.ranked.values_list("pk", flat=True)[item])
        rows = (
            SearchEntry.objects.filter(pk__in=keys)
            .select_related("meeting__conference", "version__record")
            .defer("folded_title", "folded_body")
            .in_bulk()
        )
        return [rows[key] for key in keys if key in rows]

    def __iter__(self) -> Iterator[SearchEntry]:
        return iter(self[:])


def search(user: User, query: str, kind: str = "") -> Results:
    """The entries the user may find holding every word of `query` (folded: case, marks
    and đ ignored; the last word may be the start of one), of one kind if given; best
    first: a match in the title before one in the text alone, then by the database's
    rank. None for a query without words."""
    words = query_words(query)
    entries = readable_entries(user)
    if not words:
        return Results(SearchEntry.objects.none(), SearchEntry.objects.none())
    if kind:
        entries = entries.filter(kind=kind)
    return Results(fulltext.ranked(entries, words), fulltext.matching(entries, words))
