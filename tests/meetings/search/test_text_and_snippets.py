"""The folded words the index keeps and the snippets cut from the text as written."""

from meetings.search.snippets import snippet
from meetings.search.text import MAX_WORDS, index_words, plain, query_words


def test_index_words_fold_case_marks_and_d_and_keep_letters_and_digits_only():
    assert index_words("Đà Nẵng, 12/TB-VP: ĐẠI_HỘI") == "da nang 12 tb vp dai hoi"


def test_query_words_are_folded_and_at_most_eight():
    assert query_words("  Hà   NỘI " + " x" * 20) == ["ha", "noi", *["x"] * (MAX_WORDS - 2)]


def test_plain_text_is_nfc_with_single_spaces_and_bounded():
    decomposed = "Ho\u0323p\n\n  giao\tban"

    assert plain(decomposed, limit=9) == "Họp giao "


def test_a_snippet_marks_the_words_where_they_stand_with_their_marks():
    found = snippet("Kết luận: thành phố Đà Nẵng khẩn trương", ["da", "nang"])

    assert [text for text, match in found.segments() if match] == ["Đà", "Nẵng"]


def test_a_snippet_starts_near_the_first_match_of_a_long_text():
    text = "mở đầu " * 100 + "đường sắt tốc độ cao " + "kết thúc " * 100

    found = snippet(text, ["duong", "sat"])

    assert found.text.startswith("… ")
    assert found.text.endswith(" …")
    assert [text for text, match in found.segments() if match] == ["đường", "sắt"]
    assert len(found.text) <= 250


def test_a_word_is_marked_at_the_start_of_a_word_only():
    found = snippet("bản đồ và ban ngành", ["ban"])

    assert [text for text, match in found.segments() if match] == ["bản", "ban"]
    assert snippet("cabana", ["ban"]).matches == ()


def test_a_snippet_without_a_match_is_the_start_of_the_text():
    assert snippet("Chương trình họp", ["xyz"]).segments() == [("Chương trình họp", False)]
