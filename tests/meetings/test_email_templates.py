"""Plain-text e-mail templates do not autoescape: a title's & ' " < > reach the reader as
typed, not as HTML entities (each e-mail's own test renders such a title)."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

TEXT_TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.txt"))


def test_every_plain_text_template_turns_autoescape_off():
    assert {"invitation.txt", "readiness_notice.txt", "invitation_email.txt"} <= {
        path.name for path in TEXT_TEMPLATES
    }
    assert [
        path.name for path in TEXT_TEMPLATES if "{% autoescape off %}" not in path.read_text()
    ] == []


def test_readiness_notice_subject_renders_markup_characters_as_typed():
    text = render_to_string(
        "meetings/email/readiness_notice_subject.txt",
        {"meeting": {"title": "A & B <x> \"y\" 'z'"}, "confidential": False, "start": None},
    )

    assert "A & B <x> \"y\" 'z'" in text
