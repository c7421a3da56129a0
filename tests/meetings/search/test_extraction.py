"""The text of stored documents, extracted by the task in a child process and found.

PDFs are made here with WeasyPrint and DOCX files with python-docx, stored in a local
storage of the test's own, and read back by the real task (no mocks): a word inside a
minutes PDF is found; a hostile file is logged and indexed by its title alone.
"""

import io
import logging
import zipfile

import docx
import pytest
from django_tasks_db.models import DBTaskResult
from weasyprint import HTML

from meetings.records import archive
from meetings.records import storage as record_storage
from meetings.records.documents import DOCX, PDF
from meetings.records.models import RecordKind
from meetings.search import extraction
from meetings.search.extraction import extract_document_text_task
from meetings.search.models import EntryKind, SearchEntry
from meetings.search.query import search
from tests.factories import RecordFactory, stored_version
from tests.meetings.records.helpers import local_storage

MINUTES_HTML = """<html><body style="font-family: 'Liberation Serif'">
<h1>BIÊN BẢN HỌP GIAO BAN</h1>
<p>Kết luận: Ủy ban nhân dân thành phố Đà Nẵng khẩn trương hoàn thành
hồ sơ dự án đường cao tốc trước ngày 30 tháng 6.</p>
</body></html>"""


def minutes_pdf() -> bytes:
    return HTML(string=MINUTES_HTML).write_pdf()


def minutes_docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph("BIÊN BẢN")
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    local_storage(settings, tmp_path)


def stored(meeting, content: bytes, content_type: str, title: str = "Biên bản"):
    record = RecordFactory(meeting=meeting, kind=RecordKind.MINUTES, title=title)
    return stored_version(
        content,
        record=record,
        status="published",
        content_type=content_type,
        uploaded_by=meeting.organiser,
    )


def test_a_word_inside_a_minutes_pdf_is_found(alice, book):
    version = stored(book(alice, "Giao ban tháng 6"), minutes_pdf(), PDF)

    outcome = extract_document_text_task.call(version.pk)

    found = list(search(alice, "cao toc da nang"))
    assert (outcome, [entry.title for entry in found]) == ("indexed", ["Biên bản"])
    assert "Đà Nẵng" in found[0].body


def test_the_pdfs_text_comes_back_with_every_diacritic(tmp_path):
    path = tmp_path / "minutes.pdf"
    path.write_bytes(minutes_pdf())

    text = extraction.extract_text(path, PDF)

    assert "Ủy ban nhân dân thành phố Đà Nẵng" in " ".join(text.split())


def test_a_word_in_a_docx_is_found(alice, book):
    meeting = book(alice, "Giao ban tuần")
    version = stored(meeting, minutes_docx("Giao Sở Giao thông vận tải Đà Nẵng"), DOCX, "Phụ lục")

    assert extract_document_text_task.call(version.pk) == "indexed"

    assert [entry.title for entry in search(alice, "giao thong van tai")] == ["Phụ lục"]


HOSTILE = {
    "garbage after the header": b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "a loop of objects": (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    ),
    "a truncated stream": (
        b"%PDF-1.4\n1 0 obj << /Length 999999 /Filter /FlateDecode >> stream\nx\x9c\x01"
    ),
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_pdf_is_logged_and_indexed_by_its_title(alice, book, caplog, content):
    version = stored(book(alice, "Giao ban"), content, PDF, "Tài liệu hỏng")

    with caplog.at_level(logging.WARNING, logger="meetings.search.extraction"):
        outcome = extract_document_text_task.call(version.pk)

    assert outcome == "no_text"
    assert [entry.title for entry in search(alice, "tai lieu hong")] == ["Tài liệu hỏng"]
    assert "no text from a application/pdf" in caplog.text


def test_a_docx_bomb_is_refused_before_it_is_parsed(alice, book, caplog):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive_file:
        archive_file.writestr("word/document.xml", b" " * (65 * 1024 * 1024))
    version = stored(book(alice, "Giao ban"), bomb.getvalue(), DOCX, "Nặng")

    assert extract_document_text_task.call(version.pk) == "no_text"
    assert "inflates" in caplog.text


def test_extraction_that_outlasts_its_time_is_given_up(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(extraction, "EXTRACT_TIMEOUT", 0.01)
    path = tmp_path / "minutes.pdf"
    path.write_bytes(minutes_pdf())

    assert extraction.extract_text(path, PDF) is None
    assert "gave up" in caplog.text


def test_a_stored_document_version_enqueues_its_extraction_after_the_commit(
    alice, book, django_capture_on_commit_callbacks
):
    meeting = book(alice, "Giao ban")

    with django_capture_on_commit_callbacks(execute=True):
        version = archive.add_document_version(
            meeting=meeting,
            kind=RecordKind.AGENDA,
            title="Chương trình",
            key="records/x/1",
            original_name="chuong-trinh.pdf",
            size=10,
            content_type=PDF,
            sha256="0" * 64,
            uploaded_by=alice,
        )

    (queued,) = DBTaskResult.objects.filter(queue_name="search")
    assert (queued.task_path, queued.args_kwargs["args"]) == (
        extract_document_text_task.module_path,
        [version.pk],
    )


def test_a_version_missing_from_storage_is_not_indexed(alice, book):
    meeting = book(alice, "Giao ban")
    version = stored(meeting, minutes_pdf(), PDF)
    record_storage.delete(version.key)

    assert extract_document_text_task.call(version.pk) == "missing"
    assert not SearchEntry.objects.filter(kind=EntryKind.DOCUMENT).exists()
