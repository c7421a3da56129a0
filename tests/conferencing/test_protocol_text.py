"""Which text the readiness sockets accept (conferencing.protocol_text)."""

import json

import pytest

from conferencing.protocol_text import is_clean

ACCEPTED = {
    "vietnamese": "Phòng họp tầng 3 — micrô số 4",
    "tab-and-line-breaks": "dòng 1\tcột 2\r\ndòng 2\n",
    "emoji-as-a-surrogate-pair": json.loads('"\\ud83d\\udcf9"'),
    "last-before-del": "~",
    "first-after-c1": "\u00a0",
}
REFUSED = {
    "nul": "a\u0000b",
    "bell": "\u0007",
    "vertical-tab": "\u000b",
    "escape": "\u001b[2J",
    "unit-separator": "\u001f",
    "del": "\u007f",
    "c1-control": "\u009f",
    "lone-high-surrogate": json.loads('"\\ud800"'),
    "lone-low-surrogate": json.loads('"x\\udfff"'),
}


@pytest.mark.parametrize("case", ACCEPTED)
def test_text_is_clean_with_printable_text_tabs_and_line_breaks(case):
    assert is_clean({"content": {"note": ACCEPTED[case]}}) is True


@pytest.mark.parametrize("case", REFUSED)
def test_text_is_not_clean_with_a_control_character_or_a_lone_surrogate(case):
    assert is_clean({"content": {"note": REFUSED[case]}}) is False


@pytest.mark.parametrize(
    "where",
    ["type", "key", "list", "deep"],
)
def test_text_is_checked_everywhere_in_the_envelope(where):
    bad = "\u0000"
    envelope = {
        "type": {"type": bad, "content": {}},
        "key": {"type": "ping", "content": {bad: True}},
        "list": {"type": "ping", "content": {"a": ["ok", bad]}},
        "deep": {"type": "ping", "content": json.loads("[" * 1500 + '"\\u0000"' + "]" * 1500)},
    }[where]

    assert is_clean(envelope) is False


def test_text_is_clean_without_strings():
    assert is_clean({"leg": 812, "people": None, "ok": [True, 1.5]}) is True
