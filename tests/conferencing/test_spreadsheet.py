"""CSV cells a spreadsheet would run as formulas are written as text, and read back."""

import csv
import io

import pytest

from conferencing.spreadsheet import csv_writer, from_spreadsheet_cell, spreadsheet_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+84 24 3825 0000", "'+84 24 3825 0000"),
        ("-abc", "'-abc"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=already quoted", "''=already quoted"),
        ("Hà Nội", "Hà Nội"),
        ("a=b", "a=b"),
        ("'plain quote", "'plain quote"),
        ("", ""),
    ],
)
def test_spreadsheet_cell_neutralises_formula_starts(value, written):
    assert spreadsheet_cell(value) == written


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+84", "-abc", "@x", "\tx", "\rx", "'=x", "''", "'plain quote", "Hà Nội", ""],
)
def test_from_spreadsheet_cell_reads_back_what_was_written(value):
    assert from_spreadsheet_cell(spreadsheet_cell(value)) == value


def test_spreadsheet_cell_leaves_numbers_alone():
    assert spreadsheet_cell(-3) == -3


def test_csv_writer_neutralises_every_cell_of_every_row():
    buffer = io.StringIO()
    writer = csv_writer(buffer)

    writer.writerow(["=cmd|' /C calc'!A0", "ok", 2])
    writer.writerows([["-1", "@me"]])

    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["'=cmd|' /C calc'!A0", "ok", "2"],
        ["'-1", "'@me"],
    ]
