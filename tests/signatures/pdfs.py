"""Small PDFs for the signature tests, written by hand (a correct cross-reference table,
Helvetica text), and the ways a signed one is tampered with."""

import io
import re

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter


def tiny_pdf(pages: int = 1, text: str = "Giao Ban") -> bytes:
    """An A4 PDF of `pages` pages, each saying `text` (ASCII) and its number."""
    page_ids = [4 + 2 * index for index in range(pages)]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595.28 841.89] >>"
        % (b" ".join(b"%d 0 R" % page for page in page_ids), pages),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for index, page in enumerate(page_ids):
        content = b"BT /F1 14 Tf 72 760 Td (%s - %d) Tj ET" % (text.encode("ascii"), index + 1)
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (page + 1)
        )
        objects[page + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def signed_range(pdf: bytes) -> tuple[int, int, int, int]:
    """The last signature's /ByteRange: (start, length, start, length)."""
    found = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    return tuple(int(number) for number in found[-1])  # type: ignore[return-value]


def flip_byte_in_signed_range(pdf: bytes) -> bytes:
    """One byte changed inside the signed bytes, in the page text (so the file still
    parses and only the digest tells)."""
    at = pdf.index(b"Giao Ban")
    start, length, _second, _rest = signed_range(pdf)
    assert start <= at < start + length
    return pdf[:at] + b"X" + pdf[at + 1 :]


def append_page_change(pdf: bytes, text: str = "FORGED") -> bytes:
    """An incremental update after the signature that replaces page 1's text: the
    signed bytes stay intact, the document shown is not what was signed."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref, _resources = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    content = b"BT /F1 14 Tf 72 760 Td (%s) Tj ET" % text.encode("ascii")
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=content))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
