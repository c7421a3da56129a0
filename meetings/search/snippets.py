"""The piece of an entry's text that shows why it was found, its matches marked.

The text is searched as written (accents and all) for the folded words of the query:
each character is folded on its own (accounts.folding.fold) to one character, so a
position in the folded copy is the same position in the text, and "da nang" marks
"Đà Nẵng" where it stands.
"""

import re
from dataclasses import dataclass

from accounts.folding import fold

WIDTH = 240
BEFORE = 60


@dataclass(frozen=True)
class Snippet:
    text: str
    # (start, end) of each match within `text`
    matches: tuple[tuple[int, int], ...]

    def segments(self) -> list[tuple[str, bool]]:
        """The text in pieces, each with whether it is a match (for a template to mark)."""
        pieces: list[tuple[str, bool]] = []
        at = 0
        for start, end in self.matches:
            if start > at:
                pieces.append((self.text[at:start], False))
            pieces.append((self.text[start:end], True))
            at = end
        if at < len(self.text):
            pieces.append((self.text[at:], False))
        return pieces


def _folded_in_place(text: str) -> str:
    table = {}
    for char in set(text):
        folded = fold(char)
        table[ord(char)] = folded[0] if folded else " "
    return text.translate(table)


def _pattern(words: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})")


def snippet(text: str, words: list[str], width: int = WIDTH) -> Snippet:
    """About `width` characters of `text` around the first match of any of the (folded)
    `words`, with every match in it; the start of the text when none is in it."""
    if not text:
        return Snippet("", ())
    folded = _folded_in_place(text)
    pattern = _pattern(words) if words else None
    first = pattern.search(folded) if pattern else None
    start = 0
    if first and first.start() > BEFORE:
        start = text.rfind(" ", 0, first.start() - BEFORE) + 1
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = text[start:end]
    matches = ()
    if pattern:
        matches = tuple(
            (found.start() - start, found.end() - start)
            for found in pattern.finditer(folded, start, end)
        )
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    shift = len(prefix)
    return Snippet(prefix + piece + suffix, tuple((a + shift, b + shift) for a, b in matches))
