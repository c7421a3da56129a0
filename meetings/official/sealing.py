"""Signing a generated document (PAdES) before it is stored: the one place that signs.

Signing itself is the `signatures` app's (signatures.signing.sign_pdf, with the signer
the environment configures). Without a configured signer the document is stored as
rendered, unsigned; with one, a document that cannot be signed is not stored at all
(SigningError), never silently kept unsigned.
"""

from meetings.official.content import OfficialText
from signatures.signing import SigningError, sign_pdf, signing_configured

__all__ = ["SigningError", "seal", "signer_lines"]


def signer_lines(text: OfficialText) -> list[str]:
    """What the visible signature block says above the certificate's name: the signer's
    position (its lines, upper-case as printed) and name."""
    position = [line.upper() for line in text.signer_position.splitlines() if line.strip()]
    return [*position, *([text.signer_name] if text.signer_name else [])]


def seal(pdf: bytes, text: OfficialText) -> bytes:
    """The document as it is stored: signed when a signer is configured, else as rendered.

    Raises SigningError (translated) when the configured signer cannot sign.
    """
    if not signing_configured():
        return pdf
    reason = f"{text.kind_title.capitalize()} số {text.number_symbol}"
    return sign_pdf(pdf, reason=reason, location=text.place, signer_lines=signer_lines(text))
