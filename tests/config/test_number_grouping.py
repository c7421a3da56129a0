"""One date-time format (dd/mm/yyyy HH:mm, 24 h) and grouped counts (3.356 in Vietnamese,
3,356 in English), config/formats/; identifiers stay whole wherever a program reads them."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# An id, a primary key or a foreign key's column rendered as it is: with
# USE_THOUSAND_SEPARATOR it becomes "1.234", and a form value, a data- attribute read by a
# script or an element id breaks once the table passes a thousand rows.
BARE_IDENTIFIER = re.compile(
    r"\{\{\s*[\w.]+(?:\.pk|\.id|(?<!auto)_id)\s*(?:\|(?!unlocalize)[^}]*)?\}\}"
)


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load l10n %}" + source).render(Context(context))


@pytest.mark.parametrize(("language", "expected"), [("vi", "3.356"), ("en", "3,356")])
def test_counts_are_grouped_in_the_readers_language(language: str, expected: str) -> None:
    assert render("{{ sites }}", language, sites=3356) == expected


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_read_day_first_on_a_24_hour_clock(language: str) -> None:
    moment = datetime(2026, 12, 7, 14, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

    shown = render(
        "{{ moment }}|{{ moment|date:'SHORT_DATETIME_FORMAT' }}|{{ moment.date }}",
        language,
        moment=moment,
    )

    assert shown == "07/12/2026 14:05|07/12/2026 14:05|07/12/2026"


def test_unlocalize_keeps_an_identifier_whole() -> None:
    assert render("{{ pk|unlocalize }}", "vi", pk=12345) == "12345"


def test_no_template_renders_an_identifier_grouped() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.*"))
        for match in BARE_IDENTIFIER.finditer(path.read_text(encoding="utf-8"))
    ]

    assert found == []


def test_the_check_sees_a_bare_identifier() -> None:
    assert BARE_IDENTIFIER.findall('<tr id="m-{{ meeting.pk }}" data-x="{{ leg.id|default:0 }}">')
    assert not BARE_IDENTIFIER.findall('<tr id="m-{{ meeting.pk|unlocalize }}">')
