"""The central office's working-days page: the year, one day announced or removed."""

from datetime import date

import pytest

from audit.models import AuditEntry
from workdays import calendar
from workdays.models import AnnouncedDay, AnnouncedKind

MAKE_UP = {
    "day": "30/01/2027",
    "kind": AnnouncedKind.WORKING_DAY,
    "name": "Làm bù cho ngày 11/02/2027",
    "decision": "Công văn 1234/TB-VPCP",
}


@pytest.mark.parametrize(
    "url",
    ["/working-days/", "/working-days/announce/", "/working-days/remove/", "/working-days/import/"],
)
@pytest.mark.parametrize("persona", ["lan", "root", "bob", "mallory"])
def test_pages_refuse_everyone_but_the_central_office(client_as, request, persona, url):
    user = request.getfixturevalue(persona)

    response = (
        client_as(user).post(url, MAKE_UP) if url != "/working-days/" else client_as(user).get(url)
    )

    assert response.status_code == 403
    assert AnnouncedDay.objects.count() == 0


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/working-days/")

    assert (response.status_code, response["Location"]) == (302, "/login/?next=/working-days/")


def test_year_lists_holidays_in_vietnamese_with_weekdays(client_as, alice):
    response = client_as(alice).get("/working-days/?year=2027")

    text = response.content.decode()
    assert response.status_code == 200
    assert "06/02/2027" in text
    assert "Tết Nguyên Đán" in text
    assert "<td>Thứ 7</td>" in text
    assert response.context["view"].working_days == 249


def test_nav_links_the_page_for_the_central_office_only(client_as, alice, lan):
    assert 'id="nav-working-days"' in client_as(alice).get("/").content.decode()
    assert 'id="nav-working-days"' not in client_as(lan).get("/").content.decode()


def test_bad_year_shows_this_year(client_as, alice):
    response = client_as(alice).get("/working-days/?year=abc")

    assert response.status_code == 200
    assert response.context["view"].year == date.today().year


def test_central_office_announces_a_make_up_saturday(client_as, alice):
    response = client_as(alice).post("/working-days/announce/", MAKE_UP)

    assert (response.status_code, response["Location"]) == (302, "/working-days/?year=2027")
    announced = AnnouncedDay.objects.get()
    assert (announced.day, announced.kind, announced.decision, announced.created_by) == (
        date(2027, 1, 30),
        AnnouncedKind.WORKING_DAY,
        "Công văn 1234/TB-VPCP",
        alice,
    )
    assert calendar.is_working_day(date(2027, 1, 30)) is True
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id, entry.changes) == (
        "working_day.announced",
        alice,
        str(announced.pk),
        {
            "day": "2027-01-30",
            "kind": "working_day",
            "name": "Làm bù cho ngày 11/02/2027",
            "decision": "Công văn 1234/TB-VPCP",
        },
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"day": "31/02/2027"}, "day", "Enter a date as dd/mm/yyyy, for example 31/12/2026."),
        ({"day": ""}, "day", "This field is required."),
        (
            {"kind": "holiday"},
            "kind",
            "Select a valid choice. holiday is not one of the available choices.",
        ),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 201}, "name", "Ensure this value has at most 200 characters (it has 201)."),
        ({"day": "01/02/2027"}, "kind", "01/02/2027 is already a working day."),
        (
            {"day": "06/02/2027", "kind": AnnouncedKind.DAY_OFF},
            "kind",
            "06/02/2027 is already a day off.",
        ),
    ],
)
def test_bad_announcement_is_refused_with_its_reason(
    client_as, alice, english, fields, field, message
):
    response = client_as(alice).post("/working-days/announce/", MAKE_UP | fields)

    assert response.status_code == 200
    assert response.context["announce_form"].errors[field] == [message]
    assert (AnnouncedDay.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_day_announced_twice_is_refused(client_as, alice, english):
    client_as(alice).post("/working-days/announce/", MAKE_UP)

    response = client_as(alice).post(
        "/working-days/announce/", MAKE_UP | {"name": "Một lý do khác"}
    )

    assert response.context["announce_form"].errors["day"] == [
        "30/01/2027 is already announced; remove it first to change it."
    ]
    assert AnnouncedDay.objects.get().name == "Làm bù cho ngày 11/02/2027"


def test_central_office_removes_an_announced_day(client_as, alice):
    client_as(alice).post("/working-days/announce/", MAKE_UP)
    assert calendar.is_working_day(date(2027, 1, 30)) is True

    response = client_as(alice).post("/working-days/remove/", {"day": "2027-01-30"})

    assert (response.status_code, response["Location"]) == (302, "/working-days/?year=2027")
    assert AnnouncedDay.objects.count() == 0
    assert calendar.is_working_day(date(2027, 1, 30)) is False
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "working_day.announced",
        "working_day.withdrawn",
    ]


def test_removing_a_day_never_announced_changes_nothing(client_as, alice):
    response = client_as(alice).post("/working-days/remove/", {"day": "2027-01-30"})

    assert response.status_code == 302
    assert AuditEntry.objects.count() == 0


def test_announced_days_are_in_the_central_offices_audit_trail(client_as, alice):
    client_as(alice).post("/working-days/announce/", MAKE_UP)
    client_as(alice).post("/working-days/remove/", {"day": "2027-01-30"})

    response = client_as(alice).get("/audit/")

    assert [entry.action for entry in response.context["page"]] == [
        "working_day.withdrawn",
        "working_day.announced",
    ]


def test_announced_days_are_not_in_a_provinces_audit_trail(client_as, alice, lan):
    client_as(alice).post("/working-days/announce/", MAKE_UP)

    response = client_as(lan).get("/audit/")

    assert list(response.context["page"]) == []


@pytest.mark.parametrize("count", [1, 3])
def test_year_page_queries_are_constant(client_as, alice, django_assert_num_queries, count):
    for offset in range(count):
        AnnouncedDay.objects.create(
            day=date(2027, 3, 6 + 7 * offset), kind=AnnouncedKind.WORKING_DAY, name="Làm bù"
        )
    client = client_as(alice)
    client.get("/working-days/?year=2027")

    with django_assert_num_queries(5):
        response = client.get("/working-days/?year=2027")

    assert len([e for e in response.context["view"].entries if e.announced]) == count


def test_year_shows_the_packages_make_up_saturday_and_announced_days(client_as, alice, english):
    AnnouncedDay.objects.create(
        day=date(2026, 12, 26),
        kind=AnnouncedKind.WORKING_DAY,
        name="Làm bù",
        decision="Công văn 1234/TB-VPCP",
    )

    response = client_as(alice).get("/working-days/?year=2026")

    rows = [
        (entry.day, entry.kind_label, entry.is_working_day, entry.announced is not None)
        for entry in response.context["view"].entries
        if entry.day.month in (8, 12)
    ]
    assert rows == [
        (date(2026, 8, 22), "Make-up working day", True, False),
        (date(2026, 8, 31), "Public holiday", False, False),
        (date(2026, 12, 26), "Announced make-up working day", True, True),
    ]
    text = response.content.decode()
    assert "Công văn 1234/TB-VPCP" in text
    assert 'name="day" value="2026-12-26"' in text
