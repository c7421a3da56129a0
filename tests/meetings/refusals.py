"""Comparing a refusal with the answer for a meeting that does not exist.

A refused meeting must answer exactly as a missing one: same status, same body.
Two parts of a page differ by nature and are set aside: the CSRF token (masked
anew on every response) and the page's own address (the language form sends the
user back to it), which holds the id that was asked for.
"""

import re

from django.http import HttpResponse

MISSING = 999_999
CSRF_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def page_body(response: HttpResponse, meeting_id: int) -> bytes:
    body = CSRF_VALUE.sub(b'name="csrfmiddlewaretoken" value=""', response.content)
    return body.replace(f"/meetings/{meeting_id}/".encode(), b"/meetings/ID/")


def answer(response: HttpResponse, meeting_id: int) -> tuple[int, bytes]:
    """What the user learns from a response: its status and its body."""
    return response.status_code, page_body(response, meeting_id)
