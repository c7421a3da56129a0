"""One folding for every search: case, diacritics and đ ignored."""

import pytest

from accounts.folding import fold


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Nguyễn Thị Lan", "nguyen thi lan"),
        ("Đặng Văn Hùng", "dang van hung"),
        ("ĐỖ QUANG", "do quang"),
        ("Vàng Seo Páo", "vang seo pao"),
        ("  Phạm\tThu   Hà ", "pham thu ha"),
    ],
)
def test_a_name_folds_to_what_people_type(written, typed):
    assert fold(written) == typed


def test_d_with_stroke_is_a_d_where_plain_accent_removal_keeps_it():
    import unicodedata

    stripped = "".join(
        c for c in unicodedata.normalize("NFD", "Đặng") if not unicodedata.combining(c)
    )
    assert stripped == "Đang"  # why fold maps đ itself
    assert fold("Đặng") == "dang"


def test_nothing_folds_to_nothing():
    assert fold("") == ""
    assert fold(None) == ""
