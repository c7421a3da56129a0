"""Changing a session's sites from the meeting page: the form, the new selection, and
the refusals that change nothing.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

from conferencing.models import Leg, LegRole
from tests.factories import local_time
from tests.meetings.views.pages import DAY, book_province, messages_of, url_for


def test_sites_form_starts_from_the_current_sites(client_as, alice, meeting):
    response = client_as(alice).get(url_for("sites", meeting))

    form = response.context["form"]
    assert form.initial == {"sites": "T01, X0101, X0102, X0103", "host": "T01"}


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
