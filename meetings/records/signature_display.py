"""What the record pages say of a version's signatures: the record page's badge (or
nothing: not a PDF, not checked yet, unsigned), and the signature page's verdict and
one line per signature, in the badge's words."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.records.models import RecordVersion
from signatures import trust
from signatures.report import (
    BROKEN,
    INVALID,
    MODIFIED,
    TIMEOUT,
    TOO_LARGE,
    TOO_MANY,
    UNREADABLE,
    UNTRUSTED,
    VALID,
    SignatureInfo,
    SignatureReport,
)

STALE = "stale"


@dataclass(frozen=True)
class SignatureBadge:
    status: str  # the report's: valid, untrusted, invalid; or "stale"
    css: str
    text: str
    detail: str  # who signed, for the badge's title


@dataclass(frozen=True)
class SignatureLine:
    """One signature as the signature page shows it."""

    signer_name: str
    organisation: str
    signed_at: datetime | None
    integrity: str  # intact, or what is wrong with the signed bytes
    holds: bool  # intact and verifies
    trust: str
    trusted: bool
    coverage: str
    covers_whole_document: bool


def _when(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y H:i") if moment else ""


def verdict(report: SignatureReport) -> SignatureBadge | None:
    """The report's verdict in the badge's words; None for an unsigned PDF."""
    signer = report.signer
    name = signer.signer_name if signer else ""
    when = _when(signer.signed_at) if signer else ""
    detail = ", ".join(part for part in (name, signer.organisation if signer else "", when) if part)
    if report.status == VALID:
        text = _("Valid signature — %(name)s, %(when)s") % {"name": name, "when": when}
        return SignatureBadge(VALID, "badge-ok", text, detail)
    if report.status == UNTRUSTED:
        return SignatureBadge(UNTRUSTED, "badge-queued", _("Signature not trusted"), detail)
    if report.status == INVALID:
        if report.reason == MODIFIED:
            text = _("Document modified after signing")
        elif report.reason == BROKEN:
            text = _("Invalid signature")
        else:
            text = _("The signature could not be checked")
        return SignatureBadge(INVALID, "badge-failed", text, detail)
    return None


def signature_badge(version: RecordVersion) -> SignatureBadge | None:
    """The stored report's verdict, unless the trust roots changed since it was made: then
    the old verdict is not claimed as current (the signature page checks again)."""
    if not version.signature:
        return None
    report = SignatureReport.from_json(version.signature)
    badge = verdict(report)
    if badge is not None and report.is_stale(trust.fingerprint()):
        text = _("Checked against earlier trust roots — check again")
        return SignatureBadge(STALE, "badge-queued", text, badge.detail)
    return badge


def reason_text(report: SignatureReport) -> str:
    """Why the signatures could not be checked, or "" when they were."""
    if report.reason == TOO_LARGE:
        return _("The file is larger than %(limit)s: its signatures are not checked.") % {
            "limit": filesizeformat(settings.SIGNATURE_VALIDATION_MAX_BYTES)
        }
    if report.reason == TIMEOUT:
        return _("Checking the signatures took too long.")
    if report.reason == TOO_MANY:
        return _("The file holds too many signatures to check.")
    if report.reason == UNREADABLE:
        return _("The file could not be read as a PDF.")
    return ""


def signature_lines(report: SignatureReport) -> list[SignatureLine]:
    return [_line(signature) for signature in report.signatures]


def _line(signature: SignatureInfo) -> SignatureLine:
    if not signature.intact:
        integrity = _("Modified after signing: the signed bytes changed")
    elif not signature.valid:
        integrity = _("The signature does not verify with the signer's key")
    else:
        integrity = _("Intact")
    return SignatureLine(
        signer_name=signature.signer_name,
        organisation=signature.organisation,
        signed_at=signature.signed_at,
        integrity=integrity,
        holds=signature.valid,
        trust=_("The chain reaches a configured trust root")
        if signature.trusted
        else _("The chain does not reach a configured trust root"),
        trusted=signature.trusted,
        coverage=_("Covers the whole document")
        if signature.covers_whole_document
        else _("Does not cover the whole document: it was changed after this signature"),
        covers_whole_document=signature.covers_whole_document,
    )
