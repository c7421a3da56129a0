"""Reading the API's problems (httpapi.problems) in tests: the invalid fields as one
`{field: [detail]}` dict, and a problem's members without the parts every problem has."""

from django.http import HttpResponse

CONTENT_TYPE = "application/problem+json"


def field_errors(response: HttpResponse) -> dict[str, list[str]]:
    """`errors` as `{"slot.start": ["…"], "": ["…"]}`, in the order the API gave."""
    found: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        found.setdefault(error["field"], []).append(error["detail"])
    return found


def code_detail(response: HttpResponse) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["code"], body["detail"]


def members(response: HttpResponse) -> dict:
    """The problem without the members every problem has alike (type, title, status,
    instance): its code, detail and what it adds of its own."""
    body = response.json()
    assert response["Content-Type"] == CONTENT_TYPE
    assert body["status"] == response.status_code
    assert body["instance"] == response.wsgi_request.path
    return {key: value for key, value in body.items() if key not in SHARED}


SHARED = ("type", "title", "status", "instance")
