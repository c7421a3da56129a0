"""Every status the API schema documents is produced by some test (issue 17).

A test-only middleware (config/test_settings.py) notes the method, path and status of every
/api/ response Django serves, to the test client, to schemathesis' ASGI calls and to the
Daphne children of the browser tests alike (the notes go to a directory named by an
environment variable the children inherit, as pytest-xdist workers do: the run that starts
them compares). At the end of the session each path is matched
to its operation in the schema (drf-spectacular, generated in process), and the documented
(operation, status) pairs that no response produced are listed, and a whole-suite run fails
on any of them: a status is documented only where a test produces it.
`--api-statuses-enforced=yes` enforces it on any run, `--api-statuses-enforced=no` on none.

The other direction, a status served but not documented, is schemathesis' check
(tests/api_contract/test_schemathesis.py).
"""

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest, HttpResponseBase
from django.utils.decorators import sync_and_async_middleware

from tests.calendar_bodies import is_xdist_worker, whole_suite

DIRECTORY_VARIABLE = "GIAOBAN_API_STATUSES_DIR"
API_PREFIX = "/api/"
METHODS = ("get", "put", "post", "delete", "patch")

DIRECTORY = pytest.StashKey[Path]()
PREVIOUS = pytest.StashKey[str | None]()
OUTCOME = pytest.StashKey["Outcome"]()


# Recording ----------------------------------------------------------------------------


def record_response(request: HttpRequest, response: HttpResponseBase) -> None:
    directory = os.environ.get(DIRECTORY_VARIABLE)
    if not directory or not request.path.startswith(API_PREFIX):
        return
    # One file per process, appended line by line: a Daphne child writes beside the run.
    line = f"{request.method}\t{request.path}\t{response.status_code}\n"
    with (Path(directory) / f"{os.getpid()}.tsv").open("a", encoding="utf-8") as notes:
        notes.write(line)


@sync_and_async_middleware
def record_api_statuses(get_response: Callable) -> Callable:
    """Test-only middleware (config/test_settings.py): the status of every API response."""
    if iscoroutinefunction(get_response):

        async def middleware_async(request: HttpRequest) -> HttpResponseBase:
            response = await get_response(request)
            record_response(request, response)
            return response

        return middleware_async

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        record_response(request, response)
        return response

    return middleware


# Comparing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """An operation's path in the schema, e.g. /api/v1/meetings/{id}/cancel/."""

    path: str
    pattern: re.Pattern
    literal_segments: int

    @classmethod
    def of(cls, path: str) -> "Template":
        parts = re.split(r"(\{[^}]+\})", path)
        regex = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
        literal = sum(1 for segment in path.split("/") if segment and "{" not in segment)
        return cls(path, re.compile(f"^{regex}$"), literal)


def template_for(path: str, templates: list[Template]) -> str | None:
    """The operation a request path belongs to: among the matching templates, the most
    literal one (/meetings/check/ is the check, not the meeting whose id is "check")."""
    matching = [template for template in templates if template.pattern.match(path)]
    if not matching:
        return None
    return max(matching, key=lambda template: template.literal_segments).path


def documented_statuses() -> set[tuple[str, str, int]]:
    """(method, path template, status) of every documented response of the schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path, int(status))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
        for status in operation.get("responses", {})
        if str(status).isdigit()
    }


def produced_statuses(directory: Path, templates: list[Template]) -> set[tuple[str, str, int]]:
    produced = set()
    for notes in directory.glob("*.tsv"):
        for line in notes.read_text(encoding="utf-8").splitlines():
            method, path, status = line.split("\t")
            template = template_for(path, templates)
            if template is not None:
                produced.add((method, template, int(status)))
    return produced


@dataclass(frozen=True)
class Outcome:
    never_produced: list[tuple[str, str, int]]
    documented: int
    enforced: bool
    error: str = ""

    @property
    def failing(self) -> list[tuple[str, str, int]]:
        return self.never_produced


def compare(directory: Path, enforced: bool) -> Outcome:
    try:
        documented = documented_statuses()
    except Exception as error:  # the summary says why instead of a traceback at exit
        return Outcome([], 0, enforced, f"the schema could not be generated: {error!r}")
    templates = [Template.of(path) for path in {path for _method, path, _status in documented}]
    produced = produced_statuses(directory, templates)
    return Outcome(sorted(documented - produced), len(documented), enforced)


# pytest hooks -------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--api-statuses-enforced",
        choices=("yes", "no"),
        default=None,
        help="fail unless every status the API schema documents was produced by a test "
        "(default: yes when the whole suite runs, else no)",
    )


def enforced(config: pytest.Config) -> bool:
    forced = config.getoption("api_statuses_enforced")
    if forced is not None:
        return forced == "yes"
    return whole_suite(config)


def pytest_configure(config: pytest.Config) -> None:
    if is_xdist_worker(config):
        # The directory of the run that started it (inherited), compared at that run's end.
        if os.environ.get(DIRECTORY_VARIABLE):
            config.stash[DIRECTORY] = Path(os.environ[DIRECTORY_VARIABLE])
        return
    directory = Path(tempfile.mkdtemp(prefix="giaoban-api-statuses-"))
    config.stash[DIRECTORY] = directory
    config.stash[PREVIOUS] = os.environ.get(DIRECTORY_VARIABLE)
    os.environ[DIRECTORY_VARIABLE] = str(directory)


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if is_xdist_worker(config) or not enforced(config):
        return
    outcome = compare(config.stash[DIRECTORY], enforced=True)
    config.stash[OUTCOME] = outcome
    if (outcome.failing or outcome.error) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if OUTCOME not in config.stash:
        return
    outcome = config.stash[OUTCOME]
    write = terminalreporter.write_line
    if outcome.error or outcome.failing:
        terminalreporter.section("API statuses", red=True)
    if outcome.error:
        write(outcome.error, red=True)
    for method, path, status in outcome.failing:
        write(f"documented but produced by no test: {method} {path} {status}", red=True)
    write(
        f"API statuses: {outcome.documented} documented, {len(outcome.failing)} produced by no test"
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    if is_xdist_worker(config) or DIRECTORY not in config.stash:
        return  # the run that started the worker owns the directory
    previous = config.stash.get(PREVIOUS, None)
    if previous is None:
        os.environ.pop(DIRECTORY_VARIABLE, None)
    else:
        os.environ[DIRECTORY_VARIABLE] = previous
    shutil.rmtree(config.stash[DIRECTORY], ignore_errors=True)
