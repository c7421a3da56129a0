"""The API's contract tests: the schema as the code generates it, written once per run."""

from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The OpenAPI document `make lint` validates, as YAML in a temporary directory."""
    target = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    return target
