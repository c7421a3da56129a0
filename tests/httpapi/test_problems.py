"""Every error under /api/ is one RFC 9457 problem (httpapi.problems): application/
problem+json with type, title, status, detail, instance and a stable code; a request
that is not valid names every invalid field at once, nested ones by their dotted path;
title and detail in the language the client asks for."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIClient

from config.api_errors import exception_handler
from httpapi.problems import field_errors
from tests.problems import CONTENT_TYPE

MEETINGS = "/api/v1/meetings/"
TYPES = "http://127.0.0.1:8000/api/v1/problems/"


def problem(status: int, code: str, title: str, detail: str, instance: str = MEETINGS) -> dict:
    return {
        "type": f"{TYPES}{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }


def test_every_invalid_field_is_named_at_once_by_its_dotted_path(api_as, alice):
    body = {
        "bridge": "MCU",
        "start": "sáng mai",
        "sites": {"levels": ["galaxy"]},
        "attendees": [{"user": 1}, {"user": 2}, {"user": "ông Ba"}],
    }

    response = api_as(alice).post(MEETINGS, body, format="json")

    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == {
        **problem(
            400,
            "invalid",
            "The request is not valid",
            "7 fields of the request are not valid; see errors.",
        ),
        "errors": [
            {"field": "title", "code": "required", "detail": "This field is required."},
            {"field": "bridge", "code": "invalid", "detail": "A valid integer is required."},
            {
                "field": "start",
                "code": "invalid",
                "detail": "Datetime has wrong format. Use one of these formats instead: "
                "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
            },
            {"field": "end", "code": "required", "detail": "This field is required."},
            {
                "field": "sites.levels.0",
                "code": "invalid_choice",
                "detail": '"galaxy" is not a valid choice.',
            },
            {"field": "host", "code": "required", "detail": "This field is required."},
            {
                "field": "attendees.2.user",
                "code": "invalid",
                "detail": "A valid integer is required.",
            },
        ],
    }


def test_a_single_invalid_field_is_the_detail_itself(api_as, alice):
    response = api_as(alice).get(MEETINGS, {"status": "galaxy"})

    assert (response.status_code, response.json()["detail"]) == (
        400,
        response.json()["errors"][0]["detail"],
    )
    assert [error["field"] for error in response.json()["errors"]] == ["status"]


@pytest.mark.parametrize(
    ("detail", "errors"),
    [
        ({"non_field_errors": ["x"]}, [("", "x")]),
        (
            {"slot": {"non_field_errors": ["x"], "start": ["y"]}},
            [("slot", "x"), ("slot.start", "y")],
        ),
        ([{}, {"user": ["x"]}], [("1.user", "x")]),
        ({"levels": {0: ["x"], 3: ["y"]}}, [("levels.0", "x"), ("levels.3", "y")]),
        (["x", "y"], [("", "x"), ("", "y")]),
    ],
)
def test_field_errors_flatten_drf_nesting(detail, errors):
    flat = field_errors(exceptions.ValidationError(detail).detail)

    assert [(error["field"], error["detail"]) for error in flat] == errors


def test_title_and_detail_are_in_the_language_asked_code_and_type_are_not(alice):
    english, vietnamese = APIClient(HTTP_ACCEPT_LANGUAGE="en"), APIClient(HTTP_ACCEPT_LANGUAGE="vi")

    answers = [client.get("/api/v1/meetings/999999/").json() for client in (english, vietnamese)]

    assert [(a["code"], a["type"], a["title"], a["detail"]) for a in answers] == [
        (
            "not_authenticated",
            f"{TYPES}not_authenticated",
            "Not signed in",
            "Authentication credentials were not provided.",
        ),
        (
            "not_authenticated",
            f"{TYPES}not_authenticated",
            "Chưa đăng nhập",
            "Chưa gửi thông tin xác thực.",
        ),
    ]


def test_validation_problem_in_vietnamese(alice):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(alice)

    response = client.post(MEETINGS, {}, format="json")

    assert (response.json()["title"], response.json()["errors"][0]["detail"]) == (
        "Yêu cầu không hợp lệ",
        "Trường này là bắt buộc.",
    )


@pytest.mark.django_db
def test_not_signed_in_is_401_with_the_bearer_challenge(api):
    response = api.get(MEETINGS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == problem(
        401, "not_authenticated", "Not signed in", "Authentication credentials were not provided."
    )


def test_a_wrong_method_is_405(api_as, alice):
    response = api_as(alice).delete(MEETINGS)

    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == problem(
        405, "method_not_allowed", "Method not allowed", 'Method "DELETE" not allowed.'
    )


def test_a_body_not_in_json_is_415(api_as, alice):
    response = api_as(alice).post(MEETINGS, "title=x", content_type="text/plain")

    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == problem(
        415,
        "unsupported_media_type",
        "Unsupported media type",
        'Unsupported media type "text/plain" in request.',
    )


def test_broken_json_is_400_parse_error(api_as, alice):
    response = api_as(alice).post(MEETINGS, "{", content_type="application/json")

    assert response["Content-Type"] == CONTENT_TYPE
    assert (response.status_code, response.json()["code"], response.json()["title"]) == (
        400,
        "parse_error",
        "The request body is not valid JSON",
    )


def test_an_answer_the_client_does_not_accept_is_406_in_json(api_as, alice):
    response = api_as(alice).get(MEETINGS, HTTP_ACCEPT="text/html")

    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == problem(
        406, "not_acceptable", "Not acceptable", "Could not satisfy the request Accept header."
    )


def test_a_role_that_may_not_is_403(api_as, carol):
    response = api_as(carol).post(MEETINGS, {}, format="json")

    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == problem(
        403,
        "permission_denied",
        "Not allowed",
        "You do not have permission to perform this action.",
    )


def test_a_missing_object_is_404(api_as, alice):
    response = api_as(alice).get(f"{MEETINGS}999999/")

    assert response.json() == problem(
        404, "not_found", "Not found", "Not found.", instance=f"{MEETINGS}999999/"
    )


def test_djangos_permission_denied_is_the_403_problem_not_a_500():
    response = handled(PermissionDenied())

    assert (response.status_code, response.content_type) == (403, CONTENT_TYPE)
    assert (response.data["code"], response.data["detail"]) == (
        "permission_denied",
        "You do not have permission to perform this action.",
    )


def handled(exc: Exception):
    """The project's handler answering `exc` as a view would have raised it: for the
    statuses no view raises yet (412, 422, 429)."""
    request = Request(RequestFactory().get(MEETINGS))
    with translation.override("en"):
        return exception_handler(exc, {"request": request, "view": None})


@pytest.mark.parametrize(
    ("exc", "status", "code", "title"),
    [
        (exceptions.Throttled(wait=30), 429, "throttled", "Too many requests"),
        (
            type(
                "Stale", (exceptions.APIException,), {"status_code": 412, "default_code": "stale"}
            )("Changed since."),
            412,
            "stale",
            "Precondition failed",
        ),
        (
            type("Odd", (exceptions.APIException,), {"status_code": 422, "default_code": "odd"})(
                "Odd."
            ),
            422,
            "odd",
            "Unprocessable request",
        ),
    ],
)
def test_other_statuses_are_problems_with_their_code(exc, status, code, title):
    response = handled(exc)

    assert (response.status_code, response.content_type) == (status, CONTENT_TYPE)
    assert (response.data["status"], response.data["code"], response.data["title"]) == (
        status,
        code,
        title,
    )


def test_too_many_requests_says_when_to_retry():
    response = handled(exceptions.Throttled(wait=30))

    assert response["Retry-After"] == "30"
