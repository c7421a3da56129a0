"""Under Daphne, as a browser meets it: the secretariat must set up the second factor
after the password, then pass it at every sign-in (SECOND_FACTOR_REQUIRED on)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.second_factor_helpers import code_of_base32
from tests.factories import DEMO_PASSWORD, UserFactory
from tests.fixtures.browser import daphne_on_test_database, serving

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def second_factor_daphne(django_db_setup) -> Iterator[str]:
    """A Daphne child of its own, whose settings require the second factor."""
    with serving(
        daphne_on_test_database(),
        DJANGO_SETTINGS_MODULE="config.test_settings",
        SECOND_FACTOR_REQUIRED="true",
    ) as base_url:
        yield base_url


@pytest.fixture
def otp_page(browser, second_factor_daphne) -> Iterator:
    context = browser.new_context(
        base_url=second_factor_daphne, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def sign_in(page) -> None:
    page.goto("/login/")
    page.fill("#id_username", "thuky")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_load_state()


def test_secretariat_enrols_then_passes_the_second_factor_at_each_sign_in(otp_page):
    UserFactory(username="thuky", full_name="Nguyễn Thị Lan", roles=[Role.SECRETARIAT])
    page = otp_page

    sign_in(page)
    assert page.url.endswith("/second-factor/enrol/?next=%2F")
    expect(page.locator("h1")).to_have_text("Thiết lập xác thực hai lớp")
    # The QR code is drawn (an SVG image), not just present.
    assert page.eval_on_selector("#second-factor-qr", "img => img.complete && img.naturalWidth")
    page.goto("/meetings/")
    assert "/second-factor/enrol/" in page.url
    secret = page.inner_text("#second-factor-secret")
    page.fill("#id_code", code_of_base32(secret))
    page.click("#second-factor-submit")
    page.wait_for_load_state()
    expect(page.locator("#recovery-code-list li")).to_have_count(10)
    page.click("#recovery-codes-continue")
    page.wait_for_load_state()
    assert "/meetings/" in page.url
    expect(page.locator("h1")).not_to_have_text("Xác thực hai lớp")

    page.click(".user-menu summary")
    page.click("#logout-submit")
    page.wait_for_load_state()
    sign_in(page)
    assert page.url.endswith("/second-factor/?next=%2F")
    page.goto("/meetings/")
    assert page.url.endswith("/second-factor/?next=%2Fmeetings%2F")
    page.fill("#id_code", "000000")
    page.click("#second-factor-submit")
    page.wait_for_load_state()
    expect(page.locator("#id_code_error")).to_have_text("Mã không đúng.")
    page.wait_for_timeout(1100)  # django-otp refuses any code for 1 s after a wrong one
    page.fill("#id_code", code_of_base32(secret, steps_ahead=1))
    page.click("#second-factor-submit")
    page.wait_for_load_state()
    assert page.url.endswith("/meetings/")
    page.goto("/profile/")
    expect(page.locator("#second-factor-status .badge")).to_have_text("Đang bật")
