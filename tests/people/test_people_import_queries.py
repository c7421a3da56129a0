"""The import's queries do not grow with its rows: the same count for 3 and 30 people,
created, then re-imported unchanged, then changed."""

import pytest

from tests.people.conftest import csv_of


def people(count: int, *, phone: str = "0912345678") -> str:
    return csv_of(
        *(
            f"Nguyễn Văn An {n},an{n}@hanoi.gov.vn,{phone},an{n},Technician,VP-HN,X0101;X0102"
            for n in range(count)
        )
    )


@pytest.fixture
def warm(run_import, hanoi):
    """One import first, so that the role groups and the caches of the world are read."""
    run_import(csv_of("Khởi động,warm@hanoi.gov.vn,,,,,"))


@pytest.mark.parametrize("count", [3, 30])
def test_creating_people_costs_the_same_queries(run_import, warm, count, django_assert_num_queries):
    with django_assert_num_queries(14):
        report = run_import(people(count))

    assert report.created == count


@pytest.mark.parametrize("count", [3, 30])
def test_re_importing_unchanged_people_costs_the_same_queries(
    run_import, warm, count, django_assert_num_queries
):
    run_import(people(count))

    with django_assert_num_queries(11):
        report = run_import(people(count))

    assert report.unchanged == count


@pytest.mark.parametrize("count", [3, 30])
def test_updating_people_costs_the_same_queries(run_import, warm, count, django_assert_num_queries):
    run_import(people(count))

    with django_assert_num_queries(14):
        report = run_import(people(count, phone="0987654321"))

    assert report.updated == count
