"""CSV written for spreadsheets: cells that Excel or LibreOffice would run as formulas.

A cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
spreadsheets skip before looking for one) is a formula to them, so a site named
`=HYPERLINK(...)` would run on the reader's machine (OWASP "CSV injection"). Every CSV
export writes through `csv_writer`, which prefixes such a cell with `'`, the
spreadsheets' own "this is text" mark. A cell already starting with `'` is prefixed too,
so `from_spreadsheet_cell` (the site import) gives back exactly what was exported.
"""

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def spreadsheet_cell(value: Any) -> Any:
    """`value`, with the text mark in front when a spreadsheet would read it as a formula.

    Numbers are left alone: a spreadsheet reads -3 as the number it is.
    """
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, TEXT_MARK)):
        if value.startswith(TEXT_MARK) and not value[1:].startswith((*FORMULA_STARTS, TEXT_MARK)):
            # "'abc" is no formula and reads back as itself: left as it is.
            return value
        return TEXT_MARK + value
    return value


def from_spreadsheet_cell(text: str) -> str:
    """The value `spreadsheet_cell` wrote as `text` (a cell of an exported file)."""
    if text.startswith(TEXT_MARK) and text[1:].startswith((*FORMULA_STARTS, TEXT_MARK)):
        return text[1:]
    return text


class _SpreadsheetWriter:
    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([spreadsheet_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: TextIO) -> _SpreadsheetWriter:
    """A `csv.writer` whose every cell goes through `spreadsheet_cell`."""
    return _SpreadsheetWriter(stream)
