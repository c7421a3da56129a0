"""The text the archive index keeps, made the same way for every kind of entry.

The index stores each entry's text twice: as the person wrote it (`plain`: NFC, white
space collapsed, bounded), from which the results page cuts its snippets, and folded to
bare words (`index_words`: accounts.folding.fold, the one folding, then the runs of
letters and digits joined by single spaces). Both databases tokenise that folded form
identically (PostgreSQL's 'simple' parser and SQLite's unicode61 tokenizer see nothing
but ASCII-ish words and spaces), so a query means the same on both.
"""

import re
import unicodedata

from accounts.folding import fold

# What one entry's text may hold: enough for a long set of minutes (about 40 pages of
# prose), small enough that neither index nor snippet work grows without bound.
MAX_BODY_CHARS = 100_000
MAX_TITLE_CHARS = 300
# What a search box takes: at most this many characters, then at most MAX_WORDS words.
MAX_QUERY_CHARS = 200
MAX_WORDS = 8

WORD = re.compile(r"[^\W_]+")


def plain(text: str, limit: int = MAX_BODY_CHARS) -> str:
    """NFC (WeasyPrint and fonts expect it; pypdf may give NFD), runs of white space as
    one space, at most `limit` characters."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())[:limit]


def index_words(text: str) -> str:
    """The folded words of `text`, joined by single spaces: "Đà Nẵng, 12/TB-VP" gives
    "da nang 12 tb vp"."""
    return " ".join(WORD.findall(fold(text)))


def query_words(query: str) -> list[str]:
    """The folded words of what someone typed, at most MAX_WORDS of them."""
    return WORD.findall(fold((query or "")[:MAX_QUERY_CHARS]))[:MAX_WORDS]
