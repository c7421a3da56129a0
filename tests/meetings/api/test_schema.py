"""The API schema and its docs page: every path, the conflict answer, Swagger from the
static files without inline script."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

API_PATHS = [
    "/api/v1/meetings/",
    "/api/v1/meetings/check/",
    "/api/v1/meetings/{id}/",
    "/api/v1/meetings/{id}/reschedule/",
    "/api/v1/meetings/{id}/sites/",
    "/api/v1/meetings/{id}/cancel/",
    "/api/v1/endpoints/",
    "/api/v1/endpoints/{code}/",
    "/api/v1/bridges/",
    "/api/v1/bridges/{id}/",
]


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert target.stat().st_size > 0


def test_schema_lists_every_path_and_the_conflict_answer(api_as, carol):
    response = api_as(carol).get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert sorted(set(API_PATHS) - set(schema["paths"])) == []
    booking = schema["paths"]["/api/v1/meetings/"]["post"]["responses"]
    assert sorted(booking) == ["201", "400", "401", "403", "409", "415", "422"]
    assert booking["409"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/ConflictProblem"
    }
    assert sorted(schema["components"]["securitySchemes"]) == ["cookieAuth", "tokenAuth"]


def test_docs_page_loads_swagger_from_static_files_without_inline_script(api_as, carol):
    response = api_as(carol).get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/api/v1/docs/?script=",
    ]
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_docs_start_up_script_is_served_as_javascript(api_as, carol):
    response = api_as(carol).get("/api/v1/docs/", {"script": ""})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert '"/api/v1/schema/"' in response.content.decode()


@pytest.mark.parametrize(
    "asset", ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"]
)
def test_docs_assets_ship_with_the_static_files(asset):
    assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{asset}") is not None
