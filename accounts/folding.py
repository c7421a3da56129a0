"""The one folding of text for search: case, diacritics and đ/Đ ignored.

"nguyen thi lan" finds "Nguyễn Thị Lan" and "dang" finds "Đặng": Unicode decomposition
strips the tone and vowel marks, but đ is a letter of its own (U+0111), not d with a
mark, so neither SQLite's nor Python's accent removal maps it; this does.
"""

import unicodedata

_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower case, no diacritics, đ as d, runs of white space as one space."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_LETTERS))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())
