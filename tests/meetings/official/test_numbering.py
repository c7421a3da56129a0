"""Numbers per office, kind and year: sequential, restarting each year, never reused."""

import pytest
from django.db import transaction

from meetings.official.models import DocumentKind, DocumentNumber
from meetings.official.numbering import allocate_number, number_symbol, symbol_for
from tests.factories import OfficeFactory, central_office, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    sites = site_tree(provinces=1, communes=0)
    return central_office(), OfficeFactory(code="VPUB-HN", jurisdiction=sites["T01"])


def test_numbers_follow_one_another_per_office_and_kind(offices):
    centre, hanoi = offices

    given = [
        allocate_number(centre, "conclusion", 2026),
        allocate_number(centre, "conclusion", 2026),
        allocate_number(hanoi, "conclusion", 2026),
        allocate_number(centre, "invitation", 2026),
        allocate_number(centre, "conclusion", 2026),
    ]

    assert given == [1, 2, 1, 1, 3]


def test_a_new_year_starts_again_from_one(offices):
    centre, _hanoi = offices
    allocate_number(centre, "conclusion", 2026)
    allocate_number(centre, "conclusion", 2026)

    first_of_2027 = allocate_number(centre, "conclusion", 2027)
    next_of_2026 = allocate_number(centre, "conclusion", 2026)

    assert (first_of_2027, next_of_2026) == (1, 3)


def test_an_abandoned_number_is_never_given_again(offices):
    centre, _hanoi = offices
    abandoned = allocate_number(centre, "invitation", 2026)  # its document never made

    following = allocate_number(centre, "invitation", 2026)

    assert (abandoned, following) == (1, 2)
    assert list(DocumentNumber.objects.values_list("number", flat=True)) == [1, 2]


def test_a_number_whose_transaction_rolled_back_was_never_given(offices):
    centre, _hanoi = offices
    with pytest.raises(RuntimeError), transaction.atomic():
        allocate_number(centre, "invitation", 2026)
        raise RuntimeError

    assert allocate_number(centre, "invitation", 2026) == 1


def test_an_unknown_kind_is_refused(offices):
    centre, _hanoi = offices

    with pytest.raises(ValueError):
        allocate_number(centre, "memo", 2026)

    assert DocumentNumber.objects.count() == 0


def test_the_symbol_names_the_kind_and_the_office(offices):
    centre, hanoi = offices

    assert symbol_for(centre, DocumentKind.CONCLUSION) == "TB-VPCP"
    assert symbol_for(hanoi, "invitation") == "GM-VPUB-HN"
    assert number_symbol(5, centre, "conclusion") == "05/TB-VPCP"
    assert number_symbol(112, hanoi, "invitation") == "112/GM-VPUB-HN"
