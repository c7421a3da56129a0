"""Two pairs of eyes, the rule alone (meetings.records.four_eyes): who submitted, who
approves, and whether the office has said it has a single secretary. Its use by the
minutes is tested in test_archive.py."""

import pytest
from django.utils import translation

from accounts.roles import Role
from meetings.records.four_eyes import second_pair_of_eyes
from tests.factories import OfficeFactory, UserFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def office(db):
    return OfficeFactory(code="VP-4E")


@pytest.fixture
def dung(db):
    return UserFactory(username="dung", roles=[Role.SECRETARIAT])


def test_someone_else_may_approve(office, alice, dung):
    verdict = second_pair_of_eyes(alice.pk, dung, office)

    assert (verdict.allowed, verdict.exception_used, verdict.audit()) == (True, False, {})


def test_the_submitter_may_not_approve(office, alice):
    verdict = second_pair_of_eyes(alice.pk, alice, office)

    assert verdict.allowed is False
    assert verdict.refusal == (
        "You submitted this version yourself: another member of the office must "
        "approve it (two pairs of eyes)."
    )


def test_the_submitter_of_a_single_secretary_office_may_approve_as_a_recorded_exception(
    office, alice
):
    office.single_secretary = True

    verdict = second_pair_of_eyes(alice.pk, alice, office)

    assert (verdict.allowed, verdict.exception_used) == (True, True)
    assert verdict.audit() == {"single_secretary_exception": True}


def test_a_single_secretary_office_uses_no_exception_when_someone_else_approves(
    office, alice, dung
):
    office.single_secretary = True

    assert second_pair_of_eyes(alice.pk, dung, office).exception_used is False


def test_nothing_submitted_by_anyone_known_is_no_conflict(office, alice):
    assert second_pair_of_eyes(None, alice, office).allowed is True
