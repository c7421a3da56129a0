"""A conclusion notice from draft to published in Chromium: the secretariat drafts two
tasks in the editor and submits, a second member of the office approves, numbers and
signs (PAdES, the test CA's PKCS#12 signer in the Daphne child's environment) and
publishes; the tasks exist with their deadlines and the page says it is published."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.conclusions.models import ConclusionNotice, NoticeState, Task
from tests.browser.test_recording_upload import page_at
from tests.factories import (
    DEMO_PASSWORD,
    BridgeFactory,
    UserFactory,
    booked,
    end_now,
    local_time,
    office_of,
    site_tree,
)
from tests.fixtures.browser import daphne_on_test_database, serving
from tests.signatures.fixtures import authority, holder  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def signing_daphne(django_db_setup, holder) -> Iterator[str]:  # noqa: F811
    """A Daphne child of its own whose office signer is the test CA's PKCS#12 file."""
    with serving(
        daphne_on_test_database(),
        DJANGO_SETTINGS_MODULE="config.test_settings",
        SIGNING_PKCS12_FILE=str(holder.pkcs12_file),
        SIGNING_PKCS12_PASSWORD=holder.password,
    ) as base_url:
        yield base_url


def sign_in(browser, base_url: str, username: str):
    context, page = page_at(browser, base_url)
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")
    return context, page


def test_draft_approve_sign_and_publish_a_notice_with_two_tasks(browser, signing_daphne):
    sites = site_tree(provinces=2, communes=1)
    office_of(sites["T01"], "VP-HN", name="Văn phòng UBND Hà Nội")
    office_of(sites["T02"], "VP-T02", name="Văn phòng UBND T02")
    drafter = UserFactory(username="thuky", full_name="Lan", roles=[Role.SECRETARIAT])
    UserFactory(username="pho", full_name="Minh", roles=[Role.SECRETARIAT])
    meeting = end_now(
        booked(
            drafter,
            bridge_id=BridgeFactory(name="MCU Trung ương").pk,
            sites=SiteSelection(sites=("TW", "X0101", "X0201")),
            host_code="TW",
            slot__start=local_time(3, 8),
        )
    )

    context, page = sign_in(browser, signing_daphne, "thuky")
    page.goto(f"/meetings/{meeting.pk}/")
    page.click("#conclusions-open")
    expect(page.locator("#notice-countdown")).to_contain_text("ngày làm việc")
    first = page.locator("#notice-item-0")
    first.locator("textarea").fill("Hoàn thành báo cáo chuyển đổi số.")
    first.get_by_label("Đây là nhiệm vụ").check()
    first.get_by_label("Văn phòng UBND Hà Nội").check()
    first.locator("input[name$='deadline_working_days']").fill("5")
    second = page.locator("#notice-item-1")
    second.locator("textarea").fill("Rà soát các điểm cầu xã.")
    second.get_by_label("Đây là nhiệm vụ").check()
    second.get_by_label("Văn phòng UBND Hà Nội").check()
    second.get_by_label("Văn phòng UBND T02").check()
    second.locator("input[name$='deadline_on']").fill(local_time(30, 0).date().isoformat())
    page.click("#notice-save")
    expect(page.locator("#notice-state")).to_have_text("Dự thảo")
    page.click("#notice-submit")
    expect(page.locator("#notice-approval-note")).to_contain_text("hai người")
    context.close()

    context, page = sign_in(browser, signing_daphne, "pho")
    page.goto(f"/meetings/{meeting.pk}/conclusions/")
    page.click("#notice-approve")
    page.click("#notice-sign")
    expect(page.locator("#notice-pdf")).to_be_visible()
    page.click("#notice-publish")
    expect(page.locator("#notice-state")).to_have_text("Đã ban hành")
    expect(page.locator(".notice-tasks li")).to_have_count(3)
    context.close()

    notice = ConclusionNotice.objects.get(meeting=meeting)
    assert (notice.state, notice.number_symbol) == (NoticeState.PUBLISHED, "01/TB-VPCP")
    assert sorted(Task.objects.values_list("item__position", "office__code")) == [
        (1, "VP-HN"),
        (2, "VP-HN"),
        (2, "VP-T02"),
    ]
