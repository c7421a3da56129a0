"""Under Daphne, as a browser meets it: password guessing ends in the Vietnamese lockout."""

import pytest
from playwright.sync_api import expect

from tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCKED_VI = (
    "Tài khoản này đã bị tạm khoá đăng nhập từ địa chỉ của bạn vì nhập sai mật khẩu quá "
    "nhiều lần. Hãy thử lại sau 15 phút hoặc nhờ quản trị viên mở khoá."
)


def submit(page, password: str) -> None:
    page.fill("#id_username", "thuky")
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_load_state()


def test_sign_in_lockout_refuses_the_right_password_in_vietnamese(page):
    UserFactory(username="thuky")
    page.goto("/login/")
    for number in range(5):
        submit(page, f"wrong-{number}")

    submit(page, DEMO_PASSWORD)

    expect(page.locator("[role=alert]").first).to_have_text(LOCKED_VI)
    assert page.url.endswith("/login/")
