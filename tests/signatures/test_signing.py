"""Signing a PDF with the configured PKCS#12 signer: PAdES, SHA-256, a visible block."""

import io
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signatures.signing import SigningError, sign_pdf, signing_configured
from signatures.validation import validate_pdf
from tests.signatures.pdfs import tiny_pdf


def sign(pdf: bytes) -> bytes:
    return sign_pdf(pdf, reason="Ban hành", location="Hà Nội", signer_lines=["KT. CHÁNH VĂN PHÒNG"])


def test_sign_pdf_pades_sha256_on_the_last_page(signing):
    signed = sign(tiny_pdf(pages=3))

    reader = PdfFileReader(io.BytesIO(signed))
    [signature] = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.md_algorithm == "sha256"
    assert signature.sig_object["/Reason"] == "Ban hành"
    assert signature.sig_object["/Location"] == "Hà Nội"
    page = signature.sig_field["/P"]
    assert page == reader.root["/Pages"]["/Kids"][2].get_object()


def test_sign_pdf_keeps_the_original_bytes_first(signing):
    original = tiny_pdf()

    signed = sign(original)

    assert signed.startswith(original)


def test_sign_pdf_visible_block_in_vietnamese(signing, tmp_path):
    (tmp_path / "signed.pdf").write_bytes(sign(tiny_pdf()))

    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "signed.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    assert "KT. CHÁNH VĂN PHÒNG" in text
    assert "Ký bởi: Nguyễn Văn A" in text
    assert "Cơ quan: Văn phòng Chính phủ" in text
    assert "Thời gian: " in text


def test_sign_pdf_then_validate_valid(signing):
    report = validate_pdf(sign(tiny_pdf()))

    assert report.status == "valid"
    assert report.signer.signer_name == "Nguyễn Văn A"
    assert report.signer.organisation == "Văn phòng Chính phủ"


def test_sign_pdf_twice_keeps_both_valid(signing):
    report = validate_pdf(sign(sign(tiny_pdf())))

    assert report.status == "valid"
    assert [s.covers_whole_document for s in report.signatures] == [True, True]


def test_signing_configured_without_signer(settings):
    settings.SIGNING_PKCS12_FILE = ""
    settings.SIGNING_PKCS11_MODULE = ""

    assert signing_configured() is False
    with pytest.raises(SigningError):
        sign(tiny_pdf())


def test_sign_pdf_wrong_password_refused(settings, signing):
    settings.SIGNING_PKCS12_PASSWORD = "sai"

    with pytest.raises(SigningError) as refused:
        sign(tiny_pdf())

    assert refused.value.message == "Tệp chứng thư số dùng để ký hoặc mật khẩu của tệp không đúng."


@pytest.mark.parametrize("garbage", [b"", b"not a pdf", tiny_pdf()[:100]])
def test_sign_pdf_unreadable_refused(signing, garbage):
    with pytest.raises(SigningError):
        sign(garbage)
