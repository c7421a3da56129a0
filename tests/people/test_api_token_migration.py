"""Migration people 0004: every rest_framework.authtoken key becomes a people.ApiToken
holding the SHA-256 of that very key, so integrations keep working; the office its
TokenOffice named comes along; the plain keys are gone afterwards (and conferencing 0009
drops TokenOffice)."""

import pytest
from django.db import connection

from conferencing import jurisdiction
from people import api_tokens
from people.models import ApiToken
from tests.historical import latest, migrate, models_at, site_rows, user

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("people", "0003_people_import_jobs"),
    ("conferencing", "0008_api_tokens_act_for_an_office"),
    ("authtoken", "0004_alter_tokenproxy_options"),
]
KEY = "0123456789abcdef0123456789abcdef01234567"
UNBOUND_KEY = "fedcba9876543210fedcba9876543210fedcba98"


def old_tokens() -> dict:
    migrate(BEFORE)
    old = models_at(BEFORE)
    sites = site_rows(old)
    Office = old.get_model("conferencing", "Office")
    hanoi = Office.objects.create(code="VP-HN", name="Văn phòng Hà Nội", jurisdiction=sites["T01"])
    staff = user(old, "staff", "Secretariat")
    hanoi.members.add(staff)
    technician = user(old, "tech", "Technician")
    Token = old.get_model("authtoken", "Token")
    bound = Token.objects.create(user=staff, key=KEY)
    Token.objects.create(user=technician, key=UNBOUND_KEY)
    old.get_model("conferencing", "TokenOffice").objects.create(token=bound, office=hanoi)
    return {"staff": staff.pk, "tech": technician.pk, "hanoi": hanoi.pk, "made": bound.created}


def test_old_keys_keep_working_with_their_office_and_are_no_longer_stored():
    before = old_tokens()

    migrate(latest())

    carried = {
        token.user_id: (token.prefix, token.office_id, token.scope, token.expires_at)
        for token in ApiToken.objects.all()
    }
    assert carried == {
        before["staff"]: (KEY[:8], before["hanoi"], "read_write", None),
        before["tech"]: (UNBOUND_KEY[:8], None, "read_write", None),
    }
    token = api_tokens.authenticate(KEY)
    api_tokens.act_for_its_office(token)
    assert (token.user_id, jurisdiction.acting_office(token.user).pk) == (
        before["staff"],
        before["hanoi"],
    )
    assert ApiToken.objects.get(user_id=before["staff"]).created_at == before["made"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
    assert "conferencing_tokenoffice" not in connection.introspection.table_names()
