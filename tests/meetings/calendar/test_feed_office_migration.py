"""Migration meetings 0010: organisation feeds made before offices act for their owner's
first active office (by code); those of an owner without one are revoked; other feeds
are untouched. Rows are written with the historical models of the state before it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meetings.calendar.models import FeedToken

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("meetings", "0009_audit_keeps_no_session_titles")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_organisation_feeds_follow_their_owner_first_office_or_are_revoked():
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    Endpoint = old.get_model("conferencing", "Endpoint")
    Office = old.get_model("conferencing", "Office")
    Feed = old.get_model("meetings", "FeedToken")
    root = Endpoint.objects.create(code="TW", name="Trung ương", level=0, path="TW/")
    province = Endpoint.objects.create(
        code="T01", name="Hà Nội", level=1, parent=root, path="TW/T01/"
    )
    zeta = Office.objects.create(code="Z-VP", name="Văn phòng Z", jurisdiction=root)
    alpha = Office.objects.create(code="A-VP", name="Văn phòng A", jurisdiction=province)
    closed = Office.objects.create(
        code="0-VP", name="Văn phòng đã đóng", jurisdiction=province, is_active=False
    )
    member = User.objects.create(username="member")
    zeta.members.add(member)
    alpha.members.add(member)
    closed.members.add(member)
    loner = User.objects.create(username="loner")
    kept = Feed.objects.create(user=member, kind="organisation", token_hash="a" * 64)
    revoked = Feed.objects.create(user=loner, kind="organisation", token_hash="b" * 64)
    personal = Feed.objects.create(user=loner, kind="personal", token_hash="c" * 64)

    migrate(latest())

    feeds = {feed.pk: feed for feed in FeedToken.objects.all()}
    assert feeds[kept.pk].office_id == alpha.pk
    assert feeds[kept.pk].revoked_at is None
    assert (feeds[revoked.pk].office_id, feeds[revoked.pk].revoked_at is not None) == (None, True)
    assert (feeds[personal.pk].office_id, feeds[personal.pk].revoked_at) == (None, None)
