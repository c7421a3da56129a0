"""Readiness, live: a technician reports from a phone-sized page and the secretariat's
board follows without a reload; with WebSockets blocked, the console's forms still
report through the plain HTTP post."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from conferencing import readiness
from conferencing.models import Leg, ReadinessEvent
from conferencing.site_selection import SiteSelection
from tests.factories import (
    DEMO_PASSWORD,
    BridgeFactory,
    OfficeFactory,
    UserFactory,
    booked,
    site_tree,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def session():
    """T01 and its communes, starting in 30 minutes (the setup window is open); the
    secretariat's `thuky`, and `kythuat` the technician of the host site T01."""
    secretary = UserFactory(username="thuky", full_name="Lan", roles=[Role.SECRETARIAT])
    technician = UserFactory(username="kythuat", full_name="Hùng", roles=[Role.TECHNICIAN])
    sites = site_tree(provinces=2, communes=3)
    sites["T01"].technicians.add(technician)
    start = (timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    meeting = booked(
        secretary,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(subtrees=("T01",)),
        host_code="T01",
        slot__start=start,
        slot__end=start + timedelta(hours=2),
        details__title="Giao ban trực tuyến T01",
    )
    host = Leg.objects.get(conference=meeting.conference, endpoint__code="T01")
    return {"meeting": meeting, "host": host}


@pytest.fixture
def open_page(browser, live_daphne) -> Iterator:
    """`open_page(viewport, **context options)`: a page in a fresh context of its own, so
    two users can be signed in side by side."""
    contexts = []

    def make(viewport: dict, **options):
        context = browser.new_context(
            base_url=live_daphne,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport=viewport,
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")


def phone(open_page):
    return open_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def test_technician_reports_ready_from_a_phone_and_the_board_turns_green(open_page, session):
    meeting, host = session["meeting"], session["host"]
    board = open_page(DESKTOP)
    sign_in(board, "thuky")
    board.goto(f"/meetings/{meeting.pk}/board/")
    cell = board.locator(f'.cell[data-leg="{host.pk}"]')
    expect(cell).to_have_attribute("data-state", "pending")
    expect(board.locator(".cell")).to_have_count(4)
    expect(cell).to_have_class("cell state-pending cell-host")
    # Set on this very document: still there at the end means the board never reloaded.
    board.evaluate("window.boardNotReloaded = true")

    console = phone(open_page)
    sign_in(console, "kythuat")
    console.goto("/meetings/console/")
    expect(console.locator("#console-connection")).to_have_attribute("data-connection", "live")
    leg = console.locator(f"#leg-{host.pk}")
    status = leg.locator("[data-role=status]")

    leg.locator("button[value=checking]").tap()
    expect(status).to_have_attribute("data-status", "ok")
    expect(status).to_contain_text("✓")
    expect(cell).to_have_attribute("data-state", "checking")

    for check in readiness.CHECK_ITEMS:
        leg.locator(f'label[for="leg-{host.pk}-{check}"]').tap()
    leg.locator("button[value=ready]").tap()
    expect(leg.locator("[data-role=state]")).to_have_attribute("data-state", "ready")
    expect(status).to_have_attribute("data-status", "ok")

    expect(cell).to_have_attribute("data-state", "ready")
    expect(cell).to_have_class("cell state-ready cell-host")
    expect(board.locator('[data-count-state="ready"] [data-role=count]')).to_have_text("1")
    expect(board.locator('[data-count-state="pending"] [data-role=count]')).to_have_text("3")
    assert board.evaluate("window.boardNotReloaded") is True
    green = cell.evaluate("element => getComputedStyle(element).backgroundColor")
    assert green == "rgb(31, 136, 61)"
    # The phone page fits a phone: nothing wider than the screen.
    assert console.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert list(ReadinessEvent.objects.values_list("to_state", flat=True)) == [
        "checking",
        "ready",
    ]


def test_board_filter_hides_the_ready_sites(open_page, session):
    meeting, host = session["meeting"], session["host"]
    technician = host.endpoint.technicians.get()
    all_ok = dict.fromkeys(readiness.CHECK_ITEMS, True)
    for state in ("checking", "ready"):
        readiness.submit_report(readiness.Report(host.pk, state, all_ok), technician)
    board = open_page(DESKTOP)
    sign_in(board, "thuky")
    board.goto(f"/meetings/{meeting.pk}/board/")
    cell = board.locator(f'.cell[data-leg="{host.pk}"]')
    expect(cell).to_have_attribute("data-state", "ready")

    board.check("#filter-not-ready")

    expect(cell).to_be_hidden()
    expect(board.locator(".cell:visible")).to_have_count(3)


def test_console_falls_back_to_the_form_when_sockets_are_blocked(open_page, session):
    host = session["host"]
    console = phone(open_page)
    # A network that never lets a WebSocket open.
    console.add_init_script(
        "window.WebSocket = class { constructor() { this.readyState = 0; }"
        " addEventListener() {} send() {} close() {} };"
        " window.WebSocket.OPEN = 1;"
    )
    sign_in(console, "kythuat")
    console.goto("/meetings/console/")
    expect(console.locator("#console-connection")).to_have_attribute("data-connection", "fallback")
    leg = console.locator(f"#leg-{host.pk}")

    leg.locator("button[value=checking]").tap()

    expect(console).to_have_url(re.compile(rf"/meetings/console/#leg-{host.pk}$"))
    expect(console.locator(".message-success")).to_have_count(1)
    expect(console.locator(f"#leg-{host.pk} [data-role=state]")).to_have_attribute(
        "data-state", "checking"
    )
    assert list(ReadinessEvent.objects.values_list("to_state", flat=True)) == ["checking"]


def test_board_reconnects_after_a_drop_and_catches_up(open_page, session):
    meeting, host = session["meeting"], session["host"]
    board = open_page(DESKTOP)
    sockets = []

    def through(route) -> None:
        route.connect_to_server()
        sockets.append(route)

    board.route_web_socket(re.compile(r"/ws/conferences/\d+/board/$"), through)
    sign_in(board, "thuky")
    board.goto(f"/meetings/{meeting.pk}/board/")
    cell = board.locator(f'.cell[data-leg="{host.pk}"]')
    expect(cell).to_have_attribute("data-state", "pending")
    board.evaluate("window.boardNotReloaded = true")

    sockets[0].close(code=1011, reason="gone")
    expect(board.locator("#board-connection")).to_have_attribute("data-connection", "reconnecting")
    readiness.submit_report(readiness.Report(host.pk, "checking"), host.endpoint.technicians.get())

    expect(cell).to_have_attribute("data-state", "checking")
    expect(board.locator("#board-connection")).to_have_attribute("data-connection", "live")
    assert len(sockets) == 2
    assert board.evaluate("window.boardNotReloaded") is True


# --- another office's part of a national session (issue 13) -------------------------------------

# Where a page could lead to changing a session: reschedule, re-site, cancel, attendees,
# records upload and the minutes' steps.
CHANGING = re.compile(
    r"/meetings/\d+/(reschedule|sites|cancel|attendees|records)/?$"
    r"|/records/\d+/hold/|/records/versions/\d+/(submit|approve|return)/"
)


@pytest.fixture
def national():
    """The central office's `thuky` books a national session over TW (host), T01 and T02
    and their communes; `hanoi` is the secretariat of T01's office (the Hà Nội office);
    `kythuat` serves the T01 commune X0101, `kythuat2` the T02 commune X0201."""
    secretary = UserFactory(username="thuky", full_name="Lan", roles=[Role.SECRETARIAT])
    sites = site_tree(provinces=2, communes=2)
    hanoi_office = OfficeFactory(
        code="VP-HN", name="Văn phòng UBND Hà Nội", jurisdiction=sites["T01"]
    )
    UserFactory(username="hanoi", full_name="Mai", roles=[Role.SECRETARIAT], offices=[hanoi_office])
    technician = UserFactory(username="kythuat", full_name="Hùng", roles=[Role.TECHNICIAN])
    other = UserFactory(username="kythuat2", full_name="Sơn", roles=[Role.TECHNICIAN])
    sites["X0101"].technicians.add(technician)
    sites["X0201"].technicians.add(other)
    start = (timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    meeting = booked(
        secretary,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(subtrees=("TW",)),
        host_code="TW",
        slot__start=start,
        slot__end=start + timedelta(hours=2),
        details__title="Giao ban trực tuyến toàn quốc",
    )
    legs = dict(
        Leg.objects.filter(conference=meeting.conference).values_list("endpoint__code", "pk")
    )
    return {"meeting": meeting, "legs": legs, "other": other}


def changing_targets(page) -> list[str]:
    """Every link, form and button target on the page that would change the session."""
    targets = page.evaluate(
        """() => [
            ...[...document.querySelectorAll("a[href]")].map((a) => a.href),
            ...[...document.querySelectorAll("form")].map((f) => f.action),
            ...[...document.querySelectorAll("[formaction]")].map((b) => b.formAction),
        ]"""
    )
    return [target for target in targets if CHANGING.search(target.split("?")[0])]


def test_a_provincial_office_watches_its_part_of_a_national_session_live(open_page, national):
    meeting, legs = national["meeting"], national["legs"]
    board = open_page(DESKTOP)
    sign_in(board, "hanoi")

    board.goto(f"/meetings/{meeting.pk}/")
    expect(board.locator("#meeting-title")).to_have_text("Giao ban trực tuyến toàn quốc")
    expect(board.locator("#meeting-actions")).to_have_count(0)
    expect(board.locator("input[type=file]")).to_have_count(0)
    assert changing_targets(board) == []

    board.locator("#board-link").click()
    expect(board.locator("#board-part")).to_contain_text("Phần của Điểm cầu T01")
    # T01 and its two communes: not TW, not T02 nor its communes.
    expect(board.locator(".cell")).to_have_count(3)
    expect(board.locator("#count-total")).to_have_text("3")
    for code in ("TW", "T02", "X0201"):
        expect(board.locator(f'.cell[data-leg="{legs[code]}"]')).to_have_count(0)
    cell = board.locator(f'.cell[data-leg="{legs["X0101"]}"]')
    expect(cell).to_have_attribute("data-state", "pending")
    expect(board.locator("#board-connection")).to_have_attribute("data-connection", "live")
    assert changing_targets(board) == []
    expect(board.locator("input[type=file]")).to_have_count(0)
    board.evaluate("window.boardNotReloaded = true")

    # Another province's report does not reach this board.
    readiness.submit_report(readiness.Report(legs["X0201"], "checking"), national["other"])

    console = phone(open_page)
    sign_in(console, "kythuat")
    console.goto("/meetings/console/")
    expect(console.locator("#console-connection")).to_have_attribute("data-connection", "live")
    console.locator(f"#leg-{legs['X0101']} button[value=checking]").tap()

    expect(cell).to_have_attribute("data-state", "checking")
    expect(board.locator('[data-count-state="checking"] [data-role=count]')).to_have_text("1")
    expect(board.locator('[data-count-state="pending"] [data-role=count]')).to_have_text("2")
    expect(board.locator(".cell")).to_have_count(3)
    assert board.evaluate("window.boardNotReloaded") is True
