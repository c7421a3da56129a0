"""Signing through the PKCS#11 path against a SoftHSM2 token holding the signer's key."""

import pytest

from signatures.signing import SigningError, sign_pdf, signing_configured
from signatures.validation import validate_pdf
from tests.signatures.pdfs import tiny_pdf


@pytest.fixture
def token_signing(settings, softhsm_token, trusted):
    settings.SIGNING_PKCS12_FILE = ""
    settings.SIGNING_PKCS11_MODULE = softhsm_token.module
    settings.SIGNING_PKCS11_TOKEN_LABEL = softhsm_token.label
    settings.SIGNING_PKCS11_KEY_LABEL = softhsm_token.key_label
    settings.SIGNING_PKCS11_PIN = softhsm_token.pin_file.read_text()
    return softhsm_token


def test_sign_pdf_with_pkcs11_token_valid(token_signing):
    signed = sign_pdf(tiny_pdf(), reason="Ban hành", location="Hà Nội", signer_lines=[])

    report = validate_pdf(signed)
    assert signing_configured() is True
    assert report.status == "valid"
    assert report.signer.signer_name == "Nguyễn Văn A"


def test_sign_pdf_with_pkcs11_wrong_pin_refused(settings, token_signing):
    settings.SIGNING_PKCS11_PIN = "000000"

    with pytest.raises(SigningError):
        sign_pdf(tiny_pdf(), reason="", location="", signer_lines=[])


def test_sign_pdf_with_pkcs11_missing_key_refused(settings, token_signing):
    settings.SIGNING_PKCS11_KEY_LABEL = "no-such-key"

    with pytest.raises(SigningError):
        sign_pdf(tiny_pdf(), reason="", location="", signer_lines=[])


def test_sign_pdf_with_pkcs11_missing_token_refused(settings, token_signing):
    settings.SIGNING_PKCS11_TOKEN_LABEL = "no-such-token"

    with pytest.raises(SigningError):
        sign_pdf(tiny_pdf(), reason="", location="", signer_lines=[])
