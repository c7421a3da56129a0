"""Files of people: an Excel workbook (a formula is data, never evaluated), and the
refused rows given back as a spreadsheet-safe CSV that imports again as it was."""

import csv
import io

from django.contrib.auth import get_user_model
from openpyxl import Workbook

from people import import_jobs
from people.import_runs import run_job
from tests.people.conftest import csv_of

User = get_user_model()
FORMULA = '=HYPERLINK("http://evil.example","Lan")'


def workbook(*rows: list) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_an_xlsx_workbook_is_imported(run_import):
    data = workbook(
        ["Họ và tên", "Email", "Điện thoại", "Vai trò", "Mã điểm cầu"],
        ["Nguyễn Thị Lan", "lan@hanoi.gov.vn", 912345678, "Technician", "X0101, X0102"],
        [None, None, None, None, None],
        ["Trần Văn Hùng", "hung@hanoi.gov.vn", "024 3825 3535", "Thư ký", None],
    )

    report = run_import(data)

    assert (report.created, report.errors) == (2, [])
    lan = User.objects.select_related("person").get(email="lan@hanoi.gov.vn")
    # The number cell lost its leading zero in the sheet: given back.
    assert lan.person.phone == "0912345678"
    assert sorted(lan.served_endpoints.values_list("code", flat=True)) == ["X0101", "X0102"]


def test_an_xlsx_formula_is_read_as_its_text_and_rows_have_their_lines(run_import):
    data = workbook(
        ["full_name", "email"],
        [FORMULA, "not-an-address"],
        ["=1+1", "calc@hanoi.gov.vn"],
    )

    report = run_import(data, skip_invalid=True)

    assert [(error.line, error.code) for error in report.errors] == [(2, "email_invalid")]
    assert report.bad_rows[0][1] == [FORMULA, "not-an-address"]
    # Never evaluated: the text of the formula, not 2.
    assert User.objects.get(email="calc@hanoi.gov.vn").person.full_name == "=1+1"


def test_a_file_that_is_neither_csv_nor_a_workbook_is_refused(run_import):
    report = run_import(b"PK\x03\x04 this is no workbook")

    assert [(error.line, error.code) for error in report.errors] == [(0, "xlsx_unreadable")]


def test_the_refused_rows_download_keeps_a_formula_as_text_and_imports_again(hana, hanoi):
    content = csv_of(
        "Nguyễn Thị Lan,lan@hanoi.gov.vn,,,,,",
        f'"{FORMULA.replace(chr(34), chr(34) * 2)}",bad-address,,,,,',
    )
    job = import_jobs.create_job(
        user=hana,
        data=content.encode(),
        file_name="people.csv",
        skip_invalid=True,
        office=hanoi,
    )
    run_job(job.pk)
    job.refresh_from_db()

    text = import_jobs.bad_rows_csv(job)

    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == [
        "full_name",
        "email",
        "phone",
        "username",
        "role",
        "office",
        "sites",
        "dòng",
        "lý do",
    ]
    # The text mark in front: a spreadsheet shows the cell, never runs it.
    assert rows[1][:2] == ["'" + FORMULA, "bad-address"]
    assert rows[1][7] == "3"
    # Corrected and imported again as it is: the cell is what the file first held.
    corrected = text.replace("bad-address", "fixed@hanoi.gov.vn")
    again = import_jobs.create_job(
        user=hana, data=corrected.encode(), file_name="fixed.csv", skip_invalid=False, office=hanoi
    )
    run_job(again.pk)
    again.refresh_from_db()
    assert (again.created_count, again.errors) == (1, [])
    assert User.objects.get(email="fixed@hanoi.gov.vn").person.full_name == FORMULA
