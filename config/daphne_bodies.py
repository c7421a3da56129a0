"""Daphne passes request bodies to Django as they are, but the Twisted request under it
first parses a multipart or urlencoded POST into `request.args` with the email package,
which Daphne never reads: several copies of the body in memory before Django sees a
byte (a 20 MB upload cost the process 220 MB, even when refused with 401). This turns
that parsing off; Django's own parser streams uploads to temporary files."""

import functools

from daphne.http_protocol import WebRequest


def leave_form_bodies_to_django() -> None:
    """Make Daphne's requests skip Twisted's form parsing (idempotent)."""
    if getattr(WebRequest.__init__, "leaves_form_bodies_to_django", False):
        return
    init = WebRequest.__init__

    @functools.wraps(init)
    def __init__(self: WebRequest, *args: object, **kwargs: object) -> None:
        init(self, *args, **kwargs)
        self._parsePOSTFormSubmission = False

    __init__.leaves_form_bodies_to_django = True  # type: ignore[attr-defined]
    WebRequest.__init__ = __init__  # type: ignore[method-assign]
