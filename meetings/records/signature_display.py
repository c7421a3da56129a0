"""What the record page says of a version's signatures: one badge, or nothing (not a PDF,
not checked yet, unsigned)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.records.models import RecordVersion
from signatures.report import BROKEN, INVALID, MODIFIED, UNTRUSTED, VALID, SignatureReport


@dataclass(frozen=True)
class SignatureBadge:
    status: str  # the report's: valid, untrusted, invalid
    css: str
    text: str
    detail: str  # who signed, for the badge's title


def signature_badge(version: RecordVersion) -> SignatureBadge | None:
    if not version.signature:
        return None
    report = SignatureReport.from_json(version.signature)
    signer = report.signer
    name = signer.signer_name if signer else ""
    when = (
        date_format(timezone.localtime(signer.signed_at), "d/m/Y H:i")
        if signer and signer.signed_at
        else ""
    )
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
