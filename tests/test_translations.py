"""Vietnamese done properly: every message of the code has a Vietnamese translation, and
no page shows English to someone reading Vietnamese.

Three nets, each catching what the others cannot:
- the catalogue (locale/vi/LC_MESSAGES/django.po) has no empty or fuzzy translation;
- every message the code marks for translation is in the catalogue: `makemessages` runs on
  a copy of the sources in a temporary directory (never on the tree: it would rewrite the
  whole file) and whatever it had to add is a message somebody forgot to translate;
- every page of the resolver, asked in Vietnamese by each kind of user in the world of the
  authority matrix, is read for English words: Django's own messages missing from its
  Vietnamese catalogue ("- Select an option -") and text nobody marked for translation.
  The English words are the catalogue's own: those of its msgids that none of its
  translations uses (so "Outlook", "API" or "token", kept in Vietnamese, are not English).
"""

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
import pytest

from tests.factories import UserFactory
from tests.test_authority_matrix import ask as ask_as
from tests.test_authority_matrix import (
    build_world,
    concrete,
    objects_for,
    session_cookies,
    web_routes,
)

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
# What makemessages reads: the apps, the project's settings and templates.
SOURCES = (
    "manage.py",
    "config",
    "accounts",
    "audit",
    "conferencing",
    "httpapi",
    "integrations",
    "meetings",
    "people",
    "signatures",
    "workdays",
)
SOURCES += ("templates", "locale")

MAKEMESSAGES_OPTIONS = ("--locale", "vi", "--no-location", "--ignore", "*/migrations/*", "-v", "0")

ENTRY = re.compile(r'^msgid "(.*)"\n((?:".*"\n)*)', re.MULTILINE)


def unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def msgids(po_text: str) -> list[str]:
    """The msgids of a .po text, the header set aside."""
    found = []
    for match in ENTRY.finditer(po_text):
        continued = "".join(line[1:-1] for line in match.group(2).splitlines())
        text = unescape(match.group(1) + continued)
        if text:
            found.append(text)
    return found


def untranslated(po_file: Path) -> list[str]:
    """The messages of a catalogue with no translation, or only a fuzzy one."""
    missing = []
    for option in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(
            ["msgattrib", option, "--no-obsolete", str(po_file)],
            capture_output=True,
            text=True,
            check=True,
        )
        missing += msgids(result.stdout)
    return missing


def test_the_vi_catalogue_translates_every_message() -> None:
    assert untranslated(CATALOGUE) == []


# Said the same in both languages: names, and the English name of English in the language menu.
SAME_IN_BOTH = {"%(column)s: %(reason)s", "English", "SHA-256", "LDAP", "OpenID Connect"}
PAIR = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


def joined(lines: str) -> str:
    return unescape("".join(line[1:-1] for line in lines.splitlines()))


def test_no_translation_is_the_english_copied() -> None:
    """msgattrib sees a translation; a reader sees English if it is the msgid again."""
    text = CATALOGUE.read_text(encoding="utf-8")
    copied = {
        joined(source)
        for source, translation in PAIR.findall(text)
        if joined(source) and joined(source) == joined(translation)
    }

    assert copied - SAME_IN_BOTH == set()


def test_the_vi_catalogue_compiles() -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE)], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr


def test_every_message_of_the_code_is_in_the_vi_catalogue(tmp_path: Path) -> None:
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *MAKEMESSAGES_OPTIONS],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.test_settings"}
        | {"VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        check=True,
    )

    assert untranslated(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po") == []


# --- the pages -----------------------------------------------------------------------------------

WORD = re.compile(r"(?<![\w@./:#=&?%+-])[A-Za-z]{3,}(?![\w@./:#=&?%+-])")
HIDDEN = re.compile(
    r"<(script|style|code|pre|kbd|samp|textarea)\b.*?</\1>|<!--.*?-->", re.DOTALL | re.IGNORECASE
)
# What a reader sees of a tag: its label-like attributes.
SHOWN_ATTRIBUTE = re.compile(
    r'\s(?:title|alt|placeholder|aria-label|aria-description|data-label)="([^"]*)"'
)
TAG = re.compile(r"<[^>]*>")
DJANGO_LOCALE = Path(django.__file__).parent / "conf" / "locale"
# Django's own messages, which reach our pages (form errors, "- Select an option -"), and
# its Vietnamese translations of them.
DJANGO_CATALOGUES = (
    DJANGO_LOCALE / "en" / "LC_MESSAGES" / "django.po",
    DJANGO_LOCALE / "vi" / "LC_MESSAGES" / "django.po",
)
# Names of the matrix world's data ("Tích hợp central", "Chương trình secret"), not interface
# text ("secret" is also an English word of the catalogue since the webhooks' signing secret).
DATA_WORDS = {"central", "hanoi", "other", "secret"}
PERSONAS = ("anon", "central", "hanoi", "root", "tech_hn", "invited")


def english_words() -> set[str]:
    """Words of the msgids (ours and Django's) that no Vietnamese translation uses."""
    english, vietnamese = set(), set()
    for catalogue in (CATALOGUE, *DJANGO_CATALOGUES):
        for entry in catalogue.read_text(encoding="utf-8").split("\n\n"):
            source, _, translation = entry.partition("\nmsgstr")
            english |= {word.lower() for word in WORD.findall(source) if "msgid" not in word}
            if catalogue.parent.parent.name == "vi":
                vietnamese |= {word.lower() for word in WORD.findall(translation)}
    return english - vietnamese - DATA_WORDS


def shown_text(page: str) -> str:
    page = HIDDEN.sub(" ", page)
    attributes = " ".join(SHOWN_ATTRIBUTE.findall(page))
    return html.unescape(TAG.sub(" ", page) + " " + attributes)


def english_in(page: str, english: set[str]) -> list[str]:
    return sorted({word for word in WORD.findall(shown_text(page)) if word.lower() in english})


def test_english_words_are_found_in_text_but_not_in_names_and_codes() -> None:
    english = {"select", "option", "site"}
    page = (
        '<p title="Site list">- Select an option -</p><code>site</code>'
        '<a href="/site/">Điểm cầu site_a site-b</a><script>var option;</script>'
    )

    assert english_in(page, english) == ["Select", "Site", "option"]


@pytest.mark.django_db
def test_no_page_shows_english_in_vietnamese() -> None:
    world = build_world()
    cookies = session_cookies(world)
    english = english_words()
    leaks: dict[str, list[str]] = {}
    pages = 0

    for route in web_routes():
        for obj in objects_for(route):
            path = concrete(route, obj, world)
            for persona in PERSONAS:
                status, content = ask_as(cookies[persona], "GET", path)
                if status != "200" or not content.lstrip().lower().startswith(b"<!doctype html"):
                    continue
                pages += 1
                words = english_in(content.decode(), english)
                if words:
                    leaks[f"{persona} {path}"] = words

    assert pages > 40
    assert leaks == {}, "\n".join(f"{page}: {words}" for page, words in leaks.items())


@pytest.mark.django_db
def test_the_api_docs_describe_the_api_in_the_readers_language(client) -> None:
    client.force_login(UserFactory())

    vietnamese = client.get("/api/v1/schema/?format=json").json()["info"]["description"]
    english = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").json()

    assert vietnamese.startswith("Đặt lịch, kiểm tra sẵn sàng")
    assert english["info"]["description"].startswith("Booking, readiness and records")
