"""The API schema and its docs page are for signed-in people and token holders only:
they map every endpoint and field of the system, which outsiders need not know."""

from people import api_tokens
from people.models import TokenScope

SCHEMA_URL = "/api/v1/schema/"
DOCS_URL = "/api/v1/docs/"


def test_schema_anonymous_is_refused_with_401(api, db):
    response = api.get(SCHEMA_URL, {"format": "json"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_schema_with_a_token_is_served(api, carol):
    made = api_tokens.create(carol, name="Tích hợp", scope=TokenScope.READ)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {made.key}")

    response = api.get(SCHEMA_URL, {"format": "json"})

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Giao Ban API"


def test_schema_with_a_session_is_served(api_as, mallory):
    response = api_as(mallory).get(SCHEMA_URL, {"format": "json"})

    assert response.status_code == 200


def test_docs_page_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(DOCS_URL)

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/api/v1/docs/"


def test_docs_start_up_script_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(DOCS_URL, {"script": ""})

    assert response.status_code == 302


def test_docs_page_signed_in_is_served(client_as, carol):
    response = client_as(carol).get(DOCS_URL)

    assert response.status_code == 200
