"""Benchmark: PAdES signing and validation (signatures/).

    .venv/bin/python bench/signing.py [--count 100]

Its own test CA (tests/signatures/ca.py: a root, an intermediate, a signer as a PKCS#12
file) in a temporary directory, configured through the environment as a deployer would
(SIGNING_PKCS12_FILE, SIGNING_PKCS12_PASSWORD_FILE, SIGNATURE_TRUST_ROOTS); no database.

Measured (wall clock, and CPU time of this process, which a busy shared machine inflates
less): `sign_p50_ms` / `sign_p95_ms` / `sign_cpu_p50_ms`, signing `--count` small
one-page PDFs with the visible block (after one warm-up signature, which loads the key
and the font); `validate_ms` / `validate_cpu_ms`, the median of 5 validations of a
signed 20-page PDF (WeasyPrint's, with Vietnamese text; the hand-written one of the
tests when WeasyPrint is missing), and its `pages` and `bytes`. With SoftHSM2 and
OpenSC installed, `sign_pkcs11_p50_ms` too (a token in the temporary directory).

Prints human lines, then one JSON object as the last line. Goals (issue 18): signing
(with rendering, bench/documents.py) p50 <= 500 ms; validation <= 200 ms.
"""

import sys

# Run as a script, this directory would come first on sys.path, where bench/calendar.py
# shadows the standard library's calendar: put the project root there instead.
sys.path[:] = [__file__.rsplit("/", 2)[0]] + [
    entry for entry in sys.path if entry != __file__.rpartition("/")[0]
]

import argparse
import json
import os
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from tests.signatures.ca import issue_signer, make_authority
from tests.signatures.pdfs import tiny_pdf
from tests.signatures.softhsm import make_token, softhsm_available


def twenty_pages() -> bytes:
    try:
        import weasyprint
    except ImportError:
        return tiny_pdf(pages=20)
    paragraph = (
        "<p>Văn phòng Chính phủ thông báo kết luận của Thủ tướng Chính phủ tại phiên họp "
        "trực tuyến với các địa phương về tình hình kinh tế - xã hội, giao nhiệm vụ cho "
        "các bộ, ngành và Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.</p>"
    )
    pages = "".join(
        f"<section style='page-break-after: always'><h2>Mục {n}</h2>{paragraph * 12}</section>"
        for n in range(1, 21)
    )
    html = f"<html><body style='font-family: \"Times New Roman\"'>{pages}</body></html>"
    return weasyprint.HTML(string=html).write_pdf()


def configure_signer(directory: Path):
    """A test CA and a PKCS#12 signer in `directory`, configured through the environment
    as a deployer would (before Django is set up); the signer's holder."""
    authority = make_authority(directory / "ca")
    holder = issue_signer(authority, directory / "signer")
    (directory / "password").write_text(holder.password)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="true",
        VAR_DIR=str(directory / "var"),
        LOG_LEVEL="ERROR",
        SIGNING_PKCS12_FILE=str(holder.pkcs12_file),
        SIGNING_PKCS12_PASSWORD_FILE=str(directory / "password"),
        SIGNATURE_TRUST_ROOTS=str(authority.roots_file),
    )
    return holder


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    count = parser.parse_args().count
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory(prefix="giaoban-bench-signing-") as temporary:
        directory = Path(temporary)
        holder = configure_signer(directory)
        import django

        django.setup()
        from django.conf import settings

        from signatures.signing import sign_pdf
        from signatures.validation import validate_pdf

        def sign(pdf: bytes) -> bytes:
            lines = ["KT. CHÁNH VĂN PHÒNG"]
            return sign_pdf(pdf, reason="Ban hành", location="Hà Nội", signer_lines=lines)

        document = tiny_pdf()
        sign(document)  # warm-up: the key decrypted, the font read
        timings, cpu = [], []
        for _ in range(count):
            started, started_cpu = time.perf_counter(), time.process_time()
            sign(document)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        sign_p50, sign_p95 = statistics.median(timings), percentile(timings, 0.95)
        sign_cpu_p50 = statistics.median(cpu)
        print(
            f"sign a one-page PDF (PKCS#12), {count} times: "
            f"p50 {sign_p50:.1f} ms, p95 {sign_p95:.1f} ms (CPU p50 {sign_cpu_p50:.1f} ms)"
        )

        long_document = sign(twenty_pages())
        validations, validation_cpu = [], []
        for _ in range(5):
            started, started_cpu = time.perf_counter(), time.process_time()
            report = validate_pdf(long_document)
            validations.append((time.perf_counter() - started) * 1000)
            validation_cpu.append((time.process_time() - started_cpu) * 1000)
        assert report.status == "valid", report
        validate_ms = statistics.median(validations)
        print(
            f"validate a signed 20-page PDF ({len(long_document) // 1024} KB): "
            f"{validate_ms:.1f} ms, CPU {statistics.median(validation_cpu):.1f} ms "
            f"({report.status}; goal <= 200 ms)"
        )

        figures = {
            "sign_p50_ms": round(sign_p50, 1),
            "sign_p95_ms": round(sign_p95, 1),
            "sign_cpu_p50_ms": round(sign_cpu_p50, 1),
            "validate_ms": round(validate_ms, 1),
            "validate_cpu_ms": round(statistics.median(validation_cpu), 1),
            "signed": count,
            "pages": 20,
            "bytes": len(long_document),
        }
        if softhsm_available():
            token = make_token(directory / "hsm", holder, "bench", "signer", "1234")
            settings.SIGNING_PKCS12_FILE = ""
            settings.SIGNING_PKCS11_MODULE = token.module
            settings.SIGNING_PKCS11_TOKEN_LABEL = token.label
            settings.SIGNING_PKCS11_KEY_LABEL = token.key_label
            settings.SIGNING_PKCS11_PIN = token.pin_file.read_text()
            sign(document)
            token_timings = []
            for _ in range(min(count, 30)):
                started = time.perf_counter()
                sign(document)
                token_timings.append((time.perf_counter() - started) * 1000)
            figures["sign_pkcs11_p50_ms"] = round(statistics.median(token_timings), 1)
            print(
                f"sign a one-page PDF (SoftHSM2 PKCS#11), {len(token_timings)} times: "
                f"p50 {figures['sign_pkcs11_p50_ms']} ms"
            )
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
