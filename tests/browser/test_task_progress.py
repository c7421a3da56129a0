"""The assigned province reports progress on a task in Chromium: from the task list to
the task page, a percentage, a note and an evidence file; the page then shows the new
state and the report in the task's history."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.conclusions.models import TaskState
from meetings.followup.models import EvidenceFile
from tests.factories import DEMO_PASSWORD, UserFactory, booked, office_of, site_tree
from tests.meetings.followup.conftest import published_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_province_reports_progress_with_a_file(page, tmp_path):
    sites = site_tree(provinces=2, communes=1)
    centre = UserFactory(username="trunguong", roles=[Role.SECRETARIAT])
    province = UserFactory(username="thuky.hanoi", roles=[Role.SECRETARIAT], offices=[])
    hanoi = office_of(sites["T01"], "VP-HN", province, name="Văn phòng UBND Hà Nội")
    meeting = booked(centre, sites=SiteSelection(sites=("TW", "T01")), host_code="TW")
    task = published_task(
        meeting, hanoi, timezone.localdate() + timedelta(days=10), text="Rà soát điểm cầu xã"
    )
    evidence = tmp_path / "Báo cáo tiến độ.pdf"
    evidence.write_bytes(b"%PDF-1.7 tien do")

    page.goto("/login/")
    page.fill("#id_username", "thuky.hanoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")
    page.click("#nav-tasks")
    page.click(f"#task-{task.pk} a")
    page.fill("#form-progress #id_percent", "40")
    page.fill("#form-progress #id_note", "Đã rà soát 12/20 xã")
    page.set_input_files("#form-progress #id_files", str(evidence))
    page.click("#submit-progress")

    expect(page.locator("#task-percent")).to_have_text("40 %")
    expect(page.locator("#task-state")).to_have_text("Đang thực hiện")
    expect(page.locator("#task-history")).to_contain_text("Đã rà soát 12/20 xã")
    expect(page.locator("#task-history")).to_contain_text("Báo cáo tiến độ.pdf")
    task.refresh_from_db()
    assert (task.state, task.percent) == (TaskState.IN_PROGRESS, 40)
    assert EvidenceFile.objects.get().name == "Báo cáo tiến độ.pdf"
