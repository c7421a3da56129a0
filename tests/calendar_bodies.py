"""Every calendar body the suite produces, read by three calendar parsers (issue 16).

Calendar clients are strict in different ways, so each body a test produced — a feed,
an "Add to calendar" download, an invitation's .ics — must be read by ical.js
(Thunderbird's parser, tests/icaljs), icalendar and vobject. The bodies are gathered
while the tests run and parsed once at the end of the session, which fails when any
parser fails on any body, or when a whole-suite run gathered fewer than 200 bodies (a
collector that stopped collecting would otherwise pass on nothing).

Where the bodies come from:
- responses: `record_calendar_responses`, the outermost middleware of
  config/test_settings.py, writes every text/calendar response Django serves — to the
  test client and to the Daphne children of the browser tests alike, which is why the
  bodies go to a directory named by an environment variable the children inherit;
- e-mails: an autouse fixture writes the calendar parts of the messages each test left
  in `django.core.mail.outbox`.

`--calendar-bodies-at-least=N` sets the minimum for any run (0: none).

With pytest-xdist, the run that starts the workers makes the directory and parses it at its
end; the workers (and their Daphne children) record into it, as they inherit the variable.
"""

import gzip
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest, HttpResponseBase
from django.utils.decorators import sync_and_async_middleware

DIRECTORY_VARIABLE = "GIAOBAN_CALENDAR_BODIES_DIR"
# The pytest process: a response served by another process was served by a Daphne child.
PID_VARIABLE = "GIAOBAN_CALENDAR_BODIES_PID"
CALENDAR_TYPES = frozenset({"text/calendar", "application/ics"})
WHOLE_SUITE_MINIMUM = 200
ICALJS = Path(__file__).parent / "icaljs"
# Python's readers expand a rule as far as ical.js does (tests/icaljs/parse.mjs).
OCCURRENCES = 500
EXCERPT_LINES = 12

_sequence = itertools.count()


# Recording ----------------------------------------------------------------------------


def record(body: bytes, label: str) -> None:
    """Keep a calendar body for the end of the session (nothing outside a pytest run)."""
    directory = os.environ.get(DIRECTORY_VARIABLE)
    if not directory:
        return
    name = f"{time.time_ns():020d}-{os.getpid()}-{next(_sequence)}"
    (Path(directory) / f"{name}.label").write_text(label, encoding="utf-8")
    # The label first: a body is never read without its label.
    (Path(directory) / f"{name}.ics").write_bytes(body)


def current_test() -> str:
    running = os.environ.get("PYTEST_CURRENT_TEST", "")
    test = running.rsplit(" (", 1)[0] or "no test"
    if os.environ.get(PID_VARIABLE) not in (None, str(os.getpid())):
        return f"a live server (pid {os.getpid()}) started during {test}"
    return test


def record_response(request: HttpRequest, response: HttpResponseBase) -> None:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in CALENDAR_TYPES or response.streaming:
        return
    body = response.content  # type: ignore[attr-defined]
    if response.get("Content-Encoding", "").strip().lower() == "gzip":
        body = gzip.decompress(body)
    record(body, f"{current_test()}: response {request.method} {request.get_full_path()}")


@sync_and_async_middleware
def record_calendar_responses(get_response: Callable) -> Callable:
    """Test-only middleware (config/test_settings.py), outermost so that it sees the
    response as sent."""
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


def calendar_parts(messages: Iterable) -> Iterator[tuple[str, bytes]]:
    """(content type, decoded bytes) of every calendar part of these EmailMessages."""
    for message in messages:
        for part in message.message().walk():
            content_type = part.get_content_type()
            if content_type in CALENDAR_TYPES:
                yield content_type, part.get_payload(decode=True)


@pytest.fixture(autouse=True)
def _record_calendar_mail(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    # pytest-django empties the outbox before each test: what is there is this test's.
    from django.core import mail

    for content_type, body in calendar_parts(getattr(mail, "outbox", [])):
        record(body, f"{request.node.nodeid}: mail part {content_type}")


# Parsing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    label: str
    parser: str
    error: str
    body: bytes

    def excerpt(self) -> str:
        lines = self.body.decode("utf-8", "replace").splitlines()
        shown = lines[:EXCERPT_LINES] + (["…"] if len(lines) > EXCERPT_LINES else [])
        return "\n".join(f"    | {line}" for line in shown)


def icalendar_error(body: bytes) -> str | None:
    """icalendar keeps what it cannot read as "broken" values and notes it in each
    component's `errors` instead of raising: both count as failures here."""
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(body)
        for component in calendar.walk():
            if component.errors:
                return f"{component.name}: {component.errors}"
        for event in calendar.walk("VEVENT"):
            for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
                if name in event and not isinstance(event.decoded(name), date):
                    return f"VEVENT {name} is not a date: {event[name]!r}"
            if "SEQUENCE" in event and not isinstance(event.decoded("SEQUENCE"), int):
                return f"VEVENT SEQUENCE is not a number: {event['SEQUENCE']!r}"
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def vobject_error(body: bytes) -> str | None:
    import vobject

    try:
        calendars = 0
        for calendar in vobject.readComponents(body.decode("utf-8")):
            calendars += 1
            for event in calendar.contents.get("vevent", []):
                event.dtstart.value  # noqa: B018 - reading it is the check
                if "rrule" in event.contents:
                    list(itertools.islice(event.getrruleset(addRDate=True), OCCURRENCES))
        if not calendars:
            return "no calendar in the body"
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def icaljs_errors(directory: Path) -> dict[str, str]:
    """{file name: error} for the .ics files of `directory` ical.js could not read."""
    node = shutil.which("node")
    if node is None or not (ICALJS / "node_modules" / "ical.js").is_dir():
        raise RuntimeError(
            "ical.js is not installed: the calendar body collector needs Node.js and "
            "`npm ci` run in tests/icaljs"
        )
    finished = subprocess.run(
        [node, str(ICALJS / "parse.mjs"), str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"tests/icaljs/parse.mjs failed: {finished.stderr.strip()}")
    return json.loads(finished.stdout)


@dataclass
class Outcome:
    collected: int
    failures: list[Failure]
    seconds: float
    setup_error: str | None = None


def parse_directory(directory: Path) -> Outcome:
    """Read every body of `directory` with the three parsers."""
    started = time.perf_counter()
    bodies = {path.name: path.read_bytes() for path in sorted(directory.glob("*.ics"))}

    def label(name: str) -> str:
        return (directory / name).with_suffix(".label").read_text(encoding="utf-8")

    failures = []
    setup_error = None
    if bodies:
        try:
            for name, error in icaljs_errors(directory).items():
                failures.append(Failure(label(name), "ical.js", error, bodies[name]))
        except RuntimeError as error:
            setup_error = str(error)
    for name, body in bodies.items():
        for parser, read in (("icalendar", icalendar_error), ("vobject", vobject_error)):
            error = read(body)
            if error is not None:
                failures.append(Failure(label(name), parser, error, body))
    failures.sort(key=lambda failure: failure.label)
    return Outcome(len(bodies), failures, time.perf_counter() - started, setup_error)


# The pytest plugin ---------------------------------------------------------------------


DIRECTORY = pytest.StashKey[Path]()
OUTCOME = pytest.StashKey[tuple[Outcome, int]]()
PREVIOUS = pytest.StashKey[dict[str, str | None]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--calendar-bodies-at-least",
        type=int,
        default=None,
        metavar="N",
        help="fail unless the run produced at least N calendar bodies (default: "
        f"{WHOLE_SUITE_MINIMUM} when the whole suite runs, else 0)",
    )


def whole_suite(config: pytest.Config) -> bool:
    """Whether every test of the default test paths was selected."""
    option = config.option
    if (
        option.keyword
        or option.markexpr
        or option.deselect
        or option.ignore
        or option.ignore_glob
        or getattr(option, "lf", False)
        or getattr(option, "stepwise", False)
        or option.collectonly
    ):
        return False
    invoked = config.invocation_params.dir
    asked = {(invoked / argument).resolve() for argument in config.args}
    default = {(config.rootpath / path).resolve() for path in config.getini("testpaths")}
    return asked == default


def minimum(config: pytest.Config) -> int:
    forced = config.getoption("calendar_bodies_at_least")
    if forced is not None:
        return forced
    return WHOLE_SUITE_MINIMUM if whole_suite(config) else 0


def is_xdist_worker(config: pytest.Config) -> bool:
    """A pytest-xdist worker: it records into the directory of the run that started it
    (the variable is inherited), which parses every worker's bodies at its end."""
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[PREVIOUS] = {
        name: os.environ.get(name) for name in (DIRECTORY_VARIABLE, PID_VARIABLE)
    }
    os.environ[PID_VARIABLE] = str(os.getpid())
    if is_xdist_worker(config):
        if os.environ.get(DIRECTORY_VARIABLE):
            config.stash[DIRECTORY] = Path(os.environ[DIRECTORY_VARIABLE])
        return
    directory = Path(tempfile.mkdtemp(prefix="giaoban-calendar-bodies-"))
    config.stash[DIRECTORY] = directory
    os.environ[DIRECTORY_VARIABLE] = str(directory)


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if is_xdist_worker(config):
        return
    outcome = parse_directory(config.stash[DIRECTORY])
    at_least = minimum(config)
    config.stash[OUTCOME] = (outcome, at_least)
    failed = outcome.failures or outcome.setup_error or outcome.collected < at_least
    if failed and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if OUTCOME not in config.stash:
        return
    outcome, at_least = config.stash[OUTCOME]
    write = terminalreporter.write_line
    if outcome.failures or outcome.setup_error or outcome.collected < at_least:
        terminalreporter.section("calendar bodies", red=True)
    if outcome.setup_error:
        write(outcome.setup_error, red=True)
    for failure in outcome.failures:
        write(f"{failure.parser} could not read {failure.label}", red=True)
        write(f"  {failure.error}")
        write(failure.excerpt())
    if outcome.failures:
        write(f"(the bodies are kept in {config.stash[DIRECTORY]})")
    if outcome.collected < at_least:
        write(
            f"only {outcome.collected} calendar bodies were collected, fewer than {at_least}",
            red=True,
        )
    write(
        f"calendar bodies: {outcome.collected} collected, parsed by ical.js, icalendar, "
        f"vobject: {len(outcome.failures)} failures ({outcome.seconds:.1f} s)"
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    for name, value in config.stash.get(PREVIOUS, {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    outcome = config.stash.get(OUTCOME, None)
    if is_xdist_worker(config):
        return  # the run that started the worker owns the directory
    if DIRECTORY in config.stash and not (outcome and outcome[0].failures):
        shutil.rmtree(config.stash[DIRECTORY], ignore_errors=True)
