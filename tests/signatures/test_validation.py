"""Validating PDFs: valid, untrusted, broken, modified after signing, hostile input."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from signatures.report import SignatureReport
from signatures.signing import sign_pdf
from signatures.validation import _time_limit, validate_pdf
from tests.signatures.fixtures import use_pkcs12
from tests.signatures.pdfs import (
    append_page_change,
    flip_byte_in_signed_range,
    signed_range,
    tiny_pdf,
)


def sign(pdf: bytes) -> bytes:
    return sign_pdf(pdf, reason="", location="", signer_lines=[])


@pytest.fixture
def signed(signing) -> bytes:
    return sign(tiny_pdf(pages=2))


def test_validate_pdf_signed_by_trusted_ca_valid(signed):
    report = validate_pdf(signed)

    assert report.status == "valid"
    assert report.reason == ""
    [signature] = report.signatures
    assert signature.signer_name == "Nguyễn Văn A"
    assert signature.intact is True
    assert signature.valid is True
    assert signature.trusted is True
    assert signature.covers_whole_document is True
    assert abs(signature.signed_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_validate_pdf_one_flipped_byte_invalid(signed):
    report = validate_pdf(flip_byte_in_signed_range(signed))

    assert (report.status, report.reason) == ("invalid", "broken")
    assert report.signatures[0].intact is False


def test_validate_pdf_changed_after_signing_invalid(signed):
    report = validate_pdf(append_page_change(signed))

    assert (report.status, report.reason) == ("invalid", "modified")
    [signature] = report.signatures
    assert signature.intact is True
    assert signature.covers_whole_document is False


def test_validate_pdf_untrusted_ca(settings, stranger, trusted):
    use_pkcs12(settings, stranger)

    report = validate_pdf(sign(tiny_pdf()))

    assert (report.status, report.reason) == ("untrusted", "")
    assert report.signatures[0].signer_name == "Trần Thị B"
    assert report.signatures[0].intact is True
    assert report.signatures[0].trusted is False


def test_validate_pdf_without_trust_roots_untrusted(settings, signed):
    settings.SIGNATURE_TRUST_ROOTS = ""

    assert validate_pdf(signed).status == "untrusted"


def test_validate_pdf_unsigned():
    assert validate_pdf(tiny_pdf()) == SignatureReport(status="unsigned")


@pytest.mark.parametrize(
    "garbage",
    [b"", b"%PDF-1.7\n", b"\x00" * 1000, b"%PDF-1.7\n" + bytes(range(256)) * 50],
)
def test_validate_pdf_garbage_unsigned(garbage):
    assert validate_pdf(garbage) == SignatureReport(status="unsigned", reason="unreadable")


def test_validate_pdf_truncated_signed_invalid(signed):
    start, length, _second, _rest = signed_range(signed)
    truncated = signed[: start + length + 200]  # cut in the middle of the signature

    report = validate_pdf(truncated)

    assert report.status == "invalid"


def test_validate_pdf_over_the_size_limit_not_read(settings, signed):
    settings.SIGNATURE_VALIDATION_MAX_BYTES = len(signed) - 1

    assert validate_pdf(signed) == SignatureReport(status="invalid", reason="too_large")


def test_validate_pdf_report_round_trips_through_json(signed):
    report = validate_pdf(signed)

    assert SignatureReport.from_json(report.to_json()) == report
    assert report.to_json()["signatures"][0]["signed_at"].endswith("+00:00")


def spin(seconds: float) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        pass


def busy_until_stopped(limit: float) -> tuple[str, float]:
    """Spin for up to 5 s under the time limit; what stopped it and after how long.

    The loop lives in its own function, as the checks it stands for do: CPython 3.13.0
    leaves a loop's backward jump outside the exception table of a `try` in the same
    function, so a signal handled at that jump would pass the `except` by."""
    started = time.perf_counter()
    try:
        with _time_limit(limit):
            spin(5)
    except Exception as error:
        return type(error).__name__, time.perf_counter() - started
    return "nothing", time.perf_counter() - started


def test_a_check_past_its_time_limit_is_stopped():
    stopped_by, after = busy_until_stopped(0.05)

    assert stopped_by == "_Timeout"
    assert after < 3


def test_validate_pdf_many_pages_unsigned_quickly():
    started = time.perf_counter()

    assert validate_pdf(tiny_pdf(pages=500)).status == "unsigned"
    assert time.perf_counter() - started < 20
