"""Signing a PDF with the office's certificate: PAdES baseline B-B, SHA-256, with a
visible signature block on the last page (signatures/stamp.py).

`sign_pdf` appends the signature as an incremental update, so the bytes before it stay
as they were; a PDF that cannot be read is refused with SigningError (translated).
"""

import io
from datetime import UTC, datetime

import pkcs11
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.rw_common import find_inherited_value_in_tree
from pyhanko.sign import general, signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter

from signatures import signer as configured_signer
from signatures import stamp
from signatures.names import subject_names
from signatures.signer import SigningError

__all__ = ["SigningError", "sign_pdf", "signing_configured"]

FIELD_PREFIX = "GiaoBanSignature"
A4_WIDTH = 595.28


def signing_configured() -> bool:
    """A signer is configured (PKCS#12 file or PKCS#11 token): signing can be offered."""
    return configured_signer.configured()


def sign_pdf(pdf: bytes, *, reason: str, location: str, signer_lines: list[str]) -> bytes:
    """The PDF signed by the configured signer, with a visible block at the bottom right
    of its last page showing `signer_lines`, then the certificate's name, organisation
    and the signing time.

    Raises SigningError: no signer configured, the signer cannot be opened, the PDF
    cannot be read. No side effect.
    """
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        pages = writer.root["/Pages"]
        last_page = int(pages["/Count"]) - 1
        page_width = _page_width(writer, last_page)
    except (PdfError, KeyError, ValueError, TypeError, IndexError) as error:
        raise SigningError(_("This file is not a PDF that can be signed.")) from error
    with configured_signer.open_signer() as signer:
        try:
            output = _sign(writer, signer, last_page, page_width, reason, location, signer_lines)
        except (PdfError, general.SigningError, pkcs11.PKCS11Error) as error:
            # A key or certificate the token does not hold, a certificate that does not
            # match the key, a PDF that breaks while it is written: told plainly.
            raise SigningError(
                _("The document could not be signed: %(error)s") % {"error": error}
            ) from error
    return output.getvalue()


def _sign(
    writer: IncrementalPdfFileWriter,
    signer: signers.Signer,
    last_page: int,
    page_width: float,
    reason: str,
    location: str,
    signer_lines: list[str],
) -> io.BytesIO:
    # A PKCS#11 signer reads its certificate from the token here, on first use.
    name, organisation = subject_names(signer.signing_cert)
    field_name = f"{FIELD_PREFIX}{len(_existing_fields(writer)) + 1}"
    text = stamp.stamp_text(
        signer_lines, signer_name=name, organisation=organisation, signed_at=datetime.now(UTC)
    )
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=field_name,
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason or None,
            location=location or None,
            name=name or None,
        ),
        signer=signer,
        stamp_style=stamp.stamp_style(),
        new_field_spec=SigFieldSpec(field_name, on_page=last_page, box=stamp.box(page_width)),
    )
    return pdf_signer.sign_pdf(writer, appearance_text_params={"text": text})


def _page_width(writer: IncrementalPdfFileWriter, page: int) -> float:
    page_ref, _resources = writer.find_page_for_modification(page)
    media_box = find_inherited_value_in_tree(page_ref.get_object(), "/MediaBox", "/Parent")
    if media_box is None:
        return A4_WIDTH
    return float(media_box[2]) - float(media_box[0])


def _existing_fields(writer: IncrementalPdfFileWriter) -> list:
    form = writer.root.get("/AcroForm")
    return list(form.get_object().get("/Fields", [])) if form is not None else []
