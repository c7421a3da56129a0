"""Migration conferencing 0008: API tokens of Secretariat users made before offices act
for their owner's first active office (by code); other tokens stay unbound (they act for
no office). Rows are written with the historical models of the state before it; since
people 0003 the bindings live on people.ApiToken (tests/people/test_api_token_migration.py)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from people.models import ApiToken

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("conferencing", "0007_import_job_office")]
TOKENS = [
    ("authtoken", "0004_alter_tokenproxy_options"),
    ("auth", "0012_alter_user_first_name_max_length"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([*targets, *TOKENS]).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_secretariat_tokens_are_bound_to_their_first_office():
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    Group = old.get_model("auth", "Group")
    Endpoint = old.get_model("conferencing", "Endpoint")
    Office = old.get_model("conferencing", "Office")
    Token = old.get_model("authtoken", "Token")
    secretariat, _created = Group.objects.get_or_create(name="Secretariat")
    technicians, _created = Group.objects.get_or_create(name="Technician")
    root = Endpoint.objects.create(code="TW", name="Trung ương", level=0, path="TW/")
    central = Office.objects.create(code="VPCP", name="Văn phòng Chính phủ", jurisdiction=root)
    other = Office.objects.create(code="VPUB", name="Văn phòng UBND", jurisdiction=root)
    staff = User.objects.create(username="staff")
    staff.groups.add(secretariat)
    other.members.add(staff)
    central.members.add(staff)
    technician = User.objects.create(username="tech")
    technician.groups.add(technicians)
    staff_token = Token.objects.create(user=staff, key="s" * 40)
    technician_token = Token.objects.create(user=technician, key="t" * 40)

    migrate(latest())

    bindings = set(ApiToken.objects.values_list("prefix", "office_id"))
    assert bindings == {(staff_token.key[:8], central.pk), (technician_token.key[:8], None)}
