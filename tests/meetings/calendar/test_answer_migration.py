"""Migration meetings 0012: invitations sent before answers existed carry none ("" and no
time), and take one afterwards. Rows are written with the historical models of the
state before it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meetings.calendar.answers import record_answer
from meetings.calendar.models import SentInvitation

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("meetings", "0011_meeting_search_and_minutes_submitter")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_invitations_sent_before_answers_carry_none_and_take_one_after():
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    Sent = old.get_model("meetings", "SentInvitation")
    person = User.objects.create(username="lan")
    sent = Sent.objects.create(uid="a@giaoban", user=person, sequence=2, method="REQUEST")

    migrate(latest())

    row = SentInvitation.objects.get(pk=sent.pk)
    assert (row.answer, row.answered_at, row.sequence) == ("", None, 2)
    assert record_answer(person.pk, "a@giaoban", "accepted").answer == "accepted"
