"""A secretariat user signs in, opens the conference sites and switches to English."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from conferencing.models import Level
from tests.factories import DEMO_PASSWORD, EndpointFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_switch_language_on_endpoints(page):
    UserFactory(username="thuky", full_name="Lan", roles=[Role.SECRETARIAT])
    central = EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)
    EndpointFactory(code="HN", name="Hà Nội", level=Level.PROVINCE, parent=central)

    page.goto("/login/")
    page.fill("#id_username", "thuky")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")
    page.goto("/endpoints/")
    heading_in_vietnamese = page.locator("h1").inner_text()
    page.select_option("#language-select", "en")
    page.click("#language-submit")

    assert heading_in_vietnamese == "Điểm cầu"
    expect(page.locator("h1")).to_have_text("Conference sites")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("table.endpoint-table tbody tr")).to_have_count(2)
    assert page.url.endswith("/endpoints/")
