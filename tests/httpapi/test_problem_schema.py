"""The schema documents on every operation the errors it can answer, each a problem in
application/problem+json (httpapi.problem_schema)."""

import pytest

PROBLEM = "#/components/schemas/Problem"
VALIDATION = "#/components/schemas/ValidationProblem"


@pytest.fixture
def schema(api_as, carol):
    return api_as(carol).get("/api/v1/schema/", {"format": "json"}).json()


def errors_of(schema, path, method):
    responses = schema["paths"][path][method]["responses"]
    return {
        code: response["content"]["application/problem+json"]["schema"]["$ref"]
        for code, response in responses.items()
        if int(code) >= 400 and "content" in response
    }


def test_every_error_of_every_operation_is_a_problem(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if int(code) >= 400 and "content" in response:
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        code,
                    )


def test_a_list_with_query_parameters_documents_400_401_403(schema):
    assert errors_of(schema, "/api/v1/meetings/", "get") == {
        "400": VALIDATION,
        "401": PROBLEM,
        "403": PROBLEM,
    }


def test_an_operation_on_one_object_with_a_body_documents_404_409_412_415(schema):
    # 412: rescheduling honours If-Match (httpapi.preconditions, meetings.revisions).
    assert errors_of(schema, "/api/v1/meetings/{id}/reschedule/", "post") == {
        "400": VALIDATION,
        "401": PROBLEM,
        "403": PROBLEM,
        "404": PROBLEM,
        "409": "#/components/schemas/ConflictProblem",
        "412": PROBLEM,
        "415": PROBLEM,
    }


def test_a_view_adds_the_statuses_it_declares(schema):
    assert "409" in errors_of(schema, "/api/v1/record-versions/{id}/approve/", "post")


def test_a_bodiless_error_stays_without_a_body(schema):
    responses = schema["paths"]["/api/v1/record-versions/{id}/download/"]["get"]["responses"]

    assert "content" not in responses["416"]


def test_the_validation_problem_lists_its_errors(schema):
    validation = schema["components"]["schemas"]["ValidationProblem"]

    assert sorted(validation["properties"]) == [
        "code",
        "detail",
        "errors",
        "instance",
        "status",
        "title",
        "type",
    ]
    assert validation["properties"]["errors"]["items"] == {
        "$ref": "#/components/schemas/FieldError"
    }
