"""Searching the archive: folding, every word, ranking, and who finds what.

Arranged per test: alice (secretariat of the central office) books sessions at T01;
dung is a second secretary of the same office, carol an attendee, mallory nobody.
Run on SQLite (FTS5) and, with DATABASE_URL, on PostgreSQL (tsvector + GIN).
"""

import pytest

from accounts.roles import Role
from meetings import meeting_details
from meetings.models import Classification
from meetings.records import integrity
from meetings.records.models import RecordKind
from meetings.search import indexing
from meetings.search.models import EntryKind, SearchEntry
from meetings.search.query import search
from tests.factories import UserFactory


@pytest.fixture
def dung(db):
    return UserFactory(username="dung", roles=[Role.SECRETARIAT])


def titles(user, query: str, kind: str = "") -> list[str]:
    return [entry.title for entry in search(user, query, kind)]


def test_da_nang_finds_da_nang_with_its_marks(alice, book):
    book(alice, "Giao ban Đà Nẵng")
    book(alice, "Giao ban Hà Nội")

    assert titles(alice, "da nang") == ["Giao ban Đà Nẵng"]


def test_case_marks_and_d_are_ignored_in_the_query_too(alice, book):
    book(alice, "Giao ban Đà Nẵng")

    assert titles(alice, "ĐÀ NẴNG") == ["Giao ban Đà Nẵng"]


def test_every_word_must_match(alice, book):
    book(alice, "Giao ban Đà Nẵng")

    assert titles(alice, "da nang ha noi") == []


def test_the_last_word_matches_as_a_prefix(alice, book):
    book(alice, "Giao ban Đà Nẵng")

    assert (titles(alice, "giao ban da na"), titles(alice, "gia ban")) == (["Giao ban Đà Nẵng"], [])


def test_a_session_is_found_by_its_agenda_and_its_sites(alice, book, sites):
    sites["T01"].name = "Điểm cầu Quảng Ninh"
    sites["T01"].save()
    book(alice, "Giao ban tháng", agenda="Tiến độ giải ngân vốn đầu tư công")

    assert (titles(alice, "giai ngan"), titles(alice, "quang ninh")) == (
        ["Giao ban tháng"],
        ["Giao ban tháng"],
    )


def test_a_word_in_a_documents_text_is_found(alice, book, document):
    meeting = book(alice, "Giao ban tuần")
    document(meeting, "Tài liệu họp", "Báo cáo tình hình phòng chống thiên tai năm 2026")

    assert titles(alice, "thien tai") == ["Tài liệu họp"]


def test_a_title_match_ranks_above_text_matches_however_many(alice, book, document):
    in_text = book(alice, "Giao ban tuần", agenda="Ứng phó bão lũ")
    document(in_text, "Báo cáo", "bão lũ " * 200)
    book(alice, "Phòng chống bão lũ miền Trung")

    assert titles(alice, "bao lu") == ["Phòng chống bão lũ miền Trung", "Báo cáo", "Giao ban tuần"]


def test_of_text_matches_the_one_with_more_of_the_words_ranks_first(alice, book, document):
    meeting = book(alice, "Giao ban")
    document(
        meeting, "Ít", "Một đoạn dài về nhiều chuyện khác nhau, có nhắc ngập lụt một lần. " * 5
    )
    document(meeting, "Nhiều", "ngập lụt ngập lụt ngập lụt ngập lụt")

    assert titles(alice, "ngap lut") == ["Nhiều", "Ít"]


def test_search_is_typed_by_kind(alice, book, document):
    meeting = book(alice, "Hội nghị trực tuyến")
    document(meeting, "Hội nghị: tài liệu", "")

    assert titles(alice, "hoi nghi", EntryKind.DOCUMENT) == ["Hội nghị: tài liệu"]


def test_a_query_without_words_finds_nothing(alice, book):
    book(alice, "Giao ban")

    assert (titles(alice, ""), titles(alice, " ,;- ")) == ([], [])


def test_query_syntax_is_only_words(alice, book):
    book(alice, "Giao ban OR NOT")

    assert titles(alice, 'ban" OR * NOT (') == ["Giao ban OR NOT"]


def test_a_confidential_sessions_papers_are_not_found_by_an_outsider(
    alice, dung, carol, book, document
):
    secret = book(alice, "Họp mật", classification=Classification.CONFIDENTIAL, attendees=(carol,))
    document(secret, "Phương án nhân sự", "Danh sách đề xuất bổ nhiệm")

    assert (search(dung, "bo nhiem").count(), search(dung, "hop mat").count()) == (0, 0)
    assert titles(carol, "bo nhiem") == ["Phương án nhân sự"]


def test_someone_a_session_does_not_concern_finds_nothing_of_it(alice, mallory, carol, book):
    book(alice, "Giao ban Đà Nẵng")

    assert (titles(mallory, "da nang"), titles(carol, "da nang")) == ([], [])


def test_draft_minutes_are_found_by_the_owning_office_only(alice, carol, book, document):
    meeting = book(alice, "Giao ban", attendees=(carol,))
    document(meeting, "Biên bản", "kết luận dự thảo", kind=RecordKind.MINUTES, status="draft")

    assert (titles(alice, "du thao"), titles(carol, "du thao")) == (["Biên bản"], [])


def test_published_minutes_are_found_once_by_attendees_and_the_draft_after_them_by_the_office(
    alice, carol, book, document
):
    meeting = book(alice, "Giao ban", attendees=(carol,))
    published = document(
        meeting, "Biên bản", "kết luận chính thức", kind=RecordKind.MINUTES, status="published"
    )
    document(
        meeting,
        "Biên bản",
        "kết luận chính thức sửa đổi",
        kind=RecordKind.MINUTES,
        status="draft",
        record=published.record,
    )

    found = {user.username: search(user, "ket luan").count() for user in (alice, carol)}
    assert found == {"alice": 2, "carol": 1}


def test_a_purged_version_leaves_the_index(
    alice, book, document, django_capture_on_commit_callbacks
):
    meeting = book(alice, "Giao ban")
    version = document(meeting, "Tài liệu cũ", "hết hạn lưu trữ")

    with django_capture_on_commit_callbacks(execute=True):
        assert integrity.purge(version)

    assert SearchEntry.objects.filter(kind=EntryKind.DOCUMENT).count() == 0


def test_index_entry_is_found_by_readers_of_the_session_only(alice, dung, carol, book):
    meeting = book(alice, "Giao ban", attendees=(carol,))
    secret = book(alice, "Họp mật", classification=Classification.CONFIDENTIAL)
    indexing.index_entry(EntryKind.CONCLUSION, "7", meeting.pk, "Thông báo kết luận", "Đường sắt")
    indexing.index_entry(EntryKind.TASK, "8", secret.pk, "Nhiệm vụ", "Đường sắt tốc độ cao")

    assert (titles(carol, "duong sat"), titles(dung, "duong sat")) == (
        ["Thông báo kết luận"],
        ["Thông báo kết luận"],
    )
    assert sorted(titles(alice, "duong sat")) == ["Nhiệm vụ", "Thông báo kết luận"]


def test_an_entry_indexed_again_is_found_by_its_new_words_only(alice, book):
    meeting = book(alice, "Giao ban")
    indexing.index_entry(EntryKind.CONCLUSION, "7", meeting.pk, "Kết luận", "cao tốc")

    indexing.index_entry(EntryKind.CONCLUSION, "7", meeting.pk, "Kết luận", "sân bay")

    assert (titles(alice, "cao toc"), titles(alice, "san bay")) == ([], ["Kết luận"])


def test_a_removed_entry_is_not_found(alice, book):
    meeting = book(alice, "Giao ban")
    indexing.index_entry(EntryKind.TASK, "9", meeting.pk, "Nhiệm vụ", "cảng biển")

    indexing.remove_entry(EntryKind.TASK, "9")

    assert titles(alice, "cang bien") == []


def test_an_unknown_kind_is_refused(alice, book):
    meeting = book(alice, "Giao ban")

    with pytest.raises(ValueError):
        indexing.index_entry("minutes", "1", meeting.pk, "x", "y")


def test_a_title_change_is_indexed_after_the_commit(
    alice, book, django_capture_on_commit_callbacks
):
    meeting = book(alice, "Giao ban")

    with django_capture_on_commit_callbacks(execute=True):
        meeting_details.change_details(meeting, {"title": "Giao ban Cần Thơ"}, alice)

    assert titles(alice, "can tho") == ["Giao ban Cần Thơ"]


def test_search_query_count_does_not_grow_with_the_results(alice, book, django_assert_num_queries):
    for n in range(3):
        book(alice, f"Giao ban số {n}")

    # The ranked keys, then the rows of the page with their sessions and records.
    with django_assert_num_queries(2):
        assert len(list(search(alice, "giao ban"))) == 3
