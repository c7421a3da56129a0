"""manage.py reindex_archive, and the migration's filling of the index for sessions
booked before it."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from meetings.records.documents import PDF
from meetings.records.models import RecordKind
from meetings.search.models import EntryKind, SearchEntry
from meetings.search.query import search
from tests.factories import RecordFactory, stored_version
from tests.meetings.records.helpers import local_storage
from tests.meetings.search.test_extraction import minutes_pdf


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    local_storage(settings, tmp_path)


def run(*args: str) -> str:
    """The command's report, in English (the assertions are on the msgids)."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("reindex_archive", *args, stdout=out)
    return out.getvalue()


def test_reindex_writes_every_sessions_entry_again(alice, book):
    book(alice, "Giao ban Đà Nẵng")
    SearchEntry.objects.all().delete()

    output = run()

    assert "1 sessions indexed." in output
    assert [entry.title for entry in search(alice, "da nang")] == ["Giao ban Đà Nẵng"]


def test_reindex_now_extracts_every_stored_document(alice, book):
    meeting = book(alice, "Giao ban")
    record = RecordFactory(meeting=meeting, kind=RecordKind.MINUTES, title="Biên bản")
    stored_version(minutes_pdf(), record=record, status="published", content_type=PDF)

    output = run("--documents", "--now")

    assert "1 documents indexed, 0 skipped." in output
    assert [entry.title for entry in search(alice, "cao toc")] == ["Biên bản"]


def test_reindex_enqueues_the_extraction_and_forgets_purged_documents(alice, book, document):
    meeting = book(alice, "Giao ban")
    document(meeting, "Đã hủy", "cũ", status="purged")
    record = RecordFactory(meeting=meeting, kind=RecordKind.AGENDA, title="Chương trình")
    stored_version(minutes_pdf(), record=record, content_type=PDF)

    output = run("--documents")

    assert "1 entries of removed documents deleted." in output
    assert "1 documents queued for text extraction." in output
    assert DBTaskResult.objects.filter(queue_name="search").count() == 1
    assert not SearchEntry.objects.filter(kind=EntryKind.DOCUMENT).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_the_sessions_booked_before_it(alice, book):
    meeting = book(alice, "Giao ban Đà Nẵng")
    executor = MigrationExecutor(connection)
    executor.migrate([("meetings", "0016_series_off_days")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()

    executor.migrate([("meetings", "0017_search_entries")])

    (entry,) = SearchEntry.objects.all()
    assert (entry.kind, entry.meeting_id, entry.folded_title) == (
        "meeting",
        meeting.pk,
        "giao ban da nang",
    )
