"""Ready means checked (issue 15), in the browser: a technician who ticks three checks of
four and presses "Sẵn sàng" reads why it was refused and gets the reason field; with a
reason the site is ready, and the readiness report shows that reason."""

import re

import pytest
from playwright.sync_api import expect

from conferencing.models import Leg
from tests.browser.test_readiness import DESKTOP, open_page, phone, session, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["open_page", "session"]  # fixtures, used by name

REASON = "Trình chiếu qua màn hình phụ"


def test_ready_with_a_failed_check_needs_a_reason_which_the_report_shows(open_page, session):
    meeting, host = session["meeting"], session["host"]
    console = phone(open_page)
    sign_in(console, "kythuat")
    console.goto("/meetings/console/")
    expect(console.locator("#console-connection")).to_have_attribute("data-connection", "live")
    leg = console.locator(f"#leg-{host.pk}")
    status = leg.locator("[data-role=status]")
    leg.locator("button[value=checking]").tap()
    expect(status).to_have_attribute("data-status", "ok")
    for check in ("audio", "video", "network"):  # the display is not ok
        leg.locator(f'label[for="leg-{host.pk}-{check}"]').tap()
    reason = leg.locator(f"#leg-{host.pk}-override")
    expect(reason).to_be_hidden()

    leg.locator("button[value=ready]").tap()

    expect(status).to_have_attribute("data-status", "error")
    expect(status).to_have_text(re.compile(r"^Chưa sẵn sàng: Màn hình chưa đạt\."))
    expect(leg.locator("[data-role=state]")).to_have_attribute("data-state", "checking")
    expect(reason).to_be_visible()
    expect(reason).to_be_focused()

    reason.fill(REASON)
    leg.locator("button[value=ready]").tap()

    expect(leg.locator("[data-role=state]")).to_have_attribute("data-state", "ready")
    expect(status).to_have_attribute("data-status", "ok")
    assert Leg.objects.values_list("state", "override_reason").get(pk=host.pk) == (
        "ready",
        REASON,
    )
    assert console.evaluate("document.documentElement.scrollWidth") <= 390

    report = open_page(DESKTOP)
    sign_in(report, "thuky")
    report.goto(f"/meetings/{meeting.pk}/readiness/")
    notes = report.locator('#report-sites tr[data-site="T01"] .report-notes')
    expect(notes.locator('[data-note="override"]')).to_have_text(
        f"Sẵn sàng dù có mục chưa đạt: {REASON}"
    )
    expect(notes.locator('[data-note="checks"]')).to_have_text("Mục kiểm tra chưa đạt: Màn hình")
