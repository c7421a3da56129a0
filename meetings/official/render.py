"""An OfficialText as a PDF in the layout of Decree 30/2020/NĐ-CP (WeasyPrint).

A4, margins 20 mm top and bottom, 15 mm right, 30 mm left; "Times New Roman", which
fontconfig resolves to Liberation Serif (fonts-liberation2, metric-compatible, every
Vietnamese letter). The HTML is a Django template (autoescaped: a title is text, never
markup), self-contained: WeasyPrint's fetcher is allowed `data:` URLs only, so a document
never reaches the network or the disk, whatever its text says.
"""

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from meetings.official.content import OfficialText, dated_line, normalised

TEMPLATE = "official/document.html"


def local_only_fetcher() -> URLFetcher:
    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def document_html(text: OfficialText) -> str:
    text = normalised(text)
    return render_to_string(
        TEMPLATE, {"text": text, "dated_line": dated_line(text.place, text.issued_on)}
    )


def render_pdf(text: OfficialText) -> bytes:
    """The document as PDF bytes (text normalised to NFC first)."""
    html = HTML(string=document_html(text), url_fetcher=local_only_fetcher(), base_url=None)
    return html.write_pdf()
