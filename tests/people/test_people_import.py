"""The people import's rules: each bad row with its line and reason, all or nothing,
--skip-invalid, idempotent re-runs, what is added to a person, audit and invitations."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from accounts.models import Person, Source
from accounts.roles import Role, roles_of
from audit.models import AuditEntry
from people.people_import import PeopleScope, import_people
from tests.factories import UserFactory, serve
from tests.people.conftest import csv_of

User = get_user_model()

LAN = "Nguyễn Thị Lan,lan@hanoi.gov.vn,0912 345 678,lan,Kỹ thuật viên,VP-HN,X0101;X0102"
HUNG = "Trần Văn Hùng,hung@hanoi.gov.vn,+84 24 3825 3535,,Thư ký,,"


def errors_of(report) -> list[tuple[int, str]]:
    return [(error.line, error.code) for error in report.errors]


def test_new_people_are_created_with_their_role_office_and_sites(run_import, hanoi):
    report = run_import(csv_of(LAN, HUNG))

    assert (report.created, report.updated, report.unchanged, report.invalid) == (2, 0, 0, 0)
    assert report.written is True
    lan = User.objects.select_related("person").get(username="lan")
    assert (lan.person.full_name, lan.email, lan.person.phone) == (
        "Nguyễn Thị Lan",
        "lan@hanoi.gov.vn",
        "0912345678",
    )
    assert lan.has_usable_password() is False
    assert roles_of(lan) == {Role.TECHNICIAN}
    assert list(lan.offices.values_list("code", flat=True)) == ["VP-HN"]
    assert sorted(lan.served_endpoints.values_list("code", flat=True)) == ["X0101", "X0102"]
    assert lan.person.search_key == "nguyen thi lan lan lan@hanoi.gov.vn"
    # No username: the e-mail address is the username; no office: the importer's.
    hung = User.objects.select_related("person").get(email="hung@hanoi.gov.vn")
    assert (hung.username, hung.person.phone) == ("hung@hanoi.gov.vn", "02438253535")
    assert roles_of(hung) == {Role.SECRETARIAT}
    assert list(hung.offices.all()) == [hanoi]


def test_vietnamese_headers_and_a_byte_order_mark_are_read(run_import):
    content = (
        "\ufeffHọ và tên,Thư điện tử,Số điện thoại,Tên đăng nhập,Vai trò,Mã đơn vị,Mã điểm cầu\n"
        "Đặng Văn Minh,minh@hanoi.gov.vn,0987654321,minh,Đại biểu,VP-HN,\n"
    )

    report = run_import(content)

    assert (report.created, report.errors) == (1, [])
    assert User.objects.get(username="minh").person.full_name == "Đặng Văn Minh"


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (",a@hanoi.gov.vn,,,,,", "name_missing"),
        ("Lan,,,,,,", "email_missing"),
        ("Lan,not-an-address,,,,,", "email_invalid"),
        ("Lan,a@hanoi.gov.vn,12345,,,,", "phone_invalid"),
        ("Lan,a@hanoi.gov.vn,0912-ABC-678,,,,", "phone_invalid"),
        ("Lan,a@hanoi.gov.vn,,two words,,,", "username_invalid"),
        ("Lan,a@hanoi.gov.vn,,,Giám đốc,,", "role_unknown"),
        ("Lan,a@hanoi.gov.vn,,,,NOPE,", "office_unknown"),
        ("Lan,a@hanoi.gov.vn,,,,VP-T02,", "office_outside"),
        ("Lan,a@hanoi.gov.vn,,,,VP-HN,X0101;NOPE", "site_unknown"),
        ("Lan,a@hanoi.gov.vn,,,,VP-HN,X0201", "site_outside"),
    ],
)
def test_each_bad_row_is_reported_with_its_line_and_reason(run_import, other, row, code):
    report = run_import(csv_of(LAN, row))

    assert errors_of(report) == [(3, code)]
    assert report.written is False
    assert User.objects.filter(username="lan").exists() is False


def test_a_site_outside_the_rows_own_office_is_refused_even_inside_the_importers(
    run_import, sites, hanoi
):
    from tests.factories import OfficeFactory

    OfficeFactory(code="VP-X0101", jurisdiction=sites["X0101"])

    report = run_import(csv_of("Lan,a@hanoi.gov.vn,,,Technician,VP-X0101,X0102"))

    assert errors_of(report) == [(2, "site_outside")]
    assert "VP-X0101" in report.errors[0].message


def test_duplicates_in_the_file_are_reported_on_the_later_line(run_import):
    report = run_import(
        csv_of(
            LAN,
            "Lan Hai,LAN@hanoi.gov.vn,,,,,",
            "Lan Ba,lan3@hanoi.gov.vn,,lan,,,",
        )
    )

    assert errors_of(report) == [(3, "duplicate_email"), (4, "duplicate_username")]
    assert "line 2" in report.errors[0].message or "dòng 2" in report.errors[0].message


def test_an_e_mail_of_another_stored_person_is_a_duplicate(run_import, hanoi):
    UserFactory(username="thu", email="thu@hanoi.gov.vn", offices=[hanoi])

    report = run_import(csv_of("Lan,thu@hanoi.gov.vn,,lan,,,"))

    # "lan" is new, but the address is thu's: matched by e-mail, the username is kept.
    assert errors_of(report) == []
    assert (report.created, report.updated) == (0, 1)


def test_a_username_and_an_e_mail_of_two_different_people_is_refused(run_import, hanoi):
    UserFactory(username="lan", email="lan@hanoi.gov.vn", offices=[hanoi])
    UserFactory(username="thu", email="thu@hanoi.gov.vn", offices=[hanoi])

    report = run_import(csv_of("Lan,thu@hanoi.gov.vn,,lan,,,"))

    assert errors_of(report) == [(2, "duplicate_email")]


def test_a_new_username_taken_by_someone_else_is_refused(run_import, hanoi):
    UserFactory(username="lan@hanoi.gov.vn", email="other@hanoi.gov.vn", offices=[hanoi])

    report = run_import(csv_of("Lan,lan@hanoi.gov.vn,,,,,"))

    assert errors_of(report) == [(2, "duplicate_username")]


def test_another_provinces_person_is_not_matched(run_import, other):
    UserFactory(username="olga", email="olga@t02.gov.vn", offices=[other])

    report = run_import(csv_of("Olga,olga@t02.gov.vn,,,,,"))

    assert errors_of(report) == [(2, "person_not_managed")]
    assert report.written is False


def test_the_pages_rules_hold_for_the_rows_that_add_a_role_or_an_office(
    run_import, hana, hanoi, other
):
    directory = UserFactory(username="lan", email="lan@hanoi.gov.vn", offices=[hanoi])
    Person.objects.filter(user=directory).update(source=Source.LDAP)
    shared = UserFactory(username="minh", email="minh@hanoi.gov.vn", offices=[hanoi, other])
    # hana herself: her e-mail from the factory.

    report = run_import(
        csv_of(
            "Nguyễn Thị Lan,lan@hanoi.gov.vn,,lan,Thư ký,VP-HN,",
            "Hana,hana@example.vn,,hana,Kỹ thuật viên,VP-HN,",
            "Lê Minh,minh@hanoi.gov.vn,,minh,Thư ký,VP-HN,",
        )
    )

    assert errors_of(report) == [(2, "directory_person"), (3, "self"), (4, "person_shared")]
    assert report.written is False
    assert not roles_of(User.objects.get(pk=shared.pk))


def test_another_provinces_office_cannot_import_into_hanoi(olga, other, hanoi):
    from people.people_import import scope_for

    report = import_people(
        csv_of("Lan,lan@hanoi.gov.vn,,,,VP-HN,X0101").encode(),
        actor=olga,
        scope=scope_for(olga, other),
    )

    assert errors_of(report) == [(2, "office_outside")]
    assert User.objects.filter(email="lan@hanoi.gov.vn").exists() is False


def test_a_member_who_left_the_office_imports_nowhere(hana, hanoi):
    from people.people_import import scope_for

    hanoi.members.remove(hana)

    report = import_people(
        csv_of("Lan,lan@hanoi.gov.vn,,,,VP-HN,").encode(), actor=hana, scope=scope_for(hana, hanoi)
    )

    assert errors_of(report) == [(2, "office_outside")]


def test_one_bad_row_writes_nothing(run_import):
    report = run_import(csv_of(LAN, HUNG, "Bad,bad-address,,,,,"))

    assert report.written is False
    assert (report.created, report.invalid) == (0, 1)
    assert User.objects.filter(email__endswith="hanoi.gov.vn").count() == 0


def test_skip_invalid_writes_the_good_rows_only(run_import):
    report = run_import(csv_of(LAN, "Bad,bad-address,,,,,", HUNG), skip_invalid=True)

    assert report.written is True
    assert (report.created, report.invalid) == (2, 1)
    assert errors_of(report) == [(3, "email_invalid")]
    assert report.bad_rows == [
        (3, ["Bad", "bad-address", "", "", "", "", ""], report.errors[0].message)
    ]
    assert sorted(
        User.objects.filter(email__endswith="hanoi.gov.vn").values_list("email", flat=True)
    ) == [
        "hung@hanoi.gov.vn",
        "lan@hanoi.gov.vn",
    ]


def test_a_dry_run_counts_and_writes_nothing(run_import, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        report = run_import(csv_of(LAN, HUNG), dry_run=True)

    assert (report.created, report.written, report.dry_run) == (2, False, True)
    assert User.objects.filter(email__endswith="hanoi.gov.vn").count() == 0
    assert callbacks == []


def test_running_it_twice_changes_nothing(run_import):
    run_import(csv_of(LAN, HUNG))
    before = list(Person.objects.order_by("pk").values_list("user_id", "updated_at"))
    audited = AuditEntry.objects.count()

    report = run_import(csv_of(LAN, HUNG))

    assert (report.created, report.updated, report.unchanged, report.invalid) == (0, 0, 2, 0)
    assert list(Person.objects.order_by("pk").values_list("user_id", "updated_at")) == before
    assert AuditEntry.objects.count() == audited


def test_a_changed_row_updates_and_adds_and_is_audited(run_import, hana, hanoi, sites):
    lan = UserFactory(
        username="lan",
        email="old@hanoi.gov.vn",
        full_name="Nguyen Thi Lan",
        roles=[Role.ATTENDEE],
    )
    serve(lan, "X0101")

    report = run_import(csv_of(LAN))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    lan.refresh_from_db()
    lan.person.refresh_from_db()
    assert (lan.email, lan.person.full_name, lan.person.phone) == (
        "lan@hanoi.gov.vn",
        "Nguyễn Thị Lan",
        "0912345678",
    )
    # Added, never taken away: the attendee role stays.
    assert roles_of(lan) == {Role.ATTENDEE, Role.TECHNICIAN}
    assert sorted(lan.served_endpoints.values_list("code", flat=True)) == ["X0101", "X0102"]
    entry = AuditEntry.objects.get(action="person.import_changed")
    assert (entry.actor, entry.target_id) == (hana, str(lan.pk))
    assert entry.changes == {
        "line": 2,
        "roles_added": ["Technician"],
        "office_added": "VP-HN",
        "sites_added": ["X0102"],
        "before": {"full_name": "Nguyen Thi Lan", "email": "old@hanoi.gov.vn", "phone": ""},
    }


def test_created_people_are_audited_in_one_write(run_import, hana):
    run_import(csv_of(LAN, HUNG))

    assert sorted(
        AuditEntry.objects.filter(action="person.imported").values_list("changes", flat=True),
        key=lambda changes: changes["line"],
    ) == [
        {
            "line": 2,
            "roles_added": ["Technician"],
            "office_added": "VP-HN",
            "sites_added": ["X0101", "X0102"],
        },
        {"line": 3, "roles_added": ["Secretariat"], "office_added": "VP-HN"},
    ]


def test_a_formula_cell_is_kept_as_text(run_import):
    report = run_import(csv_of('"=HYPERLINK(""http://x.example"",""a"")",f@hanoi.gov.vn,,,,,'))

    assert report.created == 1
    assert User.objects.get(email="f@hanoi.gov.vn").person.full_name == (
        '=HYPERLINK("http://x.example","a")'
    )


def test_a_file_that_is_not_utf8_is_refused_with_its_line(run_import):
    # "Văn Bình" as Windows-1258 writes it.
    content = csv_of(LAN).encode() + b"V\xe3n B\xecnh,binh@hanoi.gov.vn,,,,,\n"

    report = run_import(content)

    assert errors_of(report) == [(3, "encoding")]
    assert report.written is False


@override_settings(PEOPLE_IMPORT_MAX_ROWS=2)
def test_too_many_rows_refuses_the_file(run_import):
    report = run_import(csv_of(LAN, HUNG, "Ba,ba@hanoi.gov.vn,,,,,"))

    assert errors_of(report) == [(4, "too_many_rows")]
    assert User.objects.filter(email__endswith="hanoi.gov.vn").count() == 0


@override_settings(PEOPLE_IMPORT_MAX_BYTES=1024)
def test_too_large_a_file_is_refused(run_import):
    report = run_import(csv_of(*[f"P{n},p{n}@hanoi.gov.vn,,,,," for n in range(60)]))

    assert errors_of(report) == [(0, "too_large")]


def test_an_unknown_or_missing_column_refuses_the_file(run_import):
    report = run_import("full_name,phone,department\nLan,0912345678,IT\n")

    assert errors_of(report) == [(1, "header")]
    assert "email" in report.errors[0].message and "department" in report.errors[0].message


def test_a_row_without_office_needs_one_when_the_importer_acts_for_none(hanoi, sites):
    root = UserFactory(username="root", is_superuser=True)

    report = import_people(
        csv_of("Lan,lan@hanoi.gov.vn,,,,,").encode(),
        actor=root,
        scope=PeopleScope(user=root, unrestricted=True),
    )

    assert errors_of(report) == [(2, "office_missing")]


def test_english_messages(run_import):
    from django.utils import translation

    with translation.override("en"):
        report = run_import(csv_of("Lan,a@hanoi.gov.vn,,,,NOPE,"))

    assert report.errors[0].message == "No active office has the code NOPE."


def test_vietnamese_messages(run_import):
    from django.utils import translation

    with translation.override("vi"):
        report = run_import(csv_of("Lan,a@hanoi.gov.vn,,,,NOPE,"))

    assert report.errors[0].message == "Không có đơn vị đang hoạt động nào mang mã NOPE."


@override_settings(PEOPLE_IMPORT_MAX_ROWS=2)
def test_blank_rows_do_not_count_as_people(run_import):
    report = run_import(csv_of(LAN, ",,,,,,", "", HUNG, ",,,,,,"))

    assert (report.created, report.errors) == (2, [])
