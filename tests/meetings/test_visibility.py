"""Who sees which meeting, and whose details: one query whatever the number of meetings.

Arranged: alice (secretariat) organises an internal session at T01 that carol
attends; dung (secretariat) organises a confidential session at X0101, where
bob is the technician, and a public one at T02.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.models import Classification, Meeting
from meetings.visibility import changeable, concerning, details_visible, watchable, with_details
from tests.factories import BridgeFactory, UserFactory, booked, local_time, site_tree


def at(*codes: str) -> SiteSelection:
    return SiteSelection(sites=codes)


@pytest.fixture
def dung(db):
    return UserFactory(username="dung", roles=[Role.SECRETARIAT])


@pytest.fixture
def meetings(alice, bob, carol, dung):
    sites = site_tree(provinces=2, communes=1)
    sites["X0101"].technicians.add(bob)
    bridge = BridgeFactory()
    start = local_time(7, 8)
    internal = booked(
        alice,
        bridge_id=bridge.pk,
        sites=at("T01"),
        host_code="T01",
        slot__start=start,
        details__title="Nội bộ",
        details__attendees=((carol.pk, "member"),),
    )
    confidential = booked(
        dung,
        bridge_id=bridge.pk,
        sites=at("X0101"),
        host_code="X0101",
        slot__start=start,
        details__title="Mật",
        details__classification=Classification.CONFIDENTIAL,
    )
    public = booked(
        dung,
        bridge_id=bridge.pk,
        sites=at("T02"),
        host_code="T02",
        slot__start=start + timedelta(days=1),
        details__title="Công khai",
        details__classification=Classification.PUBLIC,
    )
    return {"internal": internal, "confidential": confidential, "public": public}


def titles(queryset) -> list[str]:
    return sorted(queryset.values_list("title", flat=True))


def test_concerning_the_secretariat_is_every_meeting(meetings, alice):
    assert titles(concerning(alice)) == ["Công khai", "Mật", "Nội bộ"]


def test_with_details_the_secretariat_does_not_read_a_confidential_meeting_it_is_not_in(
    meetings, alice
):
    assert titles(with_details(alice)) == ["Công khai", "Nội bộ"]


def test_with_details_the_organiser_reads_their_confidential_meeting(meetings, dung):
    assert titles(with_details(dung)) == ["Công khai", "Mật", "Nội bộ"]


def test_concerning_an_attendee_is_the_meetings_they_are_invited_to(meetings, carol):
    assert (titles(concerning(carol)), titles(with_details(carol))) == (["Nội bộ"], ["Nội bộ"])


def test_an_attendee_invited_to_a_confidential_meeting_reads_it(meetings, carol):
    meetings["confidential"].attendees.create(user=carol)

    assert titles(with_details(carol)) == ["Mật", "Nội bộ"]


def test_a_technician_sees_a_confidential_meeting_at_their_site_only_as_busy(meetings, bob):
    assert (titles(concerning(bob)), titles(with_details(bob))) == (["Mật"], [])


def test_a_technician_reads_an_internal_meeting_at_their_site(meetings, bob):
    meetings["confidential"].classification = Classification.INTERNAL
    meetings["confidential"].save()

    assert titles(with_details(bob)) == ["Mật"]


def test_a_public_meeting_does_not_concern_an_unrelated_attendee(meetings, carol):
    assert "Công khai" not in titles(concerning(carol))


def test_a_signed_in_user_without_a_role_sees_nothing(meetings, mallory):
    assert (titles(concerning(mallory)), titles(with_details(mallory))) == ([], [])


def test_an_anonymous_user_sees_nothing(meetings):
    anonymous = AnonymousUser()

    assert (titles(concerning(anonymous)), titles(with_details(anonymous))) == ([], [])


def test_concerning_narrows_a_given_queryset(meetings, alice):
    later = Meeting.objects.filter(conference__start__gt=local_time(7, 12))

    assert titles(concerning(alice, later)) == ["Công khai"]


def test_details_visible_answers_for_one_meeting(meetings, alice, dung, bob, mallory):
    confidential = meetings["confidential"]

    assert [details_visible(confidential, user) for user in (alice, dung, bob, mallory)] == [
        False,
        True,
        False,
        False,
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_with_details_costs_the_same_queries_for_1_or_3_meetings(
    alice, carol, count, django_assert_num_queries
):
    site_tree(provinces=3, communes=0)
    bridge = BridgeFactory()
    for n in range(count):
        booked(
            alice,
            bridge_id=bridge.pk,
            sites=at(f"T0{n + 1}"),
            host_code=f"T0{n + 1}",
            details__attendees=((carol.pk, "member"),),
        )

    with django_assert_num_queries(2):
        readable = list(with_details(carol))

    assert len(readable) == count


# --- who may change, who may watch readiness ------------------------------------------------------


def test_changeable_is_the_secretariats_less_confidential_meetings_it_is_not_in(
    meetings, alice, dung
):
    assert (titles(changeable(alice)), titles(changeable(dung))) == (
        ["Công khai", "Nội bộ"],
        ["Công khai", "Mật", "Nội bộ"],
    )


def test_changeable_is_nothing_for_an_invited_attendee_without_the_secretariat_role(
    meetings, carol
):
    meetings["confidential"].attendees.create(user=carol)

    assert titles(changeable(carol)) == []


def test_watchable_is_the_secretariats_less_confidential_meetings_it_is_not_in(
    meetings, alice, dung
):
    assert (titles(watchable(alice)), titles(watchable(dung))) == (
        ["Công khai", "Nội bộ"],
        ["Công khai", "Mật", "Nội bộ"],
    )


def test_watchable_leaves_out_a_confidential_meeting_the_host_technician_is_not_invited_to(
    meetings, bob
):
    before = titles(watchable(bob))
    meetings["confidential"].attendees.create(user=bob)

    assert (before, titles(watchable(bob))) == ([], ["Mật"])


def test_watchable_is_not_for_a_participant_sites_technician(meetings, bob, alice):
    # bob serves X0101, which here only takes part; T02 hosts.
    booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=at("T02", "X0101"),
        host_code="T02",
        slot__start=local_time(9, 8),
        details__title="Tham dự",
    )

    assert titles(watchable(bob)) == []


def test_watchable_is_nothing_for_the_superuser_who_acts_on_no_session(meetings):
    admin = UserFactory(username="admin", is_superuser=True)

    assert titles(watchable(admin)) == []


def test_watchable_is_nothing_for_an_anonymous_user(meetings):
    assert titles(watchable(AnonymousUser())) == []


# --- authority follows the tree: offices and their jurisdiction -----------------------------------
# The centre (alice, office VPCP, jurisdiction TW) books a national session and a confidential one
# at X0101 (a Hà Nội commune); Hà Nội's office (lan, T01) books its own; T02's office (minh)
# books its own.


@pytest.fixture
def tree(alice, carol):
    from conferencing.models import Level
    from tests.factories import office_of

    sites = site_tree(provinces=2, communes=2)
    lan = UserFactory(username="lan", roles=[Role.SECRETARIAT], offices=[])
    minh = UserFactory(username="minh", roles=[Role.SECRETARIAT], offices=[])
    hanoi = office_of(sites["T01"], "VP-HN", lan)
    other = office_of(sites["T02"], "VP-T02", minh)
    national_bridge = BridgeFactory(name="MCU Quốc gia")
    start = local_time(7, 8)
    sessions = {
        "national": booked(
            alice,
            bridge_id=national_bridge.pk,
            sites=SiteSelection(levels=(Level.CENTRAL, Level.PROVINCE, Level.COMMUNE)),
            host_code="TW",
            slot__start=start,
            details__title="Quốc gia",
        ),
        "confidential": booked(
            alice,
            bridge_id=national_bridge.pk,
            sites=at("X0102"),
            host_code="X0102",
            slot__start=start + timedelta(days=2),
            details__title="Mật trung ương",
            details__classification=Classification.CONFIDENTIAL,
            details__attendees=((carol.pk, "member"),),
        ),
        "hanoi": booked(
            lan,
            bridge_id=BridgeFactory(name="MCU Hà Nội", owner=hanoi).pk,
            sites=SiteSelection(subtrees=("T01",)),
            host_code="T01",
            slot__start=start + timedelta(days=1),
            details__title="Hà Nội",
        ),
        "other": booked(
            minh,
            bridge_id=BridgeFactory(name="MCU T02", owner=other).pk,
            sites=SiteSelection(subtrees=("T02",)),
            host_code="T02",
            slot__start=start + timedelta(days=1),
            details__title="Tỉnh khác",
        ),
    }
    return {"lan": lan, "minh": minh, "sites": sites, **sessions}


def test_an_office_sees_the_sessions_touching_its_jurisdiction(tree, alice):
    assert titles(concerning(tree["lan"])) == ["Hà Nội", "Mật trung ương", "Quốc gia"]
    assert titles(with_details(tree["lan"])) == ["Hà Nội", "Quốc gia"]
    assert titles(concerning(tree["minh"])) == ["Quốc gia", "Tỉnh khác"]
    assert titles(concerning(alice)) == ["Hà Nội", "Mật trung ương", "Quốc gia", "Tỉnh khác"]


def test_only_the_owning_office_changes_a_session(tree, alice):
    assert titles(changeable(tree["lan"])) == ["Hà Nội"]
    assert titles(changeable(tree["minh"])) == ["Tỉnh khác"]
    assert titles(changeable(alice)) == ["Mật trung ương", "Quốc gia"]


def test_a_colleague_of_the_organiser_does_not_read_a_confidential_session(tree, alice):
    colleague = UserFactory(username="vpcp2", roles=[Role.SECRETARIAT])

    assert "Mật trung ương" in titles(concerning(colleague))
    assert "Mật trung ương" not in titles(with_details(colleague))
    assert "Mật trung ương" not in titles(changeable(colleague))


def test_an_office_watches_its_part_of_a_session_it_does_not_own(tree, alice):
    from conferencing.watch_policy import WHOLE_BOARD, BoardPart
    from meetings.visibility import board_part

    assert titles(watchable(tree["lan"])) == ["Hà Nội", "Quốc gia"]
    assert board_part(tree["lan"], tree["national"]) == BoardPart(within="/TW/T01/")
    assert board_part(tree["lan"], tree["hanoi"]) == WHOLE_BOARD
    assert board_part(alice, tree["national"]) == WHOLE_BOARD
    assert board_part(tree["minh"], tree["hanoi"]) is None
    assert board_part(tree["lan"], tree["confidential"]) is None


def test_the_host_sites_technician_watches_the_whole_board(tree, bob):
    from conferencing.watch_policy import WHOLE_BOARD
    from meetings.visibility import board_part

    tree["sites"]["T01"].technicians.add(bob)

    assert board_part(bob, tree["hanoi"]) == WHOLE_BOARD
    assert board_part(bob, tree["national"]) is None  # TW hosts it, not bob's site


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("office", ["Hà Nội"]),
        ("jurisdiction", ["Hà Nội", "Mật trung ương", "Quốc gia"]),
        ("", ["Hà Nội", "Mật trung ương", "Quốc gia"]),
    ],
)
def test_the_lists_filter_my_offices_sessions_or_my_jurisdictions(tree, scope, expected):
    from meetings.visibility import SiteFilters, filter_by_sites

    lan = tree["lan"]
    filtered = filter_by_sites(concerning(lan), lan, SiteFilters(office_scope=scope))

    assert titles(filtered) == expected


def test_a_site_filter_outside_the_jurisdiction_reveals_no_confidential_session(tree):
    from meetings.visibility import SiteFilters, filter_by_sites

    minh = tree["minh"]
    at_x0102 = filter_by_sites(concerning(minh), minh, SiteFilters(subtree="/TW/T01/"))

    assert titles(at_x0102) == ["Quốc gia"]
