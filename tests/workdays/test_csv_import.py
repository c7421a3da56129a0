"""The CSV of announced days: every bad cell listed by line, all or nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from workdays import calendar
from workdays.models import AnnouncedDay, AnnouncedKind

HEADER = "ngày,loại,lý do,văn bản\n"
GOOD = (
    HEADER
    + "30/01/2027,làm bù,Làm bù cho ngày 11/02/2027,Công văn 1234/TB-VPCP\n"
    + "11/02/2027,nghỉ,Nghỉ Tết Nguyên Đán,Công văn 1234/TB-VPCP\n"
)


def upload(text: str | bytes, name: str = "ngay.csv") -> SimpleUploadedFile:
    raw = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, raw, content_type="text/csv")


def post(client, text: str | bytes):
    return client.post("/working-days/import/?year=2027", {"file": upload(text)})


def problems(response) -> list[tuple[int, list[str]]]:
    return [(row.line, row.messages) for row in response.context["import_result"].problems]


def test_good_file_imports_every_row(client_as, alice):
    response = post(client_as(alice), GOOD)

    assert (response.status_code, response["Location"]) == (302, "/working-days/?year=2027")
    assert list(AnnouncedDay.objects.values_list("day", "kind", "created_by")) == [
        (date(2027, 1, 30), AnnouncedKind.WORKING_DAY, alice.pk),
        (date(2027, 2, 11), AnnouncedKind.DAY_OFF, alice.pk),
    ]
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["working_day.imported"] * 2
    assert calendar.add_working_days(date(2027, 2, 3), 1) == date(2027, 2, 12)


def test_file_saved_by_excel_with_a_bom_and_semicolons_imports(client_as, alice):
    text = GOOD.replace(",", ";")

    response = post(client_as(alice), "\ufeff".encode() + text.encode())

    assert response.status_code == 302
    assert AnnouncedDay.objects.count() == 2


def test_file_without_header_imports(client_as, alice):
    response = post(client_as(alice), GOOD.removeprefix(HEADER))

    assert response.status_code == 302
    assert AnnouncedDay.objects.count() == 2


def test_every_bad_cell_is_listed_and_nothing_is_imported(client_as, alice, english):
    text = (
        HEADER
        + "30/01/2027,làm bù,Làm bù,CV 1\n"  # line 2: good
        + "31/02/2027,nghỉ,Nghỉ,CV 2\n"  # line 3: no such date
        + "06/03/2027,holiday,,CV 3\n"  # line 4: bad kind, no reason
        + "01/02/2027,làm bù,Làm bù,CV 4\n"  # line 5: already a working day
        + "30/01/2027,làm bù,Làm bù lần hai,CV 5\n"  # line 6: twice in the file
        + "13/03/2027,làm bù\n"  # line 7: too few columns
        + f"20/03/2027,làm bù,{'x' * 201},CV 7\n"  # line 8: reason too long
        + ",nghỉ,Nghỉ,\n"  # line 9: no day
        + "06/02/2027,nghỉ,Tết,\n"  # line 10: already a day off
    )

    response = post(client_as(alice), text)

    assert response.status_code == 200
    assert problems(response) == [
        (3, ["“31/02/2027” is not a date as dd/mm/yyyy."]),
        (
            4,
            [
                "The kind must be “nghỉ” (day off) or “làm bù” (make-up working day), "
                "not “holiday”.",
                "The reason is missing.",
            ],
        ),
        (5, ["01/02/2027 is already a working day."]),
        (6, ["30/01/2027 is already on line 2 of this file."]),
        (7, ["Expected 4 columns (day, kind, reason, decision), found 2."]),
        (8, ["The reason is longer than 200 characters."]),
        (9, ["The day is missing."]),
        (10, ["06/02/2027 is already a day off."]),
    ]
    assert (AnnouncedDay.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_day_already_announced_is_listed(client_as, alice, english):
    AnnouncedDay.objects.create(day=date(2027, 2, 11), kind=AnnouncedKind.DAY_OFF, name="Nghỉ")

    response = post(client_as(alice), GOOD)

    assert problems(response) == [
        (3, ["11/02/2027 is already announced; remove it first to change it."])
    ]
    assert AnnouncedDay.objects.count() == 1


def test_problems_are_shown_translated(client_as, alice):
    response = post(client_as(alice), HEADER + "31/02/2027,nghỉ,Nghỉ,\n")

    text = response.content.decode()
    assert "Dòng 2:" in text
    assert "không phải là ngày dạng dd/mm/yyyy" in text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ngày,loại,lý do,văn bản\n".encode(), "The file has no rows to import."),
        (b"", "The file has no rows to import."),
        (
            "30/01/2027,làm bù,Làm bù,\n".encode("utf-16"),
            "The file is not UTF-8 text; save it as CSV UTF-8.",
        ),
    ],
)
def test_unreadable_file_is_refused_whole(client_as, alice, english, raw, message):
    response = client_as(alice).post(
        "/working-days/import/", {"file": SimpleUploadedFile("a.csv", raw)}
    )

    assert response.status_code == 200
    if raw:
        assert response.context["import_result"].file_problem == message
    else:
        # Django refuses an empty upload before it is read.
        assert response.context["import_form"].errors["file"] == ["The submitted file is empty."]
    assert AnnouncedDay.objects.count() == 0


def test_file_over_the_limit_is_refused_before_reading(client_as, alice, english, settings):
    settings.WORKING_DAYS_IMPORT_MAX_BYTES = 1024

    response = post(client_as(alice), GOOD + "#" * 1024)

    assert response.context["import_form"].errors["file"] == [
        "The file is 1.2\xa0KB; the largest accepted is 1.0\xa0KB."
    ]
    assert AnnouncedDay.objects.count() == 0
