"""The central secretariat changes a national session's sites in the booking picker:
the page opens with the levels and provinces it was booked with, unticking a province
drops the live count by that province's sites, and after saving the session has no
leg left in that province. Moving it shows the same live conflict check as booking."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from conferencing.models import Endpoint, Leg, Level
from conferencing.site_selection import SiteSelection
from tests.factories import (
    DEMO_PASSWORD,
    BridgeFactory,
    UserFactory,
    booked,
    bulk_communes,
    local_time,
    site_tree,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIG_PROVINCE_COMMUNES = 1200


@pytest.fixture
def national():
    """TW; provinces T01…T03 with 2 communes each, and 1,200 more communes in T02 (1,210
    sites in all); a session a week ahead booked as "the centre and all provinces with
    their communes", and another one at 14:00 on T01."""
    secretary = UserFactory(username="thuky", full_name="Lan", roles=[Role.SECRETARIAT])
    sites = site_tree(provinces=3, communes=2)
    bulk_communes(sites["T02"], BIG_PROVINCE_COMMUNES)
    bridge = BridgeFactory(name="MCU Quốc gia", port_capacity=5000)
    meeting = booked(
        secretary,
        bridge_id=bridge.pk,
        sites=SiteSelection(levels=(Level.CENTRAL,), subtrees=("T01", "T02", "T03")),
        host_code="TW",
        slot__start=local_time(7, 8),
    )
    other = booked(
        secretary,
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=local_time(7, 14),
        details__title="Họp chiều Hà Nội",
    )
    return {"meeting": meeting, "other": other}


def sign_in(page) -> None:
    page.goto("/login/")
    page.fill("#id_username", "thuky")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")


def test_remove_one_province_from_a_national_session(page, national):
    meeting = national["meeting"]
    sign_in(page)
    page.goto(f"/meetings/{meeting.pk}/sites/")

    # The picker as booking left it: the central level and three provinces, no codes.
    expect(page.locator(f"input[name=levels][value='{Level.CENTRAL.value}']")).to_be_checked()
    for code in ("T01", "T02", "T03"):
        expect(page.locator(f"input[name=subtrees][value={code}]")).to_be_checked()
    expect(page.locator("#id_sites")).to_have_value("")
    expect(page.locator("#site-count")).to_have_text("1.210 điểm cầu")

    page.uncheck("input[name=subtrees][value=T02]")

    # T02, its 2 communes and its 1,200 more leave: 1,210 - 1,203.
    expect(page.locator("#site-count")).to_have_text("7 điểm cầu")
    expect(page.locator("#conflicts #no-conflict")).to_be_visible()
    page.click("#sites-submit")
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))

    legs = Leg.objects.filter(conference=meeting.conference)
    assert legs.count() == 7
    province = Endpoint.objects.get(code="T02")
    assert not legs.filter(endpoint__path__startswith=province.path).exists()
    meeting.conference.refresh_from_db()
    assert meeting.conference.site_selection == {
        "levels": [Level.CENTRAL.value],
        "subtrees": ["T01", "T03"],
    }


def test_reschedule_shows_the_conflict_before_moving(page, national):
    meeting = national["meeting"]
    sign_in(page)
    page.goto(f"/meetings/{meeting.pk}/reschedule/")
    expect(page.locator("#conflicts .conflicts-idle")).to_be_visible()

    page.fill("#id_start_time", "14:30")
    page.fill("#id_end_time", "15:30")

    conflict = page.locator("#conflicts #conflict-list")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".conflict-title")).to_have_text("Họp chiều Hà Nội")
    page.fill("#id_start_time", "17:00")
    page.fill("#id_end_time", "18:00")
    expect(page.locator("#conflicts #no-conflict")).to_be_visible()
