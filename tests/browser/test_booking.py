"""A secretariat user books a session for a province and its communes, sees a conflict
appear before submitting, resolves it, and sees the session in the week view."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from conferencing.models import Level
from conferencing.site_selection import SiteSelection
from meetings.booking import BookingRequest, Details, Slot, book
from meetings.models import Meeting
from tests.factories import DEMO_PASSWORD, BridgeFactory, EndpointFactory, UserFactory, local_time

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Giao ban tỉnh P1 tháng 12"


@pytest.fixture
def setting():
    """TW; province P1 with communes P1-01…P1-03; province P2; a bridge; and a session
    that already holds commune P1-02 from 08:30 to 09:30, a week ahead."""
    secretary = UserFactory(username="thuky", full_name="Lan", roles=[Role.SECRETARIAT])
    central = EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)
    p1 = EndpointFactory(code="P1", name="Tỉnh Một", level=Level.PROVINCE, parent=central)
    for number, name in enumerate(["Xã An", "Xã Bình", "Xã Cường"], start=1):
        EndpointFactory(code=f"P1-0{number}", name=name, level=Level.COMMUNE, parent=p1)
    EndpointFactory(code="P2", name="Tỉnh Hai", level=Level.PROVINCE, parent=central)
    bridge = BridgeFactory(name="MCU Quốc gia", port_capacity=100)
    start = local_time(7, 8, 30)
    existing = book(
        BookingRequest(
            details=Details(title="Tập huấn xã Bình"),
            slot=Slot(start, start + timedelta(hours=1), setup_minutes=0),
            bridge_id=bridge.pk,
            sites=SiteSelection(sites=("P1-02",)),
            host_code="P1-02",
        ),
        secretary,
    )
    return {"day": local_time(7, 0).date(), "existing": existing}


def sign_in(page) -> None:
    page.goto("/login/")
    page.fill("#id_username", "thuky")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")


def fill_session(page, day) -> None:
    page.goto("/meetings/new/")
    page.fill("#id_title", TITLE)
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "08:00")
    page.fill("#id_end_time", "10:00")
    page.check("input[name=subtrees][value=P1]")
    page.fill("#id_host", "P1")


def test_book_a_province_resolve_a_conflict_and_find_it_in_the_week(page, setting):
    sign_in(page)
    fill_session(page, setting["day"])

    # The dry run names the busy commune before anything is submitted.
    conflict = page.locator("#conflicts #conflict-list")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".conflict-site")).to_have_text(["Xã Bình P1-02"])
    expect(conflict.locator(".conflict-title")).to_have_text("Tập huấn xã Bình")
    assert Meeting.objects.count() == 1

    page.click("#exclusions summary")
    page.fill("#id_exclude_sites", "P1-02")
    expect(page.locator("#conflicts #no-conflict")).to_be_visible()
    expect(page.locator("#conflicts #conflict-list")).to_have_count(0)

    page.click("#booking-submit")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    expect(page.locator("#meeting-title")).to_have_text(TITLE)
    expect(page.locator("#meeting-host")).to_contain_text("P1")
    expect(page.locator(".messages .message-success")).to_have_count(1)
    booked = Meeting.objects.exclude(pk=setting["existing"].pk).get()
    assert sorted(booked.conference.legs.values_list("endpoint__code", flat=True)) == [
        "P1",
        "P1-01",
        "P1-03",
    ]

    page.goto(f"/meetings/week/?start={setting['day'].isoformat()}")
    day = page.locator(f"#day-{setting['day'].isoformat()}")
    expect(day.locator(f"#meeting-{booked.pk} .week-session-title")).to_have_text(TITLE)
    expect(day.locator(f"#meeting-{booked.pk} .week-session-time")).to_have_text("08:00\u201310:00")


def test_leave_the_busy_sites_out_with_one_click(page, setting):
    sign_in(page)
    fill_session(page, setting["day"])
    expect(page.locator("#conflicts #conflict-list")).to_be_visible()

    page.click("#conflicts .exclude-busy")

    expect(page.locator("#id_exclude_sites")).to_have_value("P1-02")
    expect(page.locator("#exclusions")).to_have_attribute("open", "")
    expect(page.locator("#conflicts #no-conflict")).to_be_visible()


def test_series_fields_show_only_when_repeating(page, setting):
    sign_in(page)
    page.goto("/meetings/new/")

    expect(page.locator("#series-details")).to_be_hidden()
    page.select_option("#id_repeat", "WEEKLY")
    expect(page.locator("#series-details")).to_be_visible()
