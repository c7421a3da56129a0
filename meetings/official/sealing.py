"""The seam where a generated document is signed (PAdES) before it is stored.

Signing belongs to the `signatures` app (signatures.signing.sign_pdf, with
signing_configured()); until it is part of the tree, a document is stored unsigned, as
it is when no signer is configured. `seal` is the one place that changes when it lands.
"""

from meetings.official.content import OfficialText


def signer_lines(text: OfficialText) -> list[str]:
    """What the visible signature block says: the signer's position and name."""
    return [line for line in (*text.signer_position.splitlines(), text.signer_name) if line]


def seal(pdf: bytes, text: OfficialText) -> bytes:
    """The document as it is stored: signed when a signer is configured, else as rendered."""
    return pdf
