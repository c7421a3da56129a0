from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conferencing.divisions import commune_site_code, division_rows, province_site_code
from conferencing.models import Endpoint, Level


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_division_rows_are_the_centre_34_provinces_and_3321_communes():
    rows = division_rows()

    assert Counter(row["level"] for row in rows) == {
        "central": 1,
        "province": 34,
        "commune": 3321,
    }
    assert rows[:2] == [
        {"code": "TW", "name": "Trung ương", "level": "central", "parent_code": ""},
        {"code": "T01", "name": "Thành phố Hà Nội", "level": "province", "parent_code": "TW"},
    ]
    assert rows[35] == {
        "code": "X00004",
        "name": "Phường Ba Đình",
        "level": "commune",
        "parent_code": "T01",
    }


def test_division_site_codes_pad_the_official_codes():
    assert (province_site_code(1), commune_site_code(4)) == ("T01", "X00004")


def test_import_divisions_builds_the_national_tree(db, capsys):
    call_command("import_divisions")

    assert capsys.readouterr().out == "3356 created, 0 updated, 0 unchanged, 0 skipped.\n"
    assert dict(Counter(Endpoint.objects.values_list("level", flat=True))) == {
        Level.CENTRAL: 1,
        Level.PROVINCE: 34,
        Level.COMMUNE: 3321,
    }
    assert Endpoint.objects.get(code="X00004").path == "/TW/T01/X00004/"
    assert Endpoint.objects.exclude(parent__isnull=True).count() == 3355


def test_import_divisions_twice_changes_nothing(db, capsys):
    call_command("import_divisions")
    capsys.readouterr()

    with CaptureQueriesContext(connection) as queries:
        call_command("import_divisions")

    assert capsys.readouterr().out == "0 created, 0 updated, 3356 unchanged, 0 skipped.\n"
    assert [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE"))] == []


def test_import_divisions_keeps_what_the_secretariat_added(db, capsys):
    call_command("import_divisions")
    Endpoint.objects.filter(code="T01").update(
        dial_string="sip:hanoi@vc.gov.vn", contact_email="vp@hanoi.gov.vn", is_active=False
    )

    call_command("import_divisions")

    hanoi = Endpoint.objects.get(code="T01")
    assert (hanoi.dial_string, hanoi.contact_email, hanoi.is_active) == (
        "sip:hanoi@vc.gov.vn",
        "vp@hanoi.gov.vn",
        False,
    )


def test_import_divisions_is_silent_at_verbosity_zero(db, capsys):
    call_command("import_divisions", verbosity=0)

    assert capsys.readouterr() == ("", "")
    assert Endpoint.objects.count() == 3356
