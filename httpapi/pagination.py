"""Cursor pagination for the API's long lists (RFC 8288 style: `next` and `previous`
are whole URLs with an opaque `cursor`). Unlike limit/offset, a page does not shift
when rows are added or removed in front of it while a client walks the list, and the
database never counts or skips rows: each page is one indexed range query.

Each view names a stable `ordering` whose first field is what the cursor remembers
(DRF keeps an offset for rows that share it); the last field should be unique (the id).
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request


class StableCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("-pk",)

    def decode_cursor(self, request: Request) -> Cursor | None:
        # DRF answers a cursor it cannot read with a 404, as if the list were missing;
        # it is a query parameter that was not understood: a 400 naming it.
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: [_("Invalid cursor.")]}) from None
