"""Errors under /api/ are problems (RFC 9457, application/problem+json), whatever fails:
an unexpected exception inside a DRF view (the database down under token
authentication), one raised before any view (the session middleware with the database
down), an unknown URL anywhere under /api/. Pages outside /api/ keep their HTML."""

import pytest
from django.test import Client

from people import api_tokens
from people.models import TokenScope
from tests.problems import CONTENT_TYPE

SERVER_ERROR = {
    "type": "http://127.0.0.1:8000/api/v1/problems/server_error",
    "title": "Server error",
    "status": 500,
    "detail": "Something went wrong on the server; it was logged. Please try again later.",
    "instance": "/api/v1/meetings/",
    "code": "server_error",
}


@pytest.fixture
def token(db, alice):
    return api_tokens.create(alice, name="Tích hợp", scope=TokenScope.READ).key


def test_api_unexpected_exception_in_a_view_is_a_problem_500(token, unreachable_database):
    api = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")

    response = api.get("/api/v1/meetings/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 500
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == SERVER_ERROR


def test_api_exception_outside_a_view_is_a_problem_500(client, alice, unreachable_database):
    client.raise_request_exception = False
    client.cookies["sessionid"] = "a-session-the-database-cannot-read"

    response = client.get("/api/v1/meetings/", headers={"accept-language": "en"})

    assert response.status_code == 500
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == SERVER_ERROR


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v2/whatever", "/api/", "/api"])
def test_api_unknown_url_is_a_problem_404(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == {
        "type": "http://127.0.0.1:8000/api/v1/problems/not_found",
        "title": "Not found",
        "status": 404,
        "detail": "Not found.",
        "instance": path,
        "code": "not_found",
    }


@pytest.mark.django_db
def test_web_unknown_url_is_still_an_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_api_404_says_the_same_whatever_raised_it(api_as, alice):
    """get_object_or_404 names the model in its message; the API must not repeat it, or a
    missing object would answer differently from a refused one (a bare Http404)."""
    response = api_as(alice).get("/api/v1/record-versions/999999/")

    assert (response.status_code, response.json()["detail"]) == (404, "Not found.")


def test_api_permission_denied_raised_by_a_domain_rule_is_a_problem_403(api_as, carol):
    """meetings.calendar.feed_tokens refuses with Django's PermissionDenied (a domain module
    knows no DRF); the API answers it as DRF would, a 403 problem, not a 500."""
    response = api_as(carol).post("/api/v1/calendar/feeds/", {"kind": "site"}, format="json")

    assert response.status_code == 403
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json()["code"] == "permission_denied"
