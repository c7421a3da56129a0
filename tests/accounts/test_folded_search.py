"""Search ignoring case, marks and đ, served by an index on both databases."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from accounts.folded_search import ensure_indexes, matching
from conferencing.models import Endpoint, Level
from tests.factories import EndpointFactory, UserFactory, bulk_communes, centre

pytestmark = pytest.mark.django_db


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


@pytest.fixture
def sites():
    root = centre()
    hanoi = EndpointFactory(code="HN", name="Hà Nội", level=Level.PROVINCE, parent=root)
    EndpointFactory(code="HK", name="Phường Hoàn Kiếm", level=Level.COMMUNE, parent=hanoi)
    EndpointFactory(code="DN", name="Đà Nẵng", level=Level.PROVINCE, parent=root)
    EndpointFactory(code="DL", name="Đắk Lắk", level=Level.PROVINCE, parent=root)
    return root


@pytest.mark.parametrize("typed", ["hoan kiem", "HOÀN KIẾM", "Hoàn Kiếm", "kiem hoan", "hoàn"])
def test_a_site_is_found_however_its_name_is_typed(sites, typed):
    assert codes(matching(Endpoint.objects.all(), typed)) == {"HK"}


def test_d_with_stroke_is_found_as_d(sites):
    assert codes(matching(Endpoint.objects.all(), "da nang")) == {"DN"}
    assert codes(matching(Endpoint.objects.all(), "Đ")) >= {"DN", "DL"}


def test_short_words_and_codes_are_found_too(sites):
    assert codes(matching(Endpoint.objects.all(), "hk")) == {"HK"}


def test_every_word_must_match(sites):
    assert codes(matching(Endpoint.objects.all(), "hoan nang")) == set()


def test_an_empty_query_filters_nothing(sites):
    assert matching(Endpoint.objects.all(), "  ").count() == Endpoint.objects.count()


def test_query_syntax_is_searched_as_text(sites):
    for typed in ['"', 'hoan" OR "nang', "NEAR(a b)", "*", "%", "_"]:
        assert codes(matching(Endpoint.objects.all(), typed)) <= {"HK", "DN"}


def test_a_renamed_site_is_found_by_its_new_name(sites):
    site = Endpoint.objects.get(code="DN")
    site.name = "Thành phố Huế"
    site.save()
    assert codes(matching(Endpoint.objects.all(), "hue")) == {"DN"}
    assert codes(matching(Endpoint.objects.all(), "da nang")) == set()


def test_bulk_inserted_and_deleted_sites_follow(sites):
    bulk_communes(Endpoint.objects.get(code="HN"), 3, prefix="Z")
    Endpoint.objects.filter(code="HK").delete()
    assert codes(matching(Endpoint.objects.all(), "hoan kiem")) == set()


def test_people_are_searched_through_their_person():
    UserFactory(username="lan", full_name="Nguyễn Thị Lan")
    UserFactory(username="hung", full_name="Đặng Văn Hùng")
    found = matching(get_user_model().objects.all(), "dang van", path="person__")
    assert list(found.values_list("username", flat=True)) == ["hung"]


def test_the_index_comes_back_after_its_triggers_are_lost(sites):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite drops a table's triggers when it rebuilds the table")
    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER "conferencing_endpoint_search_update"')
    Endpoint.objects.filter(code="DN").update(search_key="thanh pho hue")
    ensure_indexes(connection)
    assert codes(matching(Endpoint.objects.all(), "hue")) == {"DN"}


def test_postgresql_serves_substring_search_from_the_trigram_index(sites):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    # Unordered: on a table this small the planner would rather walk the path index (the
    # model's ordering) and filter than use any other index and sort.
    query = matching(Endpoint.objects.order_by(), "hoan kiem")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "conferencing_endpoint_search_trgm" in plan
