"""Validating the signatures of any PDF: intact, cryptographically valid, trusted (the
chain reaches a root of SIGNATURE_TRUST_ROOTS; nothing is fetched from the network),
who signed and when, and whether the document was changed after signing.

A document changed after its last signature is "invalid", never "valid": pyHanko's
coverage and difference analysis tell a later signature (allowed) from any other change
(page content, annotations, form values). Hostile input never raises: a file over
SIGNATURE_VALIDATION_MAX_BYTES is not read, a check running past
SIGNATURE_VALIDATION_SECONDS is stopped (when run in the main thread, as the task worker
does), and an unreadable file is "unsigned", or "invalid" if it looks signed.
"""

import contextlib
import io
import logging
import re
import signal
import threading
from collections.abc import Iterator
from datetime import UTC

from django.conf import settings
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from signatures import trust
from signatures.names import subject_names
from signatures.report import (
    BROKEN,
    INVALID,
    MODIFIED,
    TIMEOUT,
    TOO_LARGE,
    TOO_MANY,
    UNREADABLE,
    UNSIGNED,
    UNTRUSTED,
    VALID,
    SignatureInfo,
    SignatureReport,
)

__all__ = ["SignatureInfo", "SignatureReport", "validate_pdf"]

logger = logging.getLogger(__name__)

MAX_SIGNATURES = 20
# What may follow a signature without changing what was signed: nothing, validation data
# (DSS, document timestamps), or (FORM_FILLING) a later signature — accepted only when a
# later signature covers the document as it is now.
UNCHANGED = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
# A file holding one of these (a signature field, a signature dictionary, its byte range)
# is meant to be signed: unreadable, it is "invalid", not "unsigned".
SIGNATURE_MARK = re.compile(rb"/ByteRange|/FT\s*/Sig\b|/Type\s*/Sig\b")


class _Timeout(Exception):
    pass


def validate_pdf(pdf: bytes) -> SignatureReport:
    """The signatures of `pdf` and what they are worth. Never raises on bad input."""
    if len(pdf) > settings.SIGNATURE_VALIDATION_MAX_BYTES:
        return SignatureReport(status=INVALID, reason=TOO_LARGE)
    try:
        with _time_limit(settings.SIGNATURE_VALIDATION_SECONDS):
            return _validate(pdf)
    except _Timeout:
        return SignatureReport(status=INVALID, reason=TIMEOUT)
    except Exception as error:
        logger.info("signature validation could not read a PDF: %r", error)
        looks_signed = SIGNATURE_MARK.search(pdf) is not None
        return SignatureReport(status=INVALID if looks_signed else UNSIGNED, reason=UNREADABLE)


def _validate(pdf: bytes) -> SignatureReport:
    reader = PdfFileReader(io.BytesIO(pdf), strict=True)
    embedded = reader.embedded_signatures
    if not embedded:
        return SignatureReport(status=UNSIGNED)
    if len(embedded) > MAX_SIGNATURES:
        return SignatureReport(status=INVALID, reason=TOO_MANY)
    bundle = trust.trust_bundle()
    roots = list(bundle.roots)
    statuses = []
    for signature in embedded:
        try:
            status = validate_pdf_signature(
                signature, ValidationContext(trust_roots=roots, allow_fetching=False)
            )
        except SignatureValidationError as error:
            logger.info("a signature could not be validated: %s", error)
            statuses.append(None)
        else:
            statuses.append(status)
    last_whole = statuses[-1] is not None and _whole(statuses[-1])
    infos = [
        _info(status, later_signed=last_whole and index < len(statuses) - 1)
        for index, status in enumerate(statuses)
    ]
    reason = _reason(infos)
    if reason:
        return SignatureReport(
            status=INVALID, reason=reason, signatures=infos, trust_roots=bundle.fingerprint
        )
    trusted = all(info.trusted for info in infos)
    return SignatureReport(
        status=VALID if trusted else UNTRUSTED, signatures=infos, trust_roots=bundle.fingerprint
    )


def _whole(status: PdfSignatureStatus) -> bool:
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        or status.modification_level in UNCHANGED
    )


def _unmodified(status: PdfSignatureStatus, *, later_signed: bool) -> bool:
    """Nothing but later signatures (covered by the last, whole one) followed it."""
    if _whole(status):
        return True
    return (
        later_signed
        and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level == ModificationLevel.FORM_FILLING
        and status.docmdp_ok is not False
    )


def _info(status: PdfSignatureStatus | None, *, later_signed: bool) -> SignatureInfo:
    if status is None:
        return SignatureInfo("", "", None, False, False, False, False)
    name, organisation = subject_names(status.signing_cert)
    timestamp = status.timestamp_validity
    signed_at = timestamp.timestamp if timestamp is not None else status.signer_reported_dt
    level = status.modification_level
    return SignatureInfo(
        signer_name=name,
        organisation=organisation,
        signed_at=signed_at.astimezone(UTC) if signed_at is not None else None,
        intact=bool(status.intact),
        valid=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        covers_whole_document=_unmodified(status, later_signed=later_signed),
        modification=level.name if level is not None else "",
    )


def _reason(infos: list[SignatureInfo]) -> str:
    """Why the document is invalid, or "" when every signature holds."""
    if any(not info.valid for info in infos):
        return BROKEN
    if any(not info.covers_whole_document for info in infos):
        return MODIFIED
    return ""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the check after `seconds` with a timer signal; only the main thread receives
    signals, so elsewhere (a web request's thread) only the size bound holds."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
