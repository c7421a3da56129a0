"""What the official-document tests share: a sample text, and reading a PDF back."""

from datetime import date

from pypdf import PdfReader

from meetings.official.content import OfficialText

MM = 72 / 25.4  # PDF points per millimetre


def sample_text(**changes) -> OfficialText:
    fields = {
        "office_name": "Văn phòng Chính phủ",
        "parent_name": "Chính phủ",
        "number_symbol": "12/TB-VPCP",
        "place": "Hà Nội",
        "issued_on": date(2026, 12, 7),
        "kind_title": "THÔNG BÁO",
        "title": "Kết luận của Thủ tướng tại cuộc họp trực tuyến với Thừa Thiên Huế và Đà Nẵng",
        "paragraphs": ["Ngày 05 tháng 12 năm 2026, Thủ tướng chủ trì cuộc Hợp trực tuyến."],
        "items": ["Giao Ủy ban nhân dân thành phố Đà Nẵng báo cáo kết luận trước ngày 15."],
        "recipients": ["Thủ tướng, các Phó Thủ tướng;", "UBND tỉnh Thừa Thiên Huế;", "Lưu: VT."],
        "signer_position": "Chánh Văn phòng",
        "signer_name": "Nguyễn Văn Đức",
    }
    return OfficialText(**{**fields, **changes})


def reader(pdf: bytes) -> PdfReader:
    import io

    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    """Every page's text, lines joined by spaces (a line may wrap anywhere)."""
    pages = reader(pdf).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def text_positions(pdf: bytes) -> list[tuple[float, float, str]]:
    """(x, y) in points of every piece of text on the first page, through pypdf's visitor."""
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if text.strip():
            # The text matrix's origin, carried through the current transformation matrix.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text))

    reader(pdf).pages[0].extract_text(visitor_text=visit)
    return found
