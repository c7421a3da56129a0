"""The readiness board at national scale (issue 15, item 1), in Chromium: the province
summary and its jump, groups closed beyond a size, filters by state, a search that
ignores diacritics, the panel of a site opened by click or keyboard, one tab stop per
group with arrows inside, and the summary following a live report.

The session: TW (host) and three provinces, "Thành phố Hà Nội" (T01), T02 (with
"Phường Đà Nẵng", X0203) and T03, with 25 communes each: 79 sites, more than the 60
beyond which groups start closed. X0102 reported a problem with a note before the
board opened; `kythuat` (Hùng, phone 0912 345 678) serves X0101 and X0102.
"""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from conferencing import readiness
from conferencing.models import Leg
from conferencing.site_selection import SiteSelection
from tests.browser.test_readiness import DESKTOP, open_page, phone, sign_in
from tests.factories import BridgeFactory, UserFactory, booked, serve, site_tree

__all__ = ["open_page"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Mất tín hiệu hình ảnh từ camera"


@pytest.fixture
def national():
    secretary = UserFactory(username="thuky", full_name="Lan", roles=[Role.SECRETARIAT])
    technician = UserFactory(username="kythuat", full_name="Hùng", roles=[Role.TECHNICIAN])
    technician.person.phone = "0912 345 678"
    technician.person.save()
    sites = site_tree(provinces=3, communes=25)
    for code, name in (("T01", "Thành phố Hà Nội"), ("X0203", "Phường Đà Nẵng")):
        sites[code].name = name
        sites[code].save()  # and its search key: the board's search is the server's
    sites["X0101"].technicians.add(technician)
    sites["X0102"].technicians.add(technician)
    start = (timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    meeting = booked(
        secretary,
        bridge_id=BridgeFactory(port_capacity=200).pk,
        sites=SiteSelection(subtrees=("TW",)),
        host_code="TW",
        slot__start=start,
        slot__end=start + timedelta(hours=2),
        details__title="Giao ban trực tuyến toàn quốc",
    )
    legs = dict(
        Leg.objects.filter(conference=meeting.conference).values_list("endpoint__code", "pk")
    )
    readiness.submit_report(readiness.Report(legs["X0102"], "checking"), technician)
    readiness.submit_report(
        readiness.Report(
            legs["X0102"],
            "problem",
            checklist={"audio": True, "video": False, "network": True, "display": True},
            note=NOTE,
        ),
        technician,
    )
    return {"meeting": meeting, "legs": legs}


def open_board(open_page, national):
    board = open_page(DESKTOP)
    sign_in(board, "thuky")
    board.goto(f"/meetings/{national['meeting'].pk}/board/")
    expect(board.locator("#board")).to_have_attribute("data-board-ready", "")
    return board


def cell(board, national, code: str):
    return board.locator(f'.cell[data-leg="{national["legs"][code]}"]')


def visible_sites(board) -> list[str]:
    return board.locator(".cell:visible").evaluate_all("cells => cells.map(c => c.dataset.site)")


def test_the_summary_counts_each_province_and_jumps_to_a_closed_one(open_page, national):
    board = open_board(open_page, national)
    rows = board.locator("#province-summary .province-row")

    expect(rows).to_have_count(4)
    hanoi = board.locator('.province-row[data-group="T01"]')
    expect(hanoi).to_contain_text("Thành phố Hà Nội")
    expect(hanoi).to_contain_text("0/26")
    expect(hanoi).to_have_attribute("data-problem", "1")
    expect(hanoi).to_have_attribute("data-pending", "25")
    # Beyond 60 sites a group starts closed and without cells, but one with a problem.
    expect(board.locator('#board-grid [data-group="T01"] .cell')).to_have_count(26)
    expect(board.locator('#board-grid [data-group="T02"] .cell')).to_have_count(0)
    # Worst first puts the province with the problem at the top.
    board.locator("#sort-worst").click()
    expect(rows.first).to_have_attribute("data-group", "T01")
    board.locator("#sort-tree").click()
    expect(rows.first).to_have_attribute("data-group", "central")

    board.locator('.province-row[data-group="T02"]').click()

    expect(board.locator('#board-grid [data-group="T02"] .cell:visible')).to_have_count(26)
    expect(board.locator('#board-grid [data-group="T02"] .board-group-toggle')).to_have_attribute(
        "aria-expanded", "true"
    )


def test_the_problem_filter_shows_only_the_problem(open_page, national):
    board = open_board(open_page, national)

    board.locator("#filter-problem").click()

    expect(board.locator("#filter-problem")).to_have_attribute("aria-pressed", "true")
    expect(board.locator(".cell:visible")).to_have_count(1)
    assert visible_sites(board) == ["X0102"]
    expect(board.locator('#board-grid [data-group="T02"]')).to_be_hidden()

    board.locator("#filter-problem").click()

    expect(board.locator(".cell:visible")).to_have_count(27)


def test_a_province_the_filter_hides_is_shown_when_its_summary_row_is_chosen(open_page, national):
    board = open_board(open_page, national)
    board.locator("#filter-problem").click()
    expect(board.locator('#board-grid [data-group="T02"]')).to_be_hidden()

    board.locator('.province-row[data-group="T02"]').click()

    expect(board.locator('#board-grid [data-group="T02"] .cell:visible')).to_have_count(26)
    expect(board.locator("#filter-problem")).to_have_attribute("aria-pressed", "false")
    assert board.evaluate("document.activeElement.dataset.site") == "T02"


def test_the_search_ignores_diacritics_and_says_when_nothing_matches(open_page, national):
    board = open_board(open_page, national)

    board.locator("#board-search").fill("ha noi")

    expect(board.locator(".cell:visible")).to_have_count(1)
    expect(cell(board, national, "T01")).to_be_visible()
    expect(cell(board, national, "T01")).to_contain_text("Thành phố Hà Nội")

    board.locator("#board-search").fill("HÀ NỘI")
    expect(board.locator(".cell:visible")).to_have_count(1)
    # đ is a letter of its own: folded to d all the same, in a group that was closed.
    board.locator("#board-search").fill("da nang")
    expect(cell(board, national, "X0203")).to_be_visible()
    expect(board.locator(".cell:visible")).to_have_count(1)

    board.locator("#board-search").fill("không có điểm này")

    expect(board.locator(".cell:visible")).to_have_count(0)
    expect(board.locator("#board-matches")).to_be_visible()
    expect(board.locator("#board-matches")).to_have_class("board-matches board-no-match")


def test_enter_on_a_cell_opens_its_panel_with_the_note_and_the_technician(open_page, national):
    board = open_board(open_page, national)
    problem = cell(board, national, "X0102")
    expect(problem).to_have_attribute(
        "aria-label", "Điểm cầu X0102, Có sự cố, vừa xong, Ghi chú: " + NOTE
    )

    problem.focus()
    board.keyboard.press("Enter")

    panel = board.locator("#leg-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".panel-note")).to_have_text(NOTE)
    expect(panel.locator('.panel-check-failed[data-check="video"]')).to_have_count(1)
    expect(panel.locator(".panel-technicians")).to_contain_text("Hùng")
    expect(panel.locator('.panel-technicians a[href="tel:0912345678"]')).to_have_text(
        "0912 345 678"
    )
    expect(panel.locator(".panel-history tbody tr")).to_have_count(2)

    board.keyboard.press("Escape")

    expect(panel).to_be_hidden()
    assert board.evaluate("document.activeElement.dataset.site") == "X0102"


def test_a_click_opens_the_panel_too(open_page, national):
    board = open_board(open_page, national)

    cell(board, national, "X0102").click()

    expect(board.locator("#leg-panel .panel-note")).to_have_text(NOTE)


def test_each_group_is_one_tab_stop_with_arrows_inside(open_page, national):
    board = open_board(open_page, national)
    first = cell(board, national, "T01")
    # One cell of the open group can be tabbed to; its others wait for the arrows.
    tabbable = board.locator('#board-grid [data-group="T01"] .cell[tabindex="0"]')
    expect(tabbable).to_have_count(1)

    first.focus()
    board.keyboard.press("ArrowRight")
    assert board.evaluate("document.activeElement.dataset.site") == "X0101"
    board.keyboard.press("End")
    assert board.evaluate("document.activeElement.dataset.site") == "X0125"
    board.keyboard.press("Home")
    assert board.evaluate("document.activeElement.dataset.site") == "T01"
    board.keyboard.press("ArrowDown")
    below = board.evaluate("document.activeElement.dataset.site")
    assert below.startswith("X01") and below != "X0101"

    board.keyboard.press("Tab")

    # Out of the group in one press, to the next group's one stop: the head of a closed one.
    assert board.evaluate("document.activeElement.closest('[data-group]').dataset.group") == "T02"
    expect(tabbable).to_have_count(1)
    head = board.locator('#board-grid [data-group="T01"] .board-group-toggle')
    expect(head).to_have_attribute("tabindex", "-1")
    board.keyboard.press("Shift+Tab")
    assert board.evaluate("document.activeElement.dataset.site") == below
    # Up from the first row reaches the group's head, which closes it.
    board.keyboard.press("Home")
    board.keyboard.press("ArrowUp")
    expect(head).to_be_focused()
    board.keyboard.press("Enter")
    expect(head).to_have_attribute("aria-expanded", "false")
    expect(board.locator('#board-grid [data-group="T01"] .cell:visible')).to_have_count(0)


def test_a_live_report_moves_the_province_summary(open_page, national):
    board = open_board(open_page, national)
    hanoi = board.locator('.province-row[data-group="T01"]')
    expect(hanoi).to_have_attribute("data-pending", "25")
    board.evaluate("window.boardNotReloaded = true")

    console = phone(open_page)
    sign_in(console, "kythuat")
    console.goto("/meetings/console/")
    expect(console.locator("#console-connection")).to_have_attribute("data-connection", "live")
    console.locator(f"#leg-{national['legs']['X0101']} button[value=checking]").tap()

    expect(hanoi).to_have_attribute("data-pending", "24")
    expect(cell(board, national, "X0101")).to_have_attribute("data-state", "checking")
    assert board.evaluate("window.boardNotReloaded") is True


def test_a_closed_group_never_loaded_counts_live_and_loads_when_asked(open_page, national):
    # T03's sites are all ready: the snapshot carries none of their cells, only their
    # states in its map.
    legs = national["legs"]
    Leg.objects.filter(pk__in=[legs[f"X03{c:02d}"] for c in range(1, 26)] + [legs["T03"]]).update(
        state="ready"
    )
    serve(get_user_model().objects.get(username="kythuat"), "X0301")
    board = open_board(open_page, national)
    row = board.locator('.province-row[data-group="T03"]')
    expect(row).to_contain_text("26/26")
    assert board.locator('#board-grid [data-group="T03"] .cell').count() == 0

    console = phone(open_page)
    sign_in(console, "kythuat")
    console.goto("/meetings/console/")
    expect(console.locator("#console-connection")).to_have_attribute("data-connection", "live")
    console.locator(f"#leg-{legs['X0301']} button[value=checking]").tap()

    # Counted from the delta alone; the site shown under a filter is asked for then.
    expect(row).to_contain_text("25/26")
    board.locator("#filter-checking").click()
    expect(cell(board, national, "X0301")).to_be_visible()
    expect(cell(board, national, "X0301")).to_contain_text("Điểm cầu X0301")
    board.locator("#filter-checking").click()

    row.click()

    expect(board.locator('#board-grid [data-group="T03"] .cell:visible')).to_have_count(26)
    assert board.evaluate("document.activeElement.dataset.site") == "T03"


def test_expand_all_asks_for_each_closed_group_in_turn(open_page, national):
    legs = national["legs"]
    ready = [leg for code, leg in legs.items() if code.startswith(("T02", "X02", "T03", "X03"))]
    Leg.objects.filter(pk__in=ready).update(state="ready")
    board = open_board(open_page, national)
    expect(board.locator(".cell")).to_have_count(27)  # TW, and T01 with its problem

    board.locator("#board-expand-all").click()

    expect(board.locator(".cell:visible")).to_have_count(79)
    expect(board.locator(".board-group-loading:visible")).to_have_count(0)


def test_nobody_reported_the_not_reported_filter_loads_the_closed_groups_sites(open_page, national):
    """The opening of a national session's window: nobody has reported. The snapshot
    carries the host's group only; pressing "Not reported" asks the server for every
    site not reported and shows them, those of the closed provinces included."""
    Leg.objects.filter(pk=national["legs"]["X0102"]).update(
        state="pending", note="", checklist={}, state_changed_at=None
    )
    board = open_page(DESKTOP)
    sign_in(board, "thuky")
    asked = []
    board.on("websocket", lambda ws: ws.on("framesent", lambda text: asked.append(text)))
    board.goto(f"/meetings/{national['meeting'].pk}/board/")
    expect(board.locator("#board")).to_have_attribute("data-board-ready", "")
    expect(board.locator('.province-row[data-group="T02"]')).to_contain_text("0/26")
    # Only the host's group (TW) starts open: its one cell is all the snapshot carried.
    expect(board.locator(".cell")).to_have_count(1)

    board.locator("#filter-pending").click()

    expect(board.locator(".cell:visible")).to_have_count(79)
    expect(cell(board, national, "X0203")).to_contain_text("Phường Đà Nẵng")
    expect(board.locator(".board-group-loading:visible")).to_have_count(0)
    expect(board.locator("#board-grid")).to_have_attribute("aria-busy", "false")
    expect(board.locator("#board-matches")).to_contain_text("79")
    # One request for the state, not one per site or group.
    requests = [json.loads(text) for text in asked]
    assert [r["content"] for r in requests if r["type"] == "cells"] == [{"states": ["pending"]}]


def test_a_focused_summary_row_keeps_the_focus_when_a_live_report_resorts_it(open_page, national):
    board = open_board(open_page, national)
    rows = board.locator("#province-summary .province-row")
    hanoi = board.locator('.province-row[data-group="T01"]')
    board.locator("#sort-worst").click()
    expect(rows.first).to_have_attribute("data-group", "T01")  # its problem
    hanoi.focus()

    console = phone(open_page)
    sign_in(console, "kythuat")
    console.goto("/meetings/console/")
    expect(console.locator("#console-connection")).to_have_attribute("data-connection", "live")
    console.locator(f"#leg-{national['legs']['X0102']} button[value=checking]").tap()

    # Its problem gone, T01 falls below the provinces with more sites not reported: the
    # row moved, and the focus with it.
    expect(rows.first).to_have_attribute("data-group", "T02")
    expect(hanoi).to_have_attribute("data-problem", "0")
    expect(hanoi).to_be_focused()


def test_after_a_reconnect_the_filtered_sites_are_asked_for_again_by_state(open_page, national):
    """A new snapshot carries the open groups only: the sites a state filter showed are
    refreshed with one request for their state, not one per 200 sites; their states
    and reports follow the database."""
    Leg.objects.filter(pk=national["legs"]["X0102"]).update(state="pending", note="")
    board = open_page(DESKTOP)
    sockets, sent = [], []

    def through(route) -> None:
        server = route.connect_to_server()
        route.on_message(
            lambda message: (sent.append((len(sockets), message)), server.send(message))
        )
        sockets.append(route)

    board.route_web_socket(re.compile(r"/ws/conferences/\d+/board/$"), through)
    sign_in(board, "thuky")
    board.goto(f"/meetings/{national['meeting'].pk}/board/")
    expect(board.locator("#board")).to_have_attribute("data-board-ready", "")
    board.locator("#filter-pending").click()
    expect(board.locator(".cell:visible")).to_have_count(79)
    sockets[0].close(code=1011, reason="gone")
    expect(board.locator("#board-connection")).to_have_attribute("data-connection", "reconnecting")
    Leg.objects.filter(pk=national["legs"]["X0203"]).update(note="Chờ điện")
    Leg.objects.filter(pk=national["legs"]["X0101"]).update(state="checking")
    expect(board.locator("#board-connection")).to_have_attribute("data-connection", "live")

    expect(cell(board, national, "X0203")).to_have_attribute("title", re.compile("Chờ điện"))
    expect(board.locator(".cell:visible")).to_have_count(78)
    again = [json.loads(text)["content"] for number, text in sent if number == 2]
    again = [content for content in again if "states" in content or "legs" in content]
    # X0101 left the filter: its own cell is asked for by site.
    assert again == [{"states": ["pending"]}, {"legs": [national["legs"]["X0101"]]}]
