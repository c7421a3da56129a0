"""The host picker and the site search, in Chromium: a secretary types "hoan kiem", picks
"Phường Hoàn Kiếm" with the keyboard, and the session is booked with that host; a site
is added to the list the same way; the directory finds it without diacritics."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from conferencing.models import Level
from meetings.models import Meeting
from tests.factories import DEMO_PASSWORD, BridgeFactory, EndpointFactory, UserFactory, local_time

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting():
    """TW; Hà Nội (HN) with Phường Hoàn Kiếm (HK) and Phường Ba Đình (BD); Đà Nẵng (DN)
    with Xã Hòa Vang (HV); a bridge; the central office's secretary."""
    UserFactory(username="thuky", full_name="Lan", roles=[Role.SECRETARIAT])
    central = EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)
    hanoi = EndpointFactory(code="HN", name="Hà Nội", level=Level.PROVINCE, parent=central)
    EndpointFactory(code="HK", name="Phường Hoàn Kiếm", level=Level.COMMUNE, parent=hanoi)
    EndpointFactory(code="BD", name="Phường Ba Đình", level=Level.COMMUNE, parent=hanoi)
    da_nang = EndpointFactory(code="DN", name="Đà Nẵng", level=Level.PROVINCE, parent=central)
    EndpointFactory(code="HV", name="Xã Hòa Vang", level=Level.COMMUNE, parent=da_nang)
    BridgeFactory(name="MCU Quốc gia", port_capacity=100)
    return {"day": local_time(7, 0).date()}


def sign_in(page) -> None:
    page.goto("/login/")
    page.fill("#id_username", "thuky")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")


def test_pick_the_host_by_typing_its_name_without_marks(page, setting):
    sign_in(page)
    page.goto("/meetings/new/")
    page.fill("#id_title", "Giao ban Hà Nội")
    page.fill("#id_date", setting["day"].isoformat())
    page.fill("#id_start_time", "08:00")
    page.fill("#id_end_time", "10:00")
    page.check("input[name=subtrees][value=HN]")

    host = page.locator("#id_host")
    expect(host).to_have_attribute("role", "combobox")
    host.press_sequentially("hoan kiem")
    listbox = page.locator(f"#{host.get_attribute('aria-controls')}")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Phường Hoàn Kiếm")
    expect(options.first).to_contain_text("HK")
    expect(host).to_have_attribute("aria-expanded", "true")
    host.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(host).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    host.press("Enter")

    # Enter picked the site: the field holds its code, the form was not sent.
    expect(host).to_have_value("HK")
    expect(host).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="Phường Hoàn Kiếm (HK)")).to_be_visible()
    assert page.url.endswith("/meetings/new/")
    expect(page.locator("#conflicts #no-conflict")).to_be_visible()

    page.click("#booking-submit")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    expect(page.locator("#meeting-host")).to_contain_text("Phường Hoàn Kiếm")
    assert Meeting.objects.get().conference.legs.get(role="host").endpoint.code == "HK"


def test_a_site_is_added_by_name_and_nothing_found_is_said(page, setting):
    sign_in(page)
    page.goto("/meetings/new/")

    adder = page.locator("#add-site")
    adder.press_sequentially("HÒA VANG")
    options = page.locator(f"#{adder.get_attribute('aria-controls')}").get_by_role("option")
    expect(options).to_have_text([re.compile("Xã Hòa Vang")])
    adder.press("ArrowDown")
    adder.press("Enter")

    expect(page.locator("#id_sites")).to_have_value("HV")
    expect(adder).to_have_value("")

    adder.press_sequentially("can tho")
    expect(page.get_by_role("status").filter(has_text="can tho")).to_have_text(
        "Không tìm thấy điểm cầu nào khớp với “can tho”."
    )
    expect(options).to_have_count(0)


def test_the_directory_finds_a_site_without_its_marks(page, setting):
    sign_in(page)
    page.goto("/endpoints/")

    page.fill("#id_q", "da nang")
    page.click("#search-submit")

    expect(page.locator("#result-count")).to_have_text(re.compile("1"))
    expect(page.get_by_role("link", name="Đà Nẵng", exact=True)).to_be_visible()
