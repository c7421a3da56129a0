"""Writing the archive's search index: the one module that writes SearchEntry rows.

Other apps index what they own through `index_entry` / `remove_entry` (conclusion
notices and tasks: kind "conclusion" / "task", key their id, the meeting they belong
to). Who finds an entry follows its meeting (meetings.search.query): index only what
every reader of the session's details may read, and remove an entry that stops being so.
Sessions are indexed here on every booking change (meetings.search.receivers) and
document versions once their text is extracted (meetings.search.extraction).
"""

from collections.abc import Iterable

from django.db.models import Prefetch

from conferencing.models import Leg, LegRole
from meetings.models import Meeting
from meetings.search.models import EntryKind, SearchEntry
from meetings.search.text import MAX_TITLE_CHARS, index_words, plain

UPDATED_FIELDS = [
    "meeting",
    "version",
    "title",
    "body",
    "folded_title",
    "folded_body",
    "updated_at",
]
BATCH = 500


def entry(
    kind: str, key: str, meeting_id: int, title: str, body: str, version_id: int | None = None
) -> SearchEntry:
    """An unsaved entry with its text made plain and folded (meetings.search.text)."""
    title = plain(title, MAX_TITLE_CHARS)
    body = plain(body)
    return SearchEntry(
        kind=kind,
        key=str(key),
        meeting_id=meeting_id,
        version_id=version_id,
        title=title,
        body=body,
        folded_title=index_words(title),
        folded_body=index_words(body),
    )


def save_entries(entries: Iterable[SearchEntry]) -> int:
    """Insert or replace (by kind and key) these entries; how many were written."""
    entries = list(entries)
    for start in range(0, len(entries), BATCH):
        SearchEntry.objects.bulk_create(
            entries[start : start + BATCH],
            update_conflicts=True,
            unique_fields=["kind", "key"],
            update_fields=UPDATED_FIELDS,
        )
    return len(entries)


def index_entry(kind: str, key: str, meeting_id: int, title: str, body: str) -> None:
    """Index (or index again) one thing of a session: `kind` one of EntryKind, `key`
    unique within the kind. Found by whoever may read the session's details."""
    if kind not in EntryKind.values:
        raise ValueError(f"unknown search entry kind {kind!r}")
    save_entries([entry(kind, key, meeting_id, title, body)])


def remove_entry(kind: str, key: str) -> None:
    SearchEntry.objects.filter(kind=kind, key=str(key)).delete()


# --- sessions ----------------------------------------------------------------------------------


def meeting_text(
    agenda: str, organising_unit: str, office_name: str, site_names: Iterable[str]
) -> str:
    """What a session is found by besides its title: its agenda, who organises it and
    the names of its sites (host first). The migration that fills the index calls this
    too, with the historical models' values."""
    return "\n".join([agenda, organising_unit, office_name, *site_names])


def index_meetings(meeting_ids: Iterable[int]) -> int:
    """Index these sessions again from the database (two queries per batch); sessions
    that no longer exist are skipped (their entries went with them). How many."""
    ids = sorted(set(meeting_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        written += save_entries(
            meeting_entry(meeting) for meeting in _meetings(ids[start : start + BATCH])
        )
    return written


def _meetings(ids: list[int]) -> Iterable[Meeting]:
    legs = Leg.objects.select_related("endpoint").order_by("endpoint__path")
    return (
        Meeting.objects.filter(pk__in=ids)
        .select_related("owner_office")
        .prefetch_related(Prefetch("conference__legs", queryset=legs))
        .only(
            "pk",
            "title",
            "agenda",
            "organising_unit",
            "owner_office__name",
            "conference",
        )
    )


def meeting_entry(meeting: Meeting) -> SearchEntry:
    legs = sorted(meeting.conference.legs.all(), key=lambda leg: leg.role != LegRole.HOST)
    office = meeting.owner_office.name if meeting.owner_office else ""
    body = meeting_text(
        meeting.agenda, meeting.organising_unit, office, (leg.endpoint.name for leg in legs)
    )
    return entry(EntryKind.MEETING, str(meeting.pk), meeting.pk, meeting.title, body)


# --- documents ---------------------------------------------------------------------------------


def index_document(version_id: int, meeting_id: int, title: str, text: str) -> None:
    """The extracted text of one record version (its record's title as the entry's)."""
    save_entries([entry(EntryKind.DOCUMENT, str(version_id), meeting_id, title, text, version_id)])


def remove_document(version_id: int) -> None:
    remove_entry(EntryKind.DOCUMENT, str(version_id))
