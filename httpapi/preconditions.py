"""Conditional requests (RFC 9110 §13) on a resource that has an entity tag.

- `If-Match` on a change: the change runs only if the resource's current tag is one of
  those listed (strong comparison: a weak tag `W/"…"` never matches); `*` or no header
  at all lets it run (a client that does not send the header keeps the old
  last-writer-wins behaviour). A stale tag is 412 `precondition_failed`.
- `If-None-Match` on a read: the current tag among those listed (weak comparison), or
  `*`, answers 304 Not Modified with the tag and no body.

The comparison against the *current* tag is the domain's to make, under its row lock
(meetings.revisions): these functions only read the headers.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

ANY = "*"
WEAK_PREFIX = "W/"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The resource changed since you read it (its ETag is no longer the one in "
        "If-Match); nothing was changed. Read it again and retry."
    )
    default_code = "precondition_failed"


def quoted(tag: str) -> str:
    """The header form of an opaque tag: a strong entity tag in double quotes."""
    return f'"{tag}"'


def listed_tags(header: str) -> list[str]:
    """The entity tags of an If-Match / If-None-Match header, as sent (quotes and any
    W/ prefix kept); `*` stays `*`."""
    return [part.strip() for part in header.split(",") if part.strip()]


def required_tags(request: Request) -> tuple[str, ...] | None:
    """The bare tags If-Match allows, strong ones only; None when any state will do
    (no header, or `*`). An If-Match of weak tags only allows nothing: `()`."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = listed_tags(header)
    if ANY in tags:
        return None
    return tuple(tag[1:-1] for tag in tags if len(tag) >= 2 and tag[0] == tag[-1] == '"')


def is_not_modified(request: Request, tag: str) -> bool:
    """Whether If-None-Match names `tag` (weak comparison) or is `*`."""
    header = request.headers.get("If-None-Match")
    if header is None:
        return False
    for listed in listed_tags(header):
        if listed == ANY or listed.removeprefix(WEAK_PREFIX) == quoted(tag):
            return True
    return False


def not_modified(tag: str) -> Response:
    return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": quoted(tag)})
