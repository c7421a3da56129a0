"""bin/run: `PORT=8080 make run` also points the links in e-mails and feeds (SITE_URL) at
port 8080, unless SITE_URL is given."""

import os
import subprocess
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[2] / "bin" / "run"


def site_url(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "BIND"}}
    result = subprocess.run(
        [str(RUN), "site-url"], env=clean | env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8080"}, "http://127.0.0.1:8080"),
        ({"PORT": "8080", "BIND": "0.0.0.0"}, "http://127.0.0.1:8080"),
        ({"PORT": "8080", "BIND": "10.0.0.5"}, "http://10.0.0.5:8080"),
        ({"PORT": "8080", "BIND": "::1"}, "http://[::1]:8080"),
        ({"PORT": "8080", "SITE_URL": "https://giaoban.gov.vn"}, "https://giaoban.gov.vn"),
    ],
)
def test_site_url_follows_port_unless_given(env: dict[str, str], expected: str) -> None:
    assert site_url(**env) == expected
