"""People are searched as sites and sessions are: folded words through the search index
(accounts.folded_search), not a scan of every person."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from people import roster
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    UserFactory(username="lannt", full_name="Nguyễn Thị Lan")
    UserFactory(username="hungdv", full_name="Đặng Văn Hùng")


def test_search_finds_d_with_stroke_as_d(people):
    found = roster.search(get_user_model().objects.all(), "DANG van")

    assert list(found.values_list("username", flat=True)) == ["hungdv"]


def test_search_is_served_by_the_index(people):
    searched = roster.search(get_user_model().objects.order_by(), "dang van")

    sql, params = searched.query.sql_with_params()
    if connection.vendor == "sqlite":
        assert '"accounts_person_search" MATCH' in sql
        return
    with connection.cursor() as cursor:
        # On tables this small the planner would as soon walk a primary key and filter;
        # with plain index scans off too, only the trigram index can find the rows.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "accounts_person_search_trgm" in plan
