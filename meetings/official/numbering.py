"""Numbers of official documents: per office, kind and year, sequential, never reused.

Decree 30/2020/NĐ-CP numbers an office's documents from 01 each year; a number once
given stays given (DocumentNumber), even when its document is never sent.
"""

from django.db import IntegrityError, transaction

from conferencing.models import Office
from meetings.official.models import DocumentCounter, DocumentKind, DocumentNumber

# The abbreviation of each kind in a document's symbol (Decree 30, appendix III).
KIND_CODES = {DocumentKind.INVITATION: "GM", DocumentKind.CONCLUSION: "TB"}


def symbol_for(office: Office, kind: str) -> str:
    """ "TB-VPCP": the kind's abbreviation, then the office's short code."""
    return f"{KIND_CODES[DocumentKind(kind)]}-{office.code.upper()}"


def number_symbol(number: int, office: Office, kind: str) -> str:
    """ "05/TB-VPCP": a number below 10 with its leading zero, as the decree writes it."""
    return f"{number:02d}/{symbol_for(office, kind)}"


def allocate_number(office: Office, kind: str, year: int) -> int:
    """The next number of this office's documents of this kind in this year.

    Side effects: the counter row moves on and a DocumentNumber row is written, in one
    transaction (a savepoint inside the caller's). The counter row is locked with
    SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer at a time and its
    transactions begin IMMEDIATE (config/env.py), taking the write lock at BEGIN. Two
    allocations at once therefore wait for each other and never share a number. If the
    caller's transaction rolls back, nothing was given.
    """
    kind = DocumentKind(kind).value
    with transaction.atomic():
        counter = _locked_counter(office, kind, year)
        counter.last += 1
        counter.save(update_fields=["last"])
        DocumentNumber.objects.create(office=office, kind=kind, year=year, number=counter.last)
        return counter.last


def _locked_counter(office: Office, kind: str, year: int) -> DocumentCounter:
    counters = DocumentCounter.objects.select_for_update()
    counter = counters.filter(office=office, kind=kind, year=year).first()
    if counter is not None:
        return counter
    try:
        # The first number of the year: two first allocations at once both try to
        # create the row; the loser finds the winner's (the unique constraint decides).
        with transaction.atomic():
            DocumentCounter.objects.create(office=office, kind=kind, year=year, last=0)
    except IntegrityError:
        pass
    return counters.get(office=office, kind=kind, year=year)
