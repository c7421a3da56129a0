"""A directory person made current at sign-in: groups give role and office by rules the
superuser edits (the environment's default until then); a site attribute gives sites."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Person, Source
from accounts.roles import Role, roles_of
from audit.models import AuditEntry
from people import directory
from people.models import DirectoryRule, DirectorySource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def found(**fields) -> directory.DirectoryPerson:
    return directory.DirectoryPerson(
        source=Source.LDAP,
        full_name=fields.pop("full_name", "Nguyễn Thị Lan"),
        email=fields.pop("email", "lan@hanoi.gov.vn"),
        **fields,
    )


def fresh(user):
    user.refresh_from_db()
    user.__dict__.pop("_giaoban_roles", None)
    return user


def test_rules_from_the_environment_name_a_role_and_an_office():
    rules = directory.parse_rules(" gb-thuky = Secretariat:VP-HN ; gb-daibieu=Attendee ;")
    assert rules == [
        directory.Rule("gb-thuky", Role.SECRETARIAT, "VP-HN"),
        directory.Rule("gb-daibieu", Role.ATTENDEE, None),
    ]


@pytest.mark.parametrize("text", ["gb-thuky", "gb=Boss:VP", "=Secretariat", "gb="])
def test_a_malformed_rule_stops_start_up(text):
    with pytest.raises(ImproperlyConfigured):
        directory.parse_rules(text)


def test_the_rows_replace_the_environment_once_there_are_any(settings, hanoi):
    settings.DIRECTORY_RULES = "gb-env=Attendee"
    assert [r.group for r in directory.rules(Source.LDAP)] == ["gb-env"]

    DirectoryRule.objects.create(group="gb-ldap", role=Role.TECHNICIAN, source=DirectorySource.LDAP)
    DirectoryRule.objects.create(group="gb-oidc", office=hanoi, source=DirectorySource.OIDC)

    assert [r.group for r in directory.rules(Source.LDAP)] == ["gb-ldap"]
    assert [(r.group, r.office_code) for r in directory.rules(Source.OIDC)] == [
        ("gb-oidc", "VP-HN")
    ]


def test_groups_give_role_office_and_the_attribute_sites(settings, sites, hanoi):
    settings.DIRECTORY_RULES = "gb-thuky=Secretariat:VP-HN;gb-kythuat=Technician"
    user = UserFactory(username="lan")

    matched = directory.sync_person(
        user,
        found(
            groups=["GB-THUKY", "gb-kythuat", "unrelated"],
            site_codes=["X0101", "NOPE"],
            phone="0912345678",
            unit="Phòng Hành chính",
        ),
    )

    assert matched
    user = fresh(user)
    assert roles_of(user) == {Role.SECRETARIAT, Role.TECHNICIAN}
    assert list(user.offices.values_list("code", flat=True)) == ["VP-HN"]
    assert list(user.served_endpoints.values_list("code", flat=True)) == ["X0101"]
    person = Person.objects.get(user=user)
    assert (person.full_name, person.phone, person.unit, person.source) == (
        "Nguyễn Thị Lan",
        "0912345678",
        "Phòng Hành chính",
        "ldap",
    )
    entry = AuditEntry.objects.get(action="person.directory_synced")
    assert entry.changes["after"] == {
        "roles": ["Secretariat", "Technician"],
        "offices": ["VP-HN"],
        "sites": ["X0101"],
    }


def test_a_membership_removed_in_the_directory_goes_at_the_next_sign_in(settings, hanoi):
    settings.DIRECTORY_RULES = "gb-thuky=Secretariat:VP-HN;gb-daibieu=Attendee"
    user = UserFactory(username="lan")
    directory.sync_person(user, found(groups=["gb-thuky"]))

    directory.sync_person(user, found(groups=["gb-daibieu"]))

    user = fresh(user)
    assert roles_of(user) == {Role.ATTENDEE}
    assert not user.offices.exists()


def test_without_a_site_attribute_the_sites_managed_in_the_app_stay(settings, sites):
    settings.DIRECTORY_RULES = "gb-kythuat=Technician"
    user = UserFactory(username="hung")
    sites["X0102"].technicians.add(user)

    directory.sync_person(user, found(groups=["gb-kythuat"], site_codes=None))

    assert list(user.served_endpoints.values_list("code", flat=True)) == ["X0102"]


def test_no_matching_group_refuses_and_changes_nothing(settings):
    settings.DIRECTORY_RULES = "gb-thuky=Secretariat"
    user = UserFactory(username="lan", full_name="Tên cũ", roles=[Role.ATTENDEE])

    assert not directory.sync_person(user, found(groups=["someone-else"]))

    user = fresh(user)
    assert roles_of(user) == {Role.ATTENDEE}
    assert Person.objects.get(user=user).full_name == "Tên cũ"
    assert not AuditEntry.objects.filter(action="person.directory_synced").exists()


def test_an_unchanged_person_leaves_no_audit_entry(settings):
    settings.DIRECTORY_RULES = "gb-daibieu=Attendee"
    user = UserFactory(username="minh")
    directory.sync_person(user, found(groups=["gb-daibieu"]))
    directory.sync_person(user, found(groups=["gb-daibieu"]))

    assert AuditEntry.objects.filter(action="person.directory_synced").count() == 1
