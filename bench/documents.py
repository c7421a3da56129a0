"""Benchmark of issue 18: conclusion notices rendered and signed, a signed PDF validated,
and the archive searched.

    .venv/bin/python bench/documents.py [--count 100]

1. Render + sign: `--count` conclusion notices (Decree 30 layout, ten numbered items,
   five of them tasks, "Nơi nhận" of six offices) rendered by meetings.official.render
   and signed PAdES by signatures.signing with a PKCS#12 signer of its own test CA,
   configured through the environment as a deployer would; the p50 of each notice's
   render + sign (after one warm-up, which loads the key and the fonts).
2. Validate: the median of 5 validations of a signed 20-page PDF (bench/signing.py's).
3. Search: bench/archive_search.py (10,000 sessions, 5,000 documents, SQLite FTS5 and
   PostgreSQL tsvector + GIN, with EXPLAIN) in a child process; its figures are taken
   from its last line.

Human lines, then one JSON object as the last line: render_sign_p50_ms, validate_ms,
search_pg_p50_ms, search_sqlite_p50_ms, documents. Goals: render + sign p50 <= 500 ms,
validation <= 200 ms, search p50 <= 100 ms.
"""

import sys

# Run as a script, this directory would come first on sys.path, where bench/calendar.py
# shadows the standard library's calendar: put the project root there instead.
ROOT = __file__.rsplit("/", 2)[0]
sys.path[:] = [ROOT] + [entry for entry in sys.path if entry != __file__.rpartition("/")[0]]

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

from bench.signing import configure_signer, percentile, twenty_pages

OFFICES = [
    "Văn phòng Chính phủ",
    "Bộ Kế hoạch và Đầu tư",
    "Bộ Tài chính",
    "UBND thành phố Đà Nẵng",
    "UBND tỉnh Thừa Thiên Huế",
    "UBND tỉnh Quảng Ninh",
]


def notice(number: int):
    from meetings.official.content import OfficialText

    items = [
        f"Giao {OFFICES[n % len(OFFICES)]} chủ trì, phối hợp với các cơ quan liên quan hoàn "
        f"thành nhiệm vụ số {n} về giải ngân vốn đầu tư công và phòng, chống thiên tai; "
        "báo cáo kết quả trước ngày 31 tháng 12 năm 2026."
        for n in range(1, 11)
    ]
    return OfficialText(
        office_name="Văn phòng Chính phủ",
        parent_name="",
        number_symbol=f"{number:02d}/TB-VPCP",
        place="Hà Nội",
        issued_on=date(2026, 12, 7),
        kind_title="THÔNG BÁO",
        title="Kết luận của Thủ tướng Chính phủ tại Hội nghị trực tuyến với các địa phương",
        paragraphs=[
            "Ngày 04 tháng 12 năm 2026, Thủ tướng Chính phủ chủ trì Hội nghị trực tuyến "
            "với 34 tỉnh, thành phố trực thuộc Trung ương về tình hình kinh tế - xã hội."
        ],
        items=items,
        recipients=[*OFFICES, "Lưu: VT, TKBT"],
        signer_position="KT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM",
        signer_name="Nguyễn Thị Lan",
    )


def render_and_sign(count: int) -> tuple[float, float, float]:
    from meetings.official.render import render_pdf
    from signatures.signing import sign_pdf
    from signatures.validation import validate_pdf

    def one(number: int) -> bytes:
        pdf = render_pdf(notice(number))
        return sign_pdf(pdf, reason="Ban hành", location="Hà Nội", signer_lines=["PHÓ CHỦ NHIỆM"])

    assert validate_pdf(one(1)).status == "valid"  # warm-up: key, fonts, templates
    timings, cpu = [], []
    for number in range(2, count + 2):
        started, started_cpu = time.perf_counter(), time.process_time()
        one(number)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(
        f"render + sign a conclusion notice, {count} times: p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms (CPU p50 {statistics.median(cpu):.1f} ms; goal <= 500 ms)"
    )
    return p50, p95, statistics.median(cpu)


def validate() -> float:
    from signatures.signing import sign_pdf
    from signatures.validation import validate_pdf

    signed = sign_pdf(twenty_pages(), reason="Ban hành", location="Hà Nội", signer_lines=[])
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        report = validate_pdf(signed)
        timings.append((time.perf_counter() - started) * 1000)
    assert report.status == "valid", report
    median = statistics.median(timings)
    print(f"validate a signed 20-page PDF: {median:.1f} ms ({report.status}; goal <= 200 ms)")
    return median


def search(environment: dict[str, str]) -> dict:
    """bench/archive_search.py's figures (its own child processes and databases), in the
    environment this benchmark was started with (not the signer's temporary VAR_DIR)."""
    done = subprocess.run(
        [sys.executable, str(Path(ROOT) / "bench" / "archive_search.py")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=environment,
    )
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(f"  search: {line}")
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    count = parser.parse_args().count
    warnings.simplefilter("ignore")
    started_with = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="giaoban-bench-documents-") as temporary:
        configure_signer(Path(temporary))
        import django

        django.setup()
        render_sign_p50, render_sign_p95, render_sign_cpu = render_and_sign(count)
        validate_ms = validate()
    searched = search(started_with)
    print(
        json.dumps(
            {
                "render_sign_p50_ms": round(render_sign_p50, 1),
                "render_sign_p95_ms": round(render_sign_p95, 1),
                "render_sign_cpu_p50_ms": round(render_sign_cpu, 1),
                "notices": count,
                "validate_ms": round(validate_ms, 1),
                "search_pg_p50_ms": searched.get("search_pg_p50_ms"),
                "search_sqlite_p50_ms": searched.get("search_sqlite_p50_ms"),
                "documents": searched.get("documents"),
            }
        )
    )


if __name__ == "__main__":
    main()
