"""Date and time entry follows the app's language, not the browser's: a text field in
dd/mm/yyyy and HH:mm with a Vietnamese picker (flatpickr, served from static/vendor/),
even in a browser set to American English, under the strict CSP."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from tests.factories import DEMO_PASSWORD, BridgeFactory, UserFactory, site_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def american_browser(browser, live_daphne) -> Iterator[tuple[Page, list[str]]]:
    """A page of a browser in en-US (whose own pickers say 12/31/2026, 2:30 PM) where the
    app was set to Vietnamese (its language menu's cookie), and the console errors it
    logs (a CSP refusal is one)."""
    context = browser.new_context(
        base_url=live_daphne, locale="en-US", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.add_cookies([{"name": "django_language", "value": "vi", "url": live_daphne}])
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        yield page, errors
    finally:
        context.close()


@pytest.fixture
def secretary():
    site_tree(provinces=1, communes=1)
    BridgeFactory()
    return UserFactory(username="thuky", full_name="Lan", roles=[Role.SECRETARIAT])


def sign_in_to_the_booking_form(page: Page) -> None:
    page.goto("/login/")
    page.fill("#id_username", "thuky")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")
    page.goto("/meetings/new/")


def test_the_date_picker_speaks_vietnamese_and_writes_day_first(american_browser, secretary):
    page, errors = american_browser
    sign_in_to_the_booking_form(page)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    date = page.locator("#id_date")
    expect(date).to_have_attribute("type", "text")
    expect(date).to_have_attribute("placeholder", "nn/tt/nnnn")

    date.click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar.locator(".flatpickr-weekday").first).to_have_text("T2")
    expect(calendar.locator(".flatpickr-monthDropdown-month").first).to_have_text("Tháng một")
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)").nth(14).click()

    expect(date).to_have_value(re.compile(r"^15/\d\d/\d{4}$"))
    assert errors == []


def test_typed_dates_and_times_are_kept_or_made_day_first(american_browser, secretary):
    page, errors = american_browser
    page.context.clear_cookies()  # English throughout: the formats are the same
    sign_in_to_the_booking_form(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.fill("#id_date", "2030-03-04")
    page.fill("#id_start_time", "8h05")
    page.fill("#id_end_time", "14:30")
    page.locator("#id_title").click()

    expect(page.locator("#id_date")).to_have_value("04/03/2030")
    expect(page.locator("#id_start_time")).to_have_value("08:05")
    expect(page.locator("#id_end_time")).to_have_value("14:30")
    assert errors == []
