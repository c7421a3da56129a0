"""After the session: who was ready on time, who late, who never (conferencing.readiness_report).

A site counts as ready from its first `ready` or `connected` report; on time when
that was no later than the start.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from conferencing.readiness import CHECK_ITEMS, Report, submit_report
from conferencing.readiness_report import (
    Punctuality,
    SiteReadiness,
    province_csv,
    summarise,
    summary_csv,
)
from tests.factories import BridgeFactory, open_session, serve

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MINUTE = timedelta(minutes=1)
T01_NAME, T02_NAME = "Điểm cầu T01", "Điểm cầu T02"
ALL_OK = dict.fromkeys(CHECK_ITEMS, True)
NO_VIDEO = {**ALL_OK, "video": False}
NO_DISPLAY = {**ALL_OK, "display": False}
PROBLEM = "Mất tín hiệu hình ảnh từ camera"
REASON = "Trình chiếu qua màn hình phụ"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def reported(session, legs, bob, dung):
    """The six sites' reports around the start; returns the conference's start."""
    serve(dung, "T02", "X0201")
    start = session.conference.start
    for code, user, state, minutes, extra in [
        ("T01", bob, "checking", -20, {}),
        ("T01", bob, "ready", -10, {}),  # on time
        ("X0101", bob, "checking", -5, {}),
        ("X0101", bob, "problem", -3, {"checklist": NO_VIDEO, "note": PROBLEM}),
        ("X0102", dung, "checking", -5, {"checklist": NO_VIDEO}),  # never ready
        ("X0201", dung, "checking", -1, {}),
        # At the very start, with a reason: on time.
        ("X0201", dung, "ready", 0, {"checklist": NO_DISPLAY, "override_reason": REASON}),
        ("T01", bob, "connected", 2, {}),
        ("T02", dung, "connected", 1, {"checklist": {}}),  # joined without ready: late
        ("X0101", bob, "checking", 1, {}),
        ("X0101", bob, "ready", 4, {}),  # late
    ]:
        report = Report(legs[code], state, **{"checklist": ALL_OK, **extra})
        submit_report(report, user, start + minutes * MINUTE)
    return start


def test_summary_judges_each_site_by_its_first_ready_report(session, reported):
    summary = summarise(session.conference)

    assert summary.sites == [
        SiteReadiness(
            "T01",
            T01_NAME,
            "province",
            T01_NAME,
            reported - 10 * MINUTE,
            "connected",
            "on_time",
            "T01",
            unchecked=(),
        ),
        SiteReadiness(
            "X0101",
            "Điểm cầu X0101",
            "commune",
            T01_NAME,
            reported + 4 * MINUTE,
            "ready",
            "late",
            "T01",
            unchecked=(),
            problem=PROBLEM,
        ),
        SiteReadiness(
            "X0102",
            "Điểm cầu X0102",
            "commune",
            T01_NAME,
            None,
            "checking",
            "never",
            "T01",
            unchecked=("video",),
        ),
        # Its checks are those of its last check report: none, it only said connected.
        SiteReadiness(
            "T02", T02_NAME, "province", T02_NAME, reported + MINUTE, "connected", "late", "T02"
        ),
        SiteReadiness(
            "X0201",
            "Điểm cầu X0201",
            "commune",
            T02_NAME,
            reported,
            "ready",
            "on_time",
            "T02",
            unchecked=("display",),
            override=REASON,
        ),
        SiteReadiness(
            "X0202", "Điểm cầu X0202", "commune", T02_NAME, None, "pending", "never", "T02"
        ),
    ]


def test_summary_counts_by_province_and_in_total(session, reported):
    summary = summarise(session.conference)

    assert summary.by_province == {
        T01_NAME: {Punctuality.ON_TIME: 1, Punctuality.LATE: 1, Punctuality.NEVER: 1},
        T02_NAME: {Punctuality.ON_TIME: 1, Punctuality.LATE: 1, Punctuality.NEVER: 1},
    }
    assert summary.totals == {"on_time": 2, "late": 2, "never": 2}
    assert summary.province_codes == {T01_NAME: "T01", T02_NAME: "T02"}
    assert summary.attention == {
        T01_NAME: {"problem": 1, "override": 0, "attention": 2},
        T02_NAME: {"problem": 0, "override": 1, "attention": 3},
    }


def test_summary_of_a_session_nobody_reported_for(session):
    summary = summarise(session.conference)

    assert summary.totals == {"on_time": 0, "late": 0, "never": 6}
    assert {site.final_state for site in summary.sites} == {"pending"}


def test_summary_puts_the_central_site_under_no_province(readiness_sites, alice):
    meeting = open_session(alice, sites=("TW",), host_code="TW")

    summary = summarise(meeting.conference)

    assert summary.by_province == {"": {"on_time": 0, "late": 0, "never": 1}}


def hanoi_text(moment) -> str:
    return moment.astimezone(HANOI).strftime("%Y-%m-%d %H:%M:%S")


def test_summary_csv_has_a_row_per_site_in_local_time(session, reported):
    text = summary_csv(summarise(session.conference))

    assert text.split("\r\n") == [
        "Site code,Site,Level,Province,First ready at,Final state,Readiness,Problem,"
        "Checks not ok,Reason for ready despite a failed check",
        f"T01,{T01_NAME},Province,{T01_NAME},{hanoi_text(reported - 10 * MINUTE)},"
        "Connected,Ready on time,,,",
        f"X0101,Điểm cầu X0101,Commune,{T01_NAME},{hanoi_text(reported + 4 * MINUTE)},Ready,Late,"
        f"{PROBLEM},,",
        f"X0102,Điểm cầu X0102,Commune,{T01_NAME},,Checking,Never ready,,Video,",
        f"T02,{T02_NAME},Province,{T02_NAME},{hanoi_text(reported + MINUTE)},Connected,Late,,,",
        f"X0201,Điểm cầu X0201,Commune,{T02_NAME},{hanoi_text(reported)},Ready,Ready on time,,"
        f"Display,{REASON}",
        f"X0202,Điểm cầu X0202,Commune,{T02_NAME},,Not reported,Never ready,,,",
        "",
    ]


def test_summary_csv_quotes_names_with_commas(readiness_sites, alice):
    readiness_sites["T01"].name = 'UBND tỉnh, "phòng họp A"'
    readiness_sites["T01"].save()
    meeting = open_session(alice)

    rows = summary_csv(summarise(meeting.conference)).split("\r\n")

    assert rows[1] == 'T01,"UBND tỉnh, ""phòng họp A""",Province,"UBND tỉnh, ""phòng họp A""",,' + (
        "Not reported,Never ready,,,"
    )


@pytest.mark.parametrize("sites", [1, 3])
def test_summary_takes_the_same_queries_whatever_the_number_of_sites(
    readiness_sites, alice, bob, django_assert_num_queries, sites
):
    codes = ("T01", "X0101", "X0102")[:sites]
    meeting = open_session(alice, sites=codes, host_code="T01", bridge_id=BridgeFactory().pk)
    serve(bob, *codes)
    for leg in meeting.conference.legs.all():
        for state, extra in [("checking", {}), ("problem", {"note": PROBLEM}), ("checking", {})]:
            submit_report(Report(leg.pk, state, **{"checklist": NO_VIDEO, **extra}), bob)
        submit_report(Report(leg.pk, "ready", NO_VIDEO, override_reason=REASON), bob)

    with django_assert_num_queries(3):
        summary = summarise(meeting.conference)

    assert [(site.problem, site.unchecked, site.override) for site in summary.sites] == [
        (PROBLEM, ("video",), REASON)
    ] * sites


def test_summary_and_province_csv_write_formula_names_as_text(readiness_sites, alice):
    readiness_sites["T01"].name = '=HYPERLINK("http://evil.example")'
    readiness_sites["T01"].save()
    meeting = open_session(alice, sites=("T01",), host_code="T01")
    summary = summarise(meeting.conference)

    site_rows = summary_csv(summary).split("\r\n")
    province_rows = province_csv(summary).split("\r\n")

    assert site_rows[1] == (
        'T01,"\'=HYPERLINK(""http://evil.example"")",Province,'
        '"\'=HYPERLINK(""http://evil.example"")",,Not reported,Never ready,,,'
    )
    assert province_rows[1] == '"\'=HYPERLINK(""http://evil.example"")",0,0,1'


def test_summary_csv_writes_a_technicians_formula_as_text(session, legs, bob):
    submit_report(Report(legs["T01"], "checking"), bob)
    submit_report(Report(legs["T01"], "problem", NO_VIDEO, note="=cmd|'/c calc'!A1"), bob)
    submit_report(Report(legs["T01"], "checking"), bob)
    submit_report(Report(legs["T01"], "ready", NO_VIDEO, override_reason="+1+1"), bob)

    rows = summary_csv(summarise(session.conference)).split("\r\n")

    assert rows[1].endswith(",Ready on time,'=cmd|'/c calc'!A1,Video,'+1+1")
