import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conferencing.endpoint_import import ImportReport, import_endpoints, import_rows
from conferencing.endpoint_rows import COLUMNS, RowError
from conferencing.jurisdiction import ImportScope
from conferencing.models import Endpoint, Level
from tests.factories import EndpointFactory, OfficeFactory

HEADER = ",".join(COLUMNS)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_file(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows, ""]).encode()


def error_codes(report: ImportReport) -> list[tuple[int, str]]:
    return [(error.line, error.code) for error in report.errors]


def stored_tree() -> list[tuple[str, str | None, str]]:
    return list(Endpoint.objects.order_by("path").values_list("code", "parent__code", "path"))


@pytest.fixture
def centre(db):
    return EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)


@pytest.fixture
def hanoi(centre):
    return EndpointFactory(code="T01", name="Hà Nội", level=Level.PROVINCE, parent=centre)


def test_import_endpoints_creates_parents_defined_later_in_the_file(db):
    data = csv_file(
        "X00004,Phường Ba Đình,commune,T01,UBND phường,1 Điện Biên Phủ,"
        "sip:badinh@vc.gov.vn,024 3823 0000,badinh@hanoi.gov.vn,true",
        "T01,Thành phố Hà Nội,province,TW,,,,,,",
        "TW,Trung ương,central,,,,,,,",
    )

    report = import_endpoints(data)

    assert report == ImportReport(created=3, updated=0, unchanged=0, skipped=0, written=True)
    assert stored_tree() == [
        ("TW", None, "/TW/"),
        ("T01", "TW", "/TW/T01/"),
        ("X00004", "T01", "/TW/T01/X00004/"),
    ]
    commune = Endpoint.objects.get(code="X00004")
    assert (
        commune.name,
        commune.level,
        commune.organisation,
        commune.address,
        commune.dial_string,
        commune.contact_phone,
        commune.contact_email,
        commune.is_active,
    ) == (
        "Phường Ba Đình",
        Level.COMMUNE,
        "UBND phường",
        "1 Điện Biên Phủ",
        "sip:badinh@vc.gov.vn",
        "024 3823 0000",
        "badinh@hanoi.gov.vn",
        True,
    )


def test_import_endpoints_hangs_rows_under_stored_parents(hanoi):
    data = csv_file("X00004,Phường Ba Đình,commune,T01,,,,,,")

    report = import_endpoints(data)

    assert (report.created, report.written) == (1, True)
    assert Endpoint.objects.get(code="X00004").path == "/TW/T01/X00004/"


def test_import_endpoints_updates_changed_rows_and_counts_the_others(hanoi):
    data = csv_file(
        "TW,Trung ương,central,,,,,,,",
        "T01,Thủ đô Hà Nội,province,TW,,,h323:hanoi,,,no",
    )

    report = import_endpoints(data)

    assert report == ImportReport(created=0, updated=1, unchanged=1, skipped=0, written=True)
    hanoi.refresh_from_db()
    assert (hanoi.name, hanoi.dial_string, hanoi.is_active) == (
        "Thủ đô Hà Nội",
        "h323:hanoi",
        False,
    )


def test_import_endpoints_twice_changes_nothing_the_second_time(db):
    data = csv_file(
        "TW,Trung ương,central,,,,,,,",
        "T01,Hà Nội,province,TW,Văn phòng UBND,,192.0.2.10,,vp@hanoi.gov.vn,yes",
        "X00004,Ba Đình,commune,T01,,,,,,0",
    )
    import_endpoints(data)
    before = list(Endpoint.objects.order_by("pk").values())

    with CaptureQueriesContext(connection) as queries:
        report = import_endpoints(data)

    assert report == ImportReport(created=0, updated=0, unchanged=3, skipped=0, written=True)
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert list(Endpoint.objects.order_by("pk").values()) == before


def test_import_endpoints_accepts_a_byte_order_mark_and_windows_line_ends(db):
    data = b"\xef\xbb\xbf" + "\r\n".join([HEADER, "TW,Trung ương,central,,,,,,,", ""]).encode()

    report = import_endpoints(data)

    assert (report.created, report.errors) == (1, [])
    assert Endpoint.objects.get().name == "Trung ương"


def test_import_endpoints_reads_header_columns_in_any_order_and_case(db):
    data = "Name,CODE,parent_code,level\nTrung ương,TW,,central\n".encode()

    report = import_endpoints(data)

    assert (report.created, report.errors) == (1, [])


def test_import_endpoints_keeps_stored_values_of_absent_columns(centre):
    centre.dial_string = "sip:tw@vc.gov.vn"
    centre.is_active = False
    centre.save()
    data = "code,name,level,parent_code\nTW,Trung ương,central,\n".encode()

    report = import_endpoints(data)

    assert report.unchanged == 1
    centre.refresh_from_db()
    assert (centre.dial_string, centre.is_active) == ("sip:tw@vc.gov.vn", False)


def test_import_endpoints_blank_active_means_active(db):
    data = csv_file("TW,Trung ương,central,,,,,,,")

    import_endpoints(data)

    assert Endpoint.objects.get().is_active is True


def test_import_endpoints_skips_blank_lines_but_counts_them(db):
    data = csv_file("", "TW,Trung ương,central,,,,,,,", ",,,,,,,,,", "T01,,province,TW,,,,,,")

    report = import_endpoints(data)

    assert error_codes(report) == [(5, "name_missing")]


def test_import_endpoints_reports_physical_lines_after_a_multiline_cell(db):
    data = csv_file(
        'TW,Trung ương,central,,,"Số 1\nHà Nội",,,,',
        "T01,Hà Nội,capital,TW,,,,,,",
    )

    report = import_endpoints(data)

    assert error_codes(report) == [(2, "control_character"), (4, "level_invalid")]


TOO_LONG_NAME = "x" * 201


@pytest.mark.parametrize(
    ("row", "code", "message"),
    [
        (
            "T01,Hà Nội,province,TX,,,,,,",
            "parent_unknown",
            "Unknown parent “TX”: it is neither in this file nor in the database.",
        ),
        (
            "T01,Hà Nội,capital,TW,,,,,,",
            "level_invalid",
            "Unknown level “capital”: use one of central, province, district, commune.",
        ),
        (
            "T01,Hà Nội,central,TW,,,,,,",
            "placement",
            "A Central site cannot be under a Central site: its level must be below its parent's.",
        ),
        (
            "T 01,Hà Nội,province,TW,,,,,,",
            "code_invalid",
            "code: Use 1-32 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit.",
        ),
        (",Hà Nội,province,TW,,,,,,", "code_missing", "The code is required."),
        ("T01,,province,TW,,,,,,", "name_missing", "The name is required."),
        (
            f"T01,{TOO_LONG_NAME},province,TW,,,,,,",
            "too_long",
            "name: at most 200 characters, this one has 201.",
        ),
        (
            "T01,Hà Nội,province,TW,,,,,not-an-email,",
            "email_invalid",
            "contact_email: Enter a valid email address.",
        ),
        (
            "T01,Hà Nội,province,TW,,,ftp://room,,,",
            "dial_string_invalid",
            "dial_string: Enter a SIP URI (sip:room@example.vn), an H.323 alias "
            "(h323:alias) or an IP address.",
        ),
        (
            "T01,Hà Nội,province,TW,,,,phone?,,",
            "phone_invalid",
            "contact_phone: Enter a phone number of digits, spaces, dots, dashes or brackets.",
        ),
        (
            "T01,Hà Nội,province,TW,,,,,,maybe",
            "active_invalid",
            "Unknown active value “maybe”: use true or false (1/0, yes/no).",
        ),
        (
            "T01,Hà Nội,province,TW,,,,,",
            "column_count",
            "This row has 9 cells but the header names 10 columns.",
        ),
        (
            "T01,Hà\x00 Nội,province,TW,,,,,,",
            "control_character",
            "name: contains a control character.",
        ),
    ],
)
def test_import_endpoints_reports_a_bad_row_with_its_line(centre, row, code, message):
    data = csv_file("X1,Xã Một,commune,TW,,,,,,", row)

    report = import_endpoints(data)

    assert report == ImportReport(errors=[RowError(3, code, message)], written=False)
    assert list(Endpoint.objects.values_list("code", flat=True)) == ["TW"]


def test_import_endpoints_reports_a_code_used_twice(db):
    data = csv_file(
        "TW,Trung ương,central,,,,,,,",
        "T01,Hà Nội,province,TW,,,,,,",
        "T01,Hà Nội bis,province,TW,,,,,,",
    )

    report = import_endpoints(data)

    assert report.errors == [
        RowError(4, "code_duplicate", "The code “T01” is already used on line 3.")
    ]


def test_import_endpoints_reports_every_row_of_a_cycle_in_the_file(db):
    data = csv_file(
        "A,Điểm A,province,B,,,,,,",
        "B,Điểm B,commune,A,,,,,,",
    )

    report = import_endpoints(data)

    reason = "A site cannot be placed under itself or one of its own sub-sites."
    assert report.errors == [
        RowError(2, "cycle", f"{reason} Parent chain: A → B → A."),
        RowError(3, "cycle", f"{reason} Parent chain: B → A → B."),
    ]


def test_import_endpoints_reports_a_site_that_is_its_own_parent(db):
    data = csv_file("A,Điểm A,province,A,,,,,,")

    report = import_endpoints(data)

    assert error_codes(report) == [(2, "cycle")]


def test_import_endpoints_reports_a_cycle_through_stored_sites(hanoi):
    EndpointFactory(code="X1", level=Level.COMMUNE, parent=hanoi)
    data = csv_file("T01,Hà Nội,province,X1,,,,,,")

    report = import_endpoints(data)

    assert report.errors == [
        RowError(
            2,
            "cycle",
            "A site cannot be placed under itself or one of its own sub-sites. "
            "Parent chain: T01 → X1 → T01.",
        )
    ]
    assert Endpoint.objects.get(code="T01").path == "/TW/T01/"


def test_import_endpoints_refuses_a_level_that_puts_a_stored_sub_site_above(hanoi):
    EndpointFactory(code="X1", level=Level.DISTRICT, parent=hanoi)
    data = csv_file("T01,Hà Nội,commune,TW,,,,,,")

    report = import_endpoints(data)

    assert report.errors == [
        RowError(
            2,
            "placement",
            "Its level cannot become Commune: its sub-site X1 is District.",
        )
    ]


def test_import_endpoints_allows_a_level_change_when_the_file_moves_the_sub_site(hanoi):
    EndpointFactory(code="X1", level=Level.DISTRICT, parent=hanoi)
    data = csv_file("T01,Hà Nội,district,TW,,,,,,", "X1,Xã Một,commune,T01,,,,,,")

    report = import_endpoints(data)

    assert (report.updated, report.errors) == (2, [])


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            b"",
            RowError(
                1,
                "empty",
                "The file is empty. Its first line must name the columns: "
                + ", ".join(COLUMNS)
                + ".",
            ),
        ),
        (
            b"code,name,level\nTW,Trung uong,central\n",
            RowError(
                1,
                "header_missing",
                "Missing columns: parent_code. The columns are: " + ", ".join(COLUMNS) + ".",
            ),
        ),
        (
            b"code,name,level,parent_code,colour\nTW,Trung uong,central,,red\n",
            RowError(
                1,
                "header_unknown",
                "Unknown columns: colour. The columns are: " + ", ".join(COLUMNS) + ".",
            ),
        ),
        (
            b"code,name,level,parent_code,name\n",
            RowError(
                1,
                "header_duplicate",
                "Columns named more than once: name. The columns are: " + ", ".join(COLUMNS) + ".",
            ),
        ),
        (
            HEADER.encode()
            + b"\nTW,Trung uong,central,,,,,,,\nT01,H\xe0 N\xf4i,province,TW,,,,,,\n",
            RowError(
                3,
                "encoding",
                "This line is not UTF-8 text. Save the file as “CSV UTF-8” and import it again.",
            ),
        ),
        (
            csv_file("TW,Trung ương,central,,,,,,,", f'T01,"{"x" * 200_000}",province,TW,,,,,,'),
            RowError(
                3,
                "csv_malformed",
                "The file is not valid CSV here: field larger than field limit (131072).",
            ),
        ),
    ],
    ids=["empty", "missing-column", "unknown-column", "duplicate-column", "encoding", "csv"],
)
def test_import_endpoints_refuses_a_file_it_cannot_read(db, data, error):
    report = import_endpoints(data, skip_invalid=True)

    assert report == ImportReport(errors=[error], written=False)
    assert Endpoint.objects.count() == 0


def test_import_endpoints_with_one_bad_row_writes_nothing(centre):
    data = csv_file(
        "TW,Trung ương mới,central,,,,,,,",
        "T01,Hà Nội,province,TW,,,,,,",
        "T02,Hà Giang,province,TW,,,,,bad-email,",
    )

    report = import_endpoints(data)

    assert report == ImportReport(
        errors=[RowError(4, "email_invalid", "contact_email: Enter a valid email address.")],
        written=False,
    )
    assert list(Endpoint.objects.values_list("code", "name")) == [("TW", "Trung ương")]


def test_import_endpoints_skip_invalid_writes_valid_rows_and_skips_those_under_bad_ones(db):
    data = csv_file(
        "TW,Trung ương,central,,,,,,,",
        "T01,Hà Nội,province,TW,,,,,,",
        "T02,Hà Giang,province,TW,,,bad dial,,,",
        "X1,Xã Một,commune,T02,,,,,,",
        "X2,Xã Hai,commune,T01,,,,,,",
    )

    report = import_endpoints(data, skip_invalid=True)

    assert (report.created, report.updated, report.unchanged, report.skipped) == (3, 0, 0, 2)
    assert report.written is True
    assert error_codes(report) == [(4, "dial_string_invalid"), (5, "parent_invalid")]
    assert report.errors[1].message == "Skipped: its parent “T02” on line 4 has errors."
    assert [code for code, _parent, _path in stored_tree()] == ["TW", "T01", "X2"]


def test_import_endpoints_skip_invalid_with_only_bad_rows_writes_nothing(db):
    data = csv_file("TW,,central,,,,,,,")

    report = import_endpoints(data, skip_invalid=True)

    assert (report.written, error_codes(report)) == (False, [(2, "name_missing")])


def test_import_endpoints_moves_a_site_and_rewrites_its_stored_sub_sites(hanoi, centre):
    district = EndpointFactory(code="H1", level=Level.DISTRICT, parent=hanoi)
    EndpointFactory(code="X1", level=Level.COMMUNE, parent=district)
    data = csv_file("T02,Hà Giang,province,TW,,,,,,", "H1,Huyện Một,district,T02,,,,,,")

    report = import_endpoints(data)

    assert report.summary() == (
        "1 created, 1 updated, 0 unchanged, 0 skipped. 1 sub-site followed its moved parent."
    )
    assert stored_tree() == [
        ("TW", None, "/TW/"),
        ("T01", "TW", "/TW/T01/"),
        ("T02", "TW", "/TW/T02/"),
        ("H1", "T02", "/TW/T02/H1/"),
        ("X1", "H1", "/TW/T02/H1/X1/"),
    ]


def test_import_endpoints_query_count_does_not_grow_with_rows(centre):
    def queries_to_import(prefix: str, count: int) -> int:
        rows = [f"{prefix}{n},Tỉnh {n},province,TW,,,,,,true" for n in range(count)]
        rows += [f"{prefix}X{n},Xã {n},commune,{prefix}{n},,,,,,true" for n in range(count)]
        with CaptureQueriesContext(connection) as queries:
            report = import_endpoints(csv_file(*rows))
        assert report.created == 2 * count
        return len(queries)

    few = queries_to_import("A", 3)
    many = queries_to_import("B", 30)

    assert few == many


def test_import_endpoints_reimport_query_count_does_not_grow_with_rows(centre):
    def queries_to_reimport(prefix: str, count: int) -> int:
        data = csv_file(*[f"{prefix}{n},Tỉnh {n},province,TW,,,,,,true" for n in range(count)])
        import_endpoints(data)
        with CaptureQueriesContext(connection) as queries:
            report = import_endpoints(data)
        assert report.unchanged == count
        return len(queries)

    few = queries_to_reimport("A", 3)
    many = queries_to_reimport("B", 30)

    assert few == many


def test_import_endpoints_reports_progress_once_per_batch(db):
    rows = ["TW,Trung ương,central,,,,,,,"]
    rows += [f"X{n},Xã {n},commune,TW,,,,,," for n in range(1200)]
    calls = []

    import_endpoints(csv_file(*rows), progress=lambda done, total: calls.append((done, total)))

    assert calls == [(0, 1201), (0, 1201), (1, 1201), (501, 1201), (1001, 1201), (1201, 1201)]


def test_import_rows_uses_the_same_rules_and_reports_lines_from_two(db):
    rows = [
        {"code": "TW", "name": "Trung ương", "level": "central", "parent_code": ""},
        {"code": "T01", "name": "Hà Nội", "level": "province", "parent_code": "TX"},
    ]

    report = import_rows(rows)

    assert (error_codes(report), report.written) == ([(3, "parent_unknown")], False)


def test_import_rows_refuses_unknown_keys(db):
    rows = [{"code": "TW", "name": "Trung ương", "level": "central", "parent": ""}]

    report = import_rows(rows)

    assert error_codes(report) == [(2, "header_missing")]


def test_import_endpoints_command_prints_the_summary(db, tmp_path, capsys):
    path = tmp_path / "sites.csv"
    path.write_bytes(csv_file("TW,Trung ương,central,,,,,,,", "T01,Hà Nội,province,TW,,,,,,"))

    call_command("import_endpoints", path)

    assert capsys.readouterr() == (
        "2 created, 0 updated, 0 unchanged, 0 skipped.\n",
        "",
    )
    assert Endpoint.objects.count() == 2


def test_import_endpoints_command_fails_with_every_bad_line_and_writes_nothing(
    db, tmp_path, capsys
):
    path = tmp_path / "sites.csv"
    path.write_bytes(
        csv_file("TW,Trung ương,central,,,,,,,", "T01,,province,TW,,,,,,", "T02,Hà,town,TW,,,,,,")
    )

    with pytest.raises(CommandError) as refused:
        call_command("import_endpoints", path)

    assert str(refused.value) == ("Nothing was imported: 2 errors. Fix them or use --skip-invalid.")
    assert capsys.readouterr().err == (
        "line 3: The name is required.\n"
        "line 4: Unknown level “town”: use one of central, province, district, commune.\n"
    )
    assert Endpoint.objects.count() == 0


def test_import_endpoints_command_skip_invalid_imports_the_rest(db, tmp_path, capsys):
    path = tmp_path / "sites.csv"
    path.write_bytes(csv_file("TW,Trung ương,central,,,,,,,", "T01,,province,TW,,,,,,"))

    call_command("import_endpoints", path, "--skip-invalid")

    assert capsys.readouterr() == (
        "1 created, 0 updated, 0 unchanged, 1 skipped.\n",
        "line 3: The name is required.\n",
    )
    assert list(Endpoint.objects.values_list("code", flat=True)) == ["TW"]


def test_import_endpoints_command_refuses_a_missing_file(db, tmp_path):
    path = tmp_path / "missing.csv"

    with pytest.raises(CommandError) as refused:
        call_command("import_endpoints", path)

    assert str(refused.value) == f"Cannot read {path}: No such file or directory"


# --- the importer's jurisdiction ---------------------------------------------------------------


@pytest.fixture
def hanoi_scope(hanoi):
    """An import for Hà Nội's office: its jurisdiction is T01."""
    office = OfficeFactory(code="VP-HN", name="Văn phòng UBND Hà Nội", jurisdiction=hanoi)
    return ImportScope(office=office)


@pytest.fixture
def other_province(centre):
    return EndpointFactory(code="T02", name="Lào Cai", level=Level.PROVINCE, parent=centre)


def test_import_row_under_a_site_outside_the_jurisdiction_is_a_row_error(
    hanoi_scope, other_province
):
    data = csv_file(
        "X0101,Phúc Xá,commune,T01,,,,,,",
        "X0201,Sa Pa,commune,T02,,,,,,",
    )

    report = import_endpoints(data, scope=hanoi_scope)

    assert report.errors == [
        RowError(
            3,
            "outside_jurisdiction",
            "Outside the jurisdiction of Văn phòng UBND Hà Nội (Hà Nội): X0201.",
        )
    ]
    assert report.written is False
    assert [code for code, _parent, _path in stored_tree()] == ["TW", "T01", "T02"]


def test_import_rows_outside_skipped_imports_the_rest(hanoi_scope, other_province):
    data = csv_file(
        "X0101,Phúc Xá,commune,T01,,,,,,",
        "X0201,Sa Pa,commune,T02,,,,,,",
        "T02,Lào Cai mới,province,TW,,,,,,",
        "T03,Tỉnh mới,province,,,,,,,",
    )

    report = import_endpoints(data, skip_invalid=True, scope=hanoi_scope)

    assert error_codes(report) == [
        (3, "outside_jurisdiction"),
        (4, "outside_jurisdiction"),
        (5, "outside_jurisdiction"),
    ]
    assert (report.created, report.skipped, report.written) == (1, 3, True)
    assert Endpoint.objects.get(code="T02").name == "Lào Cai"


def test_import_cannot_move_a_site_from_outside_into_the_jurisdiction(hanoi_scope, other_province):
    EndpointFactory(code="D0201", name="Sa Pa", level=Level.DISTRICT, parent=other_province)
    data = csv_file(
        "D0201,Sa Pa,district,T01,,,,,,",
        "X0202,Bản mới,commune,D0201,,,,,,",
    )

    report = import_endpoints(data, skip_invalid=True, scope=hanoi_scope)

    # The new commune would hang under D0201, which stays in Lào Cai: refused too.
    assert error_codes(report) == [(2, "outside_jurisdiction"), (3, "outside_jurisdiction")]
    assert report.written is False
    assert Endpoint.objects.get(code="D0201").parent.code == "T02"
    assert not Endpoint.objects.filter(code="X0202").exists()


def test_import_may_update_the_jurisdictions_own_root_in_place(hanoi_scope):
    report = import_endpoints(csv_file("T01,Thủ đô Hà Nội,province,TW,,,,,,"), scope=hanoi_scope)

    assert (report.updated, report.errors) == (1, [])
    assert Endpoint.objects.get(code="T01").name == "Thủ đô Hà Nội"


def test_import_for_no_office_changes_nothing(hanoi):
    report = import_endpoints(csv_file("X0101,Phúc Xá,commune,T01,,,,,,"), scope=ImportScope())

    assert report.errors == [
        RowError(
            2,
            "outside_jurisdiction",
            "X0101: this import acts for no office, so it may change no site.",
        )
    ]
    assert report.written is False
