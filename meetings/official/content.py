"""What an official document says, apart from how it is laid out (render.py)."""

import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import date


@dataclass
class OfficialText:
    """The parts of a document in the Decree 30/2020/NĐ-CP layout.

    `number_symbol` is the whole "12/TB-VPCP" (render.py writes "Số: " before it);
    `kind_title` the centred title ("THÔNG BÁO", "GIẤY MỜI"); `title` the trích yếu;
    `items` are numbered by the layout; `recipients` are the lines under "Nơi nhận:";
    `closing` follows the items.
    """

    office_name: str
    parent_name: str
    number_symbol: str
    place: str
    issued_on: date
    kind_title: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_position: str = ""
    signer_name: str = ""
    # After the numbered items ("… thông báo để các cơ quan biết, thực hiện./.").
    closing: str = ""


def nfc(value: str) -> str:
    """Vietnamese in NFC: composed letters, which every serif font draws (TeX Gyre Termes,
    for one, lacks the combining horn U+031B and turns NFD "hợp" into "họp")."""
    return unicodedata.normalize("NFC", value)


def normalised(text: OfficialText) -> OfficialText:
    """The same text with every string (and every string of a list) in NFC."""
    changes: dict[str, object] = {}
    for part in fields(text):
        value = getattr(text, part.name)
        if isinstance(value, str):
            changes[part.name] = nfc(value)
        elif isinstance(value, list):
            changes[part.name] = [nfc(line) for line in value]
    return replace(text, **changes)


def dated_line(place: str, day: date) -> str:
    """ "Hà Nội, ngày 07 tháng 12 năm 2026": Decree 30 writes a day below 10 and the months
    1 and 2 with a leading zero, the other months without."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
