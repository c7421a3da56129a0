"""For whom a secretariat member acts, and what the office reaches (conferencing.jurisdiction).

The tree: TW (the centre) → T01 (Hà Nội), T02; communes X0101… under each. The central
office's jurisdiction is TW, Hà Nội's office's T01.
"""

import pytest
from django.utils import translation

from accounts.roles import Role
from conferencing import jurisdiction
from conferencing.jurisdiction import NotAMember, OutsideJurisdiction
from conferencing.site_selection import SiteSelection, resolve_sites
from tests.factories import (
    BridgeFactory,
    UserFactory,
    central_office,
    office_of,
    site_tree,
)


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def lan(hanoi):
    """Nguyễn Thị Lan: secretariat of Hà Nội's office only."""
    return UserFactory(username="lan", roles=[Role.SECRETARIAT], offices=[hanoi])


@pytest.fixture
def english():
    with translation.override("en"):
        yield


# -- For whom a user acts ------------------------------------------------------------------------


def test_a_member_of_one_office_acts_for_it(lan, hanoi):
    assert jurisdiction.acting_office(lan) == hanoi
    assert jurisdiction.booking_office(lan) == hanoi


def test_a_member_of_two_offices_acts_for_the_first_by_code_until_choosing(sites, hanoi):
    centre = central_office()
    both = UserFactory(username="hai", roles=[Role.SECRETARIAT], offices=[hanoi, centre])

    assert jurisdiction.acting_office(both) == hanoi  # "VP-HN" < "VPCP"
    assert jurisdiction.choose(both, str(centre.pk)) == centre
    assert jurisdiction.acting_office(both) == centre


@pytest.mark.parametrize("forged", ["999999", "abc", None, "", "1.5"])
def test_choosing_an_office_one_is_not_a_member_of_is_refused(lan, hanoi, forged, english):
    with pytest.raises(NotAMember, match="not a member of that office"):
        jurisdiction.choose(lan, forged)
    assert jurisdiction.acting_office(lan) == hanoi


def test_choosing_another_existing_office_is_refused_like_a_missing_one(lan, sites):
    other = office_of(sites["T02"], "VP-T02")
    with pytest.raises(NotAMember):
        jurisdiction.choose(lan, other.pk)


def test_a_deactivated_office_is_no_longer_acted_for(lan, hanoi):
    hanoi.is_active = False
    hanoi.save()
    lan = type(lan).objects.get(pk=lan.pk)  # a new request: nothing remembered

    assert jurisdiction.acting_office(lan) is None
    assert jurisdiction.acts_for_an_office(lan) is False


def test_a_remembered_choice_that_is_no_longer_valid_falls_back_to_the_first_office(lan, sites):
    other = office_of(sites["T02"], "VP-T02")
    jurisdiction.remember_choice(lan, other.pk)

    assert jurisdiction.acting_office(lan).code == "VP-HN"


def test_an_office_member_without_the_secretariat_role_books_nothing(sites, hanoi):
    member = UserFactory(username="tam", roles=[Role.ATTENDEE], offices=[hanoi])

    assert jurisdiction.acting_office(member) == hanoi
    assert jurisdiction.booking_office(member) is None


def test_the_superuser_acts_for_no_office_but_manages_every_site_and_office(sites):
    admin = UserFactory(username="root", is_superuser=True)

    assert jurisdiction.booking_office(admin) is None
    assert jurisdiction.managed_sites(admin).count() == len(sites)
    assert jurisdiction.may_manage_offices(admin) is True


def test_the_offices_of_a_user_are_read_once_per_user_object(lan, django_assert_num_queries):
    with django_assert_num_queries(1):
        jurisdiction.offices_of(lan)
        jurisdiction.acting_office(lan)
        jurisdiction.offices_of(lan)


# -- What an office reaches ----------------------------------------------------------------------


def refuse_chosen_outside(office, codes: tuple[str, ...], host: int | None = None) -> None:
    """As booking does: resolve the sites within the office's jurisdiction, refuse the rest."""
    resolved = resolve_sites(
        SiteSelection(sites=codes), within=jurisdiction.jurisdiction_path(office)
    )
    jurisdiction.refuse_outside(office, resolved.outside, host)


def test_an_office_reaches_its_jurisdictions_subtree_only(sites, hanoi):
    assert sorted(jurisdiction.sites_within(hanoi).values_list("code", flat=True)) == [
        "T01",
        "X0101",
        "X0102",
    ]
    assert jurisdiction.covers(hanoi, sites["X0101"]) is True
    assert jurisdiction.covers(hanoi, sites["TW"]) is False


def test_sites_outside_the_jurisdiction_are_refused_by_name(sites, hanoi, english):
    with pytest.raises(OutsideJurisdiction) as refused:
        refuse_chosen_outside(hanoi, ("T01", "X0101", "T02", "X0201"))

    assert refused.value.field == "sites"
    assert refused.value.message == (
        "Outside the jurisdiction of Văn phòng UBND Hà Nội (Điểm cầu T01): T02, X0201."
    )


def test_a_host_outside_the_jurisdiction_is_the_hosts_error(sites, hanoi):
    with pytest.raises(OutsideJurisdiction) as refused:
        refuse_chosen_outside(hanoi, ("T01", "TW"), host=sites["TW"].pk)

    assert refused.value.field == "host"


def test_a_long_list_of_outside_sites_is_cut_short(hanoi, english):
    outside = [(n, f"S{n:03d}") for n in range(8)]

    with pytest.raises(OutsideJurisdiction) as refused:
        jurisdiction.refuse_outside(hanoi, outside)

    assert refused.value.message.endswith("S000, S001, S002, S003, S004 and 3 more.")


def test_sites_within_are_not_refused(sites, hanoi):
    refuse_chosen_outside(hanoi, ("T01", "X0102"))


def test_an_office_uses_its_own_bridges_and_those_shared_with_it(sites, hanoi):
    own = BridgeFactory(name="MCU Hà Nội", owner=hanoi)
    shared = BridgeFactory(name="MCU Quốc gia")
    shared.shared_with.add(hanoi)
    BridgeFactory(name="MCU Dự phòng")  # the centre's, not shared

    assert sorted(jurisdiction.usable_bridges(hanoi).values_list("name", flat=True)) == [
        "MCU Hà Nội",
        "MCU Quốc gia",
    ]
    assert set(jurisdiction.usable_bridges(None)) == set()
    jurisdiction.require_usable_bridge(hanoi, own)


def test_a_bridge_not_shared_is_refused_by_name(sites, hanoi, english):
    central = BridgeFactory(name="MCU Dự phòng")

    with pytest.raises(OutsideJurisdiction) as refused:
        jurisdiction.require_usable_bridge(hanoi, central)

    assert refused.value.field == "bridge"
    assert "MCU Dự phòng" in refused.value.message


def test_offices_below_are_those_inside_the_jurisdiction(sites, hanoi):
    centre = central_office()
    party = office_of(sites["T01"], "VP-TU-HN", name="Văn phòng Tỉnh ủy Hà Nội")
    commune = office_of(sites["X0101"], "VP-X0101")
    office_of(sites["T02"], "VP-T02")

    assert set(jurisdiction.offices_below(hanoi)) == {party, commune}
    assert hanoi in set(jurisdiction.offices_below(centre))


def test_only_the_superuser_and_the_central_office_manage_offices(sites, lan):
    centre_staff = UserFactory(username="vpcp", roles=[Role.SECRETARIAT])

    assert jurisdiction.may_manage_offices(centre_staff) is True
    assert jurisdiction.may_manage_offices(lan) is False
    assert set(jurisdiction.managed_offices(lan)) == set()


# -- Managing sites, bridges and imports (the management pages) ----------------------------------


def test_an_office_manages_the_sites_of_its_jurisdiction_only(sites, lan):
    assert jurisdiction.may_manage_site(lan, sites["X0101"]) is True
    assert jurisdiction.may_manage_site(lan, sites["T01"]) is True
    assert jurisdiction.may_manage_site(lan, sites["X0201"]) is False
    assert jurisdiction.may_manage_site(lan, sites["TW"]) is False


def test_a_new_site_under_a_parent_outside_is_refused_naming_it(sites, lan, english):
    with pytest.raises(OutsideJurisdiction) as refused:
        jurisdiction.require_managed_parent(lan, sites["T02"])

    assert refused.value.field == "parent"
    assert refused.value.message == (
        "Outside the jurisdiction of Văn phòng UBND Hà Nội (Điểm cầu T01): T02."
    )


def test_only_the_superuser_makes_a_site_at_the_top(sites, lan, english):
    root = UserFactory(username="root", is_superuser=True)

    jurisdiction.require_managed_parent(root, None)
    with pytest.raises(OutsideJurisdiction) as refused:
        jurisdiction.require_managed_parent(lan, None)

    assert refused.value.message == "Only the administrator creates a site at the top of the tree."


def test_a_technician_manages_no_site(sites, english):
    technician = UserFactory(username="tu", roles=[Role.TECHNICIAN])

    assert jurisdiction.may_manage_site(technician, sites["X0101"]) is False
    with pytest.raises(OutsideJurisdiction) as refused:
        jurisdiction.require_managed_parent(technician, sites["T01"])

    assert refused.value.message == "You manage no sites."


def test_a_bridge_is_shared_only_with_offices_below_its_owner(sites, hanoi, english):
    commune = office_of(sites["X0101"], "VP-X0101")
    other = office_of(sites["T02"], "VP-T02")
    centre = central_office()

    jurisdiction.require_shareable(hanoi, [commune])
    with pytest.raises(OutsideJurisdiction) as refused:
        jurisdiction.require_shareable(hanoi, [commune, other, centre])

    assert refused.value.field == "shared_with"
    assert refused.value.message == (
        "A bridge of Văn phòng UBND Hà Nội can be shared only with the offices below it, "
        "not with: VP-T02, VPCP."
    )


def test_bridges_seen_are_the_acting_offices_own_and_shared_all_for_the_superuser(
    sites, lan, hanoi
):
    own = BridgeFactory(name="MCU Hà Nội", owner=hanoi)
    shared = BridgeFactory(name="MCU Quốc gia")
    shared.shared_with.add(hanoi)
    BridgeFactory(name="MCU dự phòng")
    root = UserFactory(username="root", is_superuser=True)

    assert set(jurisdiction.visible_bridges(lan)) == {own, shared}
    assert set(jurisdiction.managed_bridges(lan)) == {own}
    assert jurisdiction.visible_bridges(root).count() == 3
    assert list(jurisdiction.bridge_owners(lan)) == [hanoi]


def test_an_import_is_scoped_to_its_office_while_its_user_belongs_to_it(sites, lan, hanoi):
    scope = jurisdiction.import_scope(lan, hanoi)

    assert scope.admits(sites["X0101"].path) is True
    assert scope.admits(sites["X0201"].path) is False


def test_an_import_without_office_or_by_a_former_member_writes_nowhere(sites, lan, hanoi):
    other = office_of(sites["T02"], "VP-T02")

    assert jurisdiction.import_scope(lan, None).admits(sites["X0101"].path) is False
    assert jurisdiction.import_scope(lan, other).admits(sites["X0201"].path) is False


def test_the_superusers_import_writes_anywhere(sites):
    root = UserFactory(username="root", is_superuser=True)

    assert jurisdiction.import_office(root) is None
    assert jurisdiction.import_scope(root, None).unrestricted is True
