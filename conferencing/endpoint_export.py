"""Export conference sites as the CSV that `endpoint_import` reads, so the two round-trip."""

import io
from typing import TextIO

from django.db.models import QuerySet

from conferencing.endpoint_rows import COLUMNS
from conferencing.models import Endpoint, Level
from conferencing.spreadsheet import csv_writer

# In COLUMNS order; the parent's code comes through a join, not a query per site.
EXPORT_FIELDS = (
    "code",
    "name",
    "level",
    "parent__code",
    "organisation",
    "address",
    "dial_string",
    "contact_phone",
    "contact_email",
    "is_active",
)
CHUNK_SIZE = 2000


def export_endpoints(queryset: QuerySet[Endpoint] | None = None) -> str:
    """The sites (all by default) as CSV text in tree order, without a byte-order mark."""
    buffer = io.StringIO()
    write_endpoints_csv(buffer, queryset)
    return buffer.getvalue()


def write_endpoints_csv(stream: TextIO, queryset: QuerySet[Endpoint] | None = None) -> int:
    """Write the header and one line per site to `stream`; returns the number of sites.

    Reads the sites in one query, streamed in chunks, so memory stays flat.
    """
    sites = Endpoint.objects.all() if queryset is None else queryset
    writer = csv_writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for values in sites.order_by("path").values_list(*EXPORT_FIELDS).iterator(CHUNK_SIZE):
        writer.writerow(_cells(*values))
        count += 1
    return count


def _cells(
    code: str,
    name: str,
    level: int,
    parent_code: str | None,
    organisation: str,
    address: str,
    dial_string: str,
    contact_phone: str,
    contact_email: str,
    is_active: bool,
) -> list[str]:
    return [
        code,
        name,
        Level(level).slug,
        parent_code or "",
        organisation,
        address,
        dial_string,
        contact_phone,
        contact_email,
        "true" if is_active else "false",
    ]
