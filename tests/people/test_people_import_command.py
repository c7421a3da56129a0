"""`manage.py import_people FILE --office CODE [--skip-invalid] [--dry-run]`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.people.conftest import csv_of

User = get_user_model()
GOOD = "Nguyễn Thị Lan,lan@hanoi.gov.vn,0912345678,lan,Technician,,X0101"
BAD = "Bad,bad-address,,,,,"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(tmp_path, content: str, *args: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text(content, encoding="utf-8")
    call_command("import_people", str(path), *args)


def test_the_command_imports_rows_into_its_office(tmp_path, hanoi, capsys):
    run(tmp_path, csv_of(GOOD), "--office", "VP-HN")

    lan = User.objects.get(username="lan")
    assert list(lan.offices.values_list("code", flat=True)) == ["VP-HN"]
    assert capsys.readouterr().out == "1 created, 0 updated, 0 unchanged, 0 invalid.\n"


def test_the_command_refuses_a_bad_file_and_names_each_line(tmp_path, hanoi, capsys):
    with pytest.raises(CommandError, match="Nothing was imported: 1 errors"):
        run(tmp_path, csv_of(GOOD, BAD), "--office", "VP-HN")

    assert "line 3: “bad-address” is not a valid e-mail address." in capsys.readouterr().err
    assert User.objects.filter(username="lan").exists() is False


def test_the_command_skips_invalid_rows_when_told(tmp_path, hanoi, capsys):
    run(tmp_path, csv_of(GOOD, BAD), "--office", "VP-HN", "--skip-invalid")

    assert User.objects.filter(username="lan").exists() is True
    assert capsys.readouterr().out == "1 created, 0 updated, 0 unchanged, 1 invalid.\n"


def test_a_dry_run_writes_nothing(tmp_path, hanoi, capsys):
    run(tmp_path, csv_of(GOOD), "--office", "VP-HN", "--dry-run")

    assert User.objects.filter(username="lan").exists() is False
    assert capsys.readouterr().out == (
        "Dry run, nothing written: 1 created, 0 updated, 0 unchanged, 0 invalid.\n"
    )


def test_the_command_run_twice_changes_nothing(tmp_path, hanoi, capsys):
    run(tmp_path, csv_of(GOOD), "--office", "VP-HN")
    capsys.readouterr()

    run(tmp_path, csv_of(GOOD), "--office", "VP-HN")

    assert capsys.readouterr().out == "0 created, 0 updated, 1 unchanged, 0 invalid.\n"


def test_an_unknown_office_is_refused(tmp_path, hanoi):
    with pytest.raises(CommandError, match=r"No active office has the code NOPE\."):
        run(tmp_path, csv_of(GOOD), "--office", "NOPE")
