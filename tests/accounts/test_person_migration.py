"""Migration accounts 0002: every existing account gets its person, the name joined the
Vietnamese way (Django's last_name holds the family and middle names)."""

import pytest

from accounts.models import Person
from tests.historical import latest, migrate, models_at

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0001_roles")]


def test_existing_accounts_get_their_full_names_family_first():
    migrate(BEFORE)
    User = models_at(BEFORE).get_model("auth", "User")
    lan = User.objects.create(username="lan", first_name="Lan", last_name="Nguyễn Thị")
    bare = User.objects.create(username="bare", email="bare@tinh.gov.vn")

    migrate(latest())

    people = {p.user_id: p for p in Person.objects.all()}
    assert people[lan.pk].full_name == "Nguyễn Thị Lan"
    assert people[lan.pk].search_key == "nguyen thi lan lan"
    assert people[bare.pk].full_name == ""
    assert people[bare.pk].search_key == "bare bare@tinh.gov.vn"
