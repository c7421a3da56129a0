"""The visible signature block: a framed text box at the bottom right of the last page,
saying who signed, for which organisation and when (Asia/Ho_Chi_Minh, dd/mm/yyyy HH:mm).

The text is set in FreeSerif through HarfBuzz (pyHanko's GlyphAccumulator): the stamp's
default font has no Vietnamese letters, and Liberation and DejaVu came out letter-spaced
(STACK.md). Text is NFC-normalised, as composed letters are what the font maps.
"""

import functools
import io
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import override
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import TextStampStyle

# Debian fonts-freefont-ttf; TeX Gyre Termes (fonts-texgyre) when FreeSerif is missing.
FONT_FILES = (
    Path("/usr/share/fonts/truetype/freefont/FreeSerif.ttf"),
    Path("/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf"),
    Path("/usr/share/fonts/opentype/tex-gyre/texgyretermes-regular.otf"),
)
FONT_SIZE = 9
# Points (1/72 inch): 8 cm wide, 2.8 cm high, 15 mm from the right edge and 20 mm from the bottom,
# inside Decree 30's margins.
WIDTH, HEIGHT = 227, 80
RIGHT_MARGIN, BOTTOM_MARGIN = 43, 57
DISPLAY_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def font_file() -> Path:
    for path in FONT_FILES:
        if path.exists():
            return path
    raise FileNotFoundError("FreeSerif or TeX Gyre Termes (apt-get install fonts-freefont-ttf)")


@functools.cache
def _font_bytes() -> bytes:
    return font_file().read_bytes()


class InMemoryFontFactory(FontEngineFactory):
    """pyHanko's GlyphAccumulatorFactory, but from the font's bytes read once: that
    factory opens the file for every signature and never closes it."""

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_bytes()),
            font_size=FONT_SIZE,
            obj_stream=obj_stream,
        )


@functools.cache
def stamp_style() -> TextStampStyle:
    return TextStampStyle(
        stamp_text="%(text)s",
        text_box_style=TextBoxStyle(font=InMemoryFontFactory()),
        border_width=1,
    )


def box(page_width: float) -> tuple[float, float, float, float]:
    """The block's rectangle (x1, y1, x2, y2) on a page `page_width` points wide."""
    right = page_width - RIGHT_MARGIN
    return (right - WIDTH, BOTTOM_MARGIN, right, BOTTOM_MARGIN + HEIGHT)


def stamp_text(
    signer_lines: list[str], *, signer_name: str, organisation: str, signed_at: datetime
) -> str:
    """The caller's lines, then the signer, the organisation and the time. The document
    is Vietnamese (Decree 30), whatever the language of the person signing."""
    when = signed_at.astimezone(DISPLAY_ZONE).strftime("%d/%m/%Y %H:%M")
    with override("vi"):
        lines = [
            *signer_lines,
            _("Signed by: %(name)s") % {"name": signer_name},
            *([_("Organisation: %(name)s") % {"name": organisation}] if organisation else []),
            _("Time: %(when)s") % {"when": when},
        ]
    return unicodedata.normalize("NFC", "\n".join(line.strip() for line in lines if line.strip()))
