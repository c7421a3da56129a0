"""The Decree 30 layout as WeasyPrint renders it, read back from the PDF bytes."""

import time
import unicodedata
from datetime import date

import pytest

from meetings.official.content import dated_line
from meetings.official.render import document_html, render_pdf
from tests.meetings.official.helpers import MM, pdf_text, reader, sample_text, text_positions

A4_POINTS = (595.28, 841.89)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(sample_text())


def test_every_vietnamese_diacritic_survives_the_pdf(pdf):
    text = pdf_text(pdf)

    for words in (
        "Hợp",
        "Đà Nẵng",
        "Thừa Thiên Huế",
        "kết luận",
        "ngày 07 tháng 12 năm 2026",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/TB-VPCP",
        "VĂN PHÒNG CHÍNH PHỦ",
        "Nơi nhận:",
        "CHÁNH VĂN PHÒNG",
        "Nguyễn Văn Đức",
    ):
        assert words in text


def test_text_given_decomposed_comes_out_composed():
    decomposed = unicodedata.normalize("NFD", "Cuộc Hợp ở Đà Nẵng")

    text = pdf_text(render_pdf(sample_text(title=decomposed)))

    assert "Cuộc Hợp ở Đà Nẵng" in text


def test_the_page_is_a4(pdf):
    box = reader(pdf).pages[0].mediabox

    assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)


def test_the_text_keeps_the_decree_margins(pdf):
    positions = text_positions(pdf)
    xs = [x for x, _y, _text in positions]
    ys = [y for _x, y, _text in positions]

    # 30 mm left; 15 mm right leaves text ending before 210 - 15 mm; 20 mm top and bottom.
    assert min(xs) >= 30 * MM - 0.5
    assert max(xs) <= A4_POINTS[0] - 15 * MM
    assert max(ys) <= A4_POINTS[1] - 20 * MM
    assert min(ys) >= 20 * MM


def test_the_left_column_starts_at_the_margin_with_a_long_office_name():
    pdf = render_pdf(sample_text(office_name="Văn phòng Ủy ban nhân dân tỉnh Thừa Thiên Huế"))

    xs = [x for x, _y, _text in text_positions(pdf)]

    assert min(xs) >= 30 * MM - 0.5


def test_a_hostile_title_is_printed_as_text_and_fetches_nothing():
    hostile = '<img src="http://127.0.0.1:9/x.png"><b>Họp</b> & <script>alert(1)</script>'

    html = document_html(sample_text(title=hostile))
    text = pdf_text(render_pdf(sample_text(title=hostile)))

    assert "<img" not in html.split("<body>")[1].split('class="subject"')[1][:200]
    assert "&lt;img src=&quot;http://127.0.0.1:9/x.png&quot;&gt;" in html
    assert '<img src="http://127.0.0.1:9/x.png"><b>Họp</b>' in text


def test_an_outside_stylesheet_is_never_fetched(monkeypatch):
    """Even a template that named an outside resource would not reach it: the fetcher
    allows data: URLs only (a request to this port would hang the render for seconds)."""
    from weasyprint import HTML

    from meetings.official.render import local_only_fetcher

    started = time.perf_counter()
    pdf = HTML(
        string='<link rel="stylesheet" href="http://10.255.255.1/x.css"><p>Hợp</p>',
        url_fetcher=local_only_fetcher(),
    ).write_pdf()

    # A fetch of the unroutable address would wait out WeasyPrint's 10 s timeout.
    assert time.perf_counter() - started < 5
    assert "Hợp" in pdf_text(pdf)


def test_decree_dates_pad_days_and_the_first_two_months():
    assert dated_line("Hà Nội", date(2026, 12, 7)) == "Hà Nội, ngày 07 tháng 12 năm 2026"
    assert dated_line("Huế", date(2027, 2, 15)) == "Huế, ngày 15 tháng 02 năm 2027"
    assert dated_line("Huế", date(2027, 3, 1)) == "Huế, ngày 01 tháng 3 năm 2027"


def test_a_long_notice_runs_onto_numbered_pages():
    items = [f"Nhiệm vụ số {n}: báo cáo tiến độ thực hiện kết luận về Đà Nẵng." for n in range(60)]

    pdf = render_pdf(sample_text(items=items))

    pages = reader(pdf).pages
    assert len(pages) >= 2
    assert "Nhiệm vụ số 59" in pdf_text(pdf)
    # Decree 30 numbers the pages from the second, at the top.
    topmost = [max(text_positions(pdf, page), key=lambda p: p[1])[2].strip() for page in (0, 1)]
    assert topmost == ["CHÍNH PHỦ", "2"]


def test_one_document_renders_in_well_under_a_second(pdf):
    render_pdf(sample_text())  # warm: fonts are loaded once per process
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        render_pdf(sample_text())
        timings.append(time.perf_counter() - started)

    timings.sort()
    print(f"official render p50 {timings[2] * 1000:.0f} ms")
    assert timings[2] < 1.0
