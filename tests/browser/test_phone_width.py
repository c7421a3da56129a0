"""Phones: every main page is usable 390 px wide without scrolling sideways.

Each page is opened in Chromium at 390 by 844 as a phone (touch, scale 2); the document
must be no wider than the screen, and no element may stick out on the right unless it
sits in a container that scrolls on its own (a wide table in its `.table-wrap`)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from accounts.roles import Role
from meetings.calendar import feed_tokens
from meetings.calendar.models import FeedKind
from meetings.records.models import RecordKind
from tests.factories import (
    DEMO_PASSWORD,
    BridgeFactory,
    RecordFactory,
    UserFactory,
    open_session,
    serve,
    site_tree,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390

# The document's width, and the elements that stick out on the right with no scroll
# container holding them; a description each ("table#id.class 512px").
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  // Whether a scrolling (or clipping) box holds the element: for an absolutely
  // positioned one, only its containing block (the nearest positioned ancestor) or a box
  // above it clips it.
  const scrolls = (element) => {
    const position = getComputedStyle(element).position;
    if (position === "fixed") return false;
    let box = element.parentElement;
    if (position === "absolute") {
      while (box && box !== document.body && getComputedStyle(box).position === "static") {
        box = box.parentElement;
      }
    }
    for (; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
    }
    return false;
  };
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || scrolls(element)) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.display === "none") continue;
    found.push(element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
      (element.classList.length ? "." + [...element.classList].join(".") : "") +
      " " + Math.round(box.right) + "px");
  }
  return {scrollWidth: document.documentElement.scrollWidth, overflowing: found.slice(0, 8)};
}"""


@pytest.fixture
def world():
    """T01 and T02 with their communes; a session of T01 whose readiness window is open;
    the secretariat's `thuky`, `kythuat` the technician of T01, `daibieu` invited."""
    secretary = UserFactory(username="thuky", full_name="Nguyễn Thị Lan", roles=[Role.SECRETARIAT])
    technician = UserFactory(username="kythuat", full_name="Trần Văn Hùng", roles=[Role.TECHNICIAN])
    attendee = UserFactory(username="daibieu", full_name="Lê Minh Châu", roles=[Role.ATTENDEE])
    site_tree(provinces=2, communes=3)
    serve(technician, "T01")
    meeting = open_session(
        secretary,
        sites=("T01", "X0101", "X0102", "X0103"),
        bridge_id=BridgeFactory(name="MCU Trung ương").pk,
        details__title="Giao ban trực tuyến công tác phòng chống thiên tai các tỉnh miền Trung",
        details__attendees=((attendee.pk, "member"),),
    )
    feed_tokens.create(secretary, feed_tokens.FeedScope(kind=FeedKind.PERSONAL))
    feed_tokens.create(secretary, feed_tokens.FeedScope(kind=FeedKind.ORGANISATION))
    RecordFactory(meeting=meeting, kind=RecordKind.AGENDA, title="Chương trình phiên họp")
    return {"meeting": meeting, "secretary": secretary}


@pytest.fixture
def phone(browser, live_daphne) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_daphne,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": PHONE_WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")


def too_wide(page: Page, path: str) -> dict | None:
    response = page.goto(path)
    assert response is not None and response.ok, path
    page.wait_for_load_state("load")
    measured = page.evaluate(OVERFLOWING)
    if measured["scrollWidth"] <= PHONE_WIDTH and not measured["overflowing"]:
        return None
    return measured


def test_every_main_page_fits_a_phone(phone, world) -> None:
    meeting = world["meeting"].pk
    bridge = world["meeting"].conference.bridge_id
    pages = {
        "thuky": [
            "/",
            "/meetings/",
            "/meetings/week/",
            "/calendar/",
            f"/meetings/{meeting}/",
            f"/meetings/{meeting}/board/",
            f"/meetings/{meeting}/readiness/",
            "/meetings/month/",
            f"/bridges/{bridge}/use/",
            f"/meetings/{meeting}/reschedule/",
            f"/meetings/{meeting}/sites/",
            "/meetings/new/",
            "/endpoints/",
            "/endpoints/T01/",
            "/people/",
            "/profile/",
            "/profile/tokens/",
        ],
        "kythuat": ["/", "/meetings/console/", "/meetings/", "/profile/"],
        "daibieu": ["/", "/meetings/", f"/meetings/{meeting}/", "/calendar/"],
    }
    found = {}

    for username, paths in pages.items():
        sign_in(phone, username)
        for path in paths:
            measured = too_wide(phone, path)
            if measured:
                found[f"{username} {path}"] = measured
        if username == "thuky":
            # A subscription just made: the page shows its long https:// and webcal:// links.
            phone.goto("/calendar/")
            phone.click("#create-personal")
            phone.wait_for_load_state("load")
            measured = phone.evaluate(OVERFLOWING)
            if measured["scrollWidth"] > PHONE_WIDTH or measured["overflowing"]:
                found["thuky /calendar/ (new feed)"] = measured

    assert found == {}


def test_the_check_sees_a_page_wider_than_the_phone(phone, world) -> None:
    sign_in(phone, "thuky")
    phone.goto("/profile/")

    phone.evaluate(
        "() => { const wide = document.createElement('div'); wide.id = 'too-wide';"
        " wide.style.width = '600px'; wide.style.height = '10px'; document.body.append(wide); }"
    )
    measured = phone.evaluate(OVERFLOWING)

    assert measured["scrollWidth"] > PHONE_WIDTH
    assert "div#too-wide 600px" in measured["overflowing"]
