"""Changing a session's sites from the meeting page: the form, the new selection, and
the refusals that change nothing.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import re

from conferencing.models import Conference, Leg, LegRole, Level
from conferencing.site_selection import SiteSelection
from tests.factories import booked, local_time, stored_counts
from tests.meetings.views.pages import DAY, book_province, messages_of, url_for


def ticked(html: str, name: str) -> list[str]:
    """The values of the checked boxes named `name` in the page."""
    boxes = re.findall(rf'<input type="checkbox" name="{name}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', box)[1] for box in boxes if " checked" in box]


def test_sites_form_opens_with_the_selection_it_was_booked_with(client_as, alice, meeting):
    response = client_as(alice).get(url_for("sites", meeting))

    html = response.content.decode()
    assert response.context["form"].initial == {
        "levels": [],
        "subtrees": ["T01"],
        "sites": "",
        "exclude_sites": "",
        "exclude_subtrees": "",
        "host": "T01",
    }
    assert ticked(html, "subtrees") == ["T01"]
    assert ticked(html, "levels") == []


def test_sites_form_opens_with_levels_and_exclusions_ticked(client_as, alice, sites, bridge):
    national = booked(
        alice,
        bridge_id=bridge.pk,
        sites=SiteSelection(
            levels=(Level.CENTRAL, Level.PROVINCE),
            subtrees=("T02",),
            sites=("X0101",),
            exclude_sites=("X0202",),
        ),
        host_code="TW",
        slot__start=local_time(DAY, 14),
    )

    response = client_as(alice).get(url_for("sites", national))

    html = response.content.decode()
    assert ticked(html, "levels") == [str(Level.CENTRAL.value), str(Level.PROVINCE.value)]
    assert ticked(html, "subtrees") == ["T02"]
    assert re.search(r'<textarea name="sites"[^>]*>\s*X0101</textarea>', html)
    assert re.search(r'<textarea name="exclude_sites"[^>]*>\s*X0202</textarea>', html)
    # 1 central + 2 provinces + X0101 + T02's communes but X0202.
    assert response.context["site_count"] == "6 điểm cầu"


def test_sites_form_of_a_session_booked_before_shows_its_sites_one_by_one(
    client_as, alice, meeting
):
    # What the migration kept for sessions booked before selections were stored.
    Conference.objects.filter(pk=meeting.conference_id).update(
        site_selection={"sites": ["T01", "X0101", "X0102", "X0103"]}
    )

    response = client_as(alice).get(url_for("sites", meeting))

    form = response.context["form"]
    assert (form.initial["sites"], form.initial["subtrees"]) == ("T01, X0101, X0102, X0103", [])


def test_sites_form_without_a_kept_selection_shows_the_legs_one_by_one(client_as, alice, meeting):
    Conference.objects.filter(pk=meeting.conference_id).update(site_selection={})

    response = client_as(alice).get(url_for("sites", meeting))

    assert response.context["form"].initial["sites"] == "T01, X0101, X0102, X0103"


def test_sites_form_keeps_a_kept_subtree_the_picker_does_not_offer(client_as, alice, meeting):
    Conference.objects.filter(pk=meeting.conference_id).update(
        site_selection={"subtrees": ["X0101"], "sites": ["T01"]}
    )

    response = client_as(alice).get(url_for("sites", meeting))

    assert ticked(response.content.decode(), "subtrees") == ["X0101"]


def test_sites_change_stores_the_new_selection(client_as, alice, meeting):
    data = {"levels": [str(Level.CENTRAL.value)], "subtrees": ["T02"], "exclude_sites": "X0203"}

    client_as(alice).post(url_for("sites", meeting), {**data, "host": "TW"})

    meeting.conference.refresh_from_db()
    assert meeting.conference.site_selection == {
        "levels": [Level.CENTRAL.value],
        "subtrees": ["T02"],
        "exclude_sites": ["X0203"],
    }
    assert sorted(Leg.objects.values_list("endpoint__code", flat=True)) == [
        "T02",
        "TW",
        "X0201",
        "X0202",
    ]


def test_sites_page_is_not_found_for_another_office(client_as, hana, meeting):
    before = stored_counts()

    responses = [
        client_as(hana).get(url_for("sites", meeting)),
        client_as(hana).post(url_for("sites", meeting), {"subtrees": ["T01"], "host": "T01"}),
        client_as(hana).post(url_for("sites", meeting) + "check/", {"host": "T01"}),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert stored_counts() == before


def test_sites_change_makes_the_session_exactly_the_new_selection(
    client_as, alice, meeting, english
):
    data = {"sites": "T01, X0101", "subtrees": ["T02"], "host": "T02"}

    response = client_as(alice).post(url_for("sites", meeting), data)

    legs = Leg.objects.filter(conference=meeting.conference).order_by("endpoint__path")
    assert messages_of(response) == ["The sites of the session were changed."]
    assert [leg.endpoint.code for leg in legs] == ["T01", "X0101", "T02", "X0201", "X0202", "X0203"]
    assert legs.get(role=LegRole.HOST).endpoint.code == "T02"


def test_sites_change_with_host_outside_changes_nothing(client_as, alice, meeting, english):
    before = list(Leg.objects.values_list("endpoint__code", "role"))

    response = client_as(alice).post(url_for("sites", meeting), {"sites": "X0101", "host": "T01"})

    assert response.context["form"].errors == {
        "host": ["The host site must be one of the chosen sites."]
    }
    assert list(Leg.objects.values_list("endpoint__code", "role")) == before


def test_sites_change_onto_a_busy_site_is_a_conflict(client_as, alice, bridge, meeting, english):
    book_province(alice, bridge, "T02", local_time(DAY, 9))

    response = client_as(alice).post(
        url_for("sites", meeting), {"sites": "T01, X0201", "host": "T01"}
    )

    assert response.status_code == 409
    assert Leg.objects.filter(conference=meeting.conference).count() == 4


def test_sites_form_of_an_old_session_offers_its_sites_as_provinces(client_as, alice, meeting):
    Conference.objects.filter(pk=meeting.conference_id).update(
        site_selection={"sites": ["TW", "T01", "X0101", "X0102", "X0103", "X0201"]}
    )

    offered = client_as(alice).get(url_for("sites", meeting))
    shown = client_as(alice).get(url_for("sites", meeting) + "?as=provinces")

    assert offered.context["form"].initial["subtrees"] == []
    assert 'href="?as=provinces"' in offered.content.decode()
    assert (shown.context["form"].initial["subtrees"], shown.context["form"].initial["sites"]) == (
        ["T01"],
        "TW, X0201",
    )
    assert ticked(shown.content.decode(), "subtrees") == ["T01"]


def test_sites_form_of_a_selection_kept_from_booking_offers_no_rewording(client_as, alice, meeting):
    response = client_as(alice).get(url_for("sites", meeting) + "?as=provinces")

    assert response.context["as_provinces"] == ""
    assert 'id="as-provinces"' not in response.content.decode()
