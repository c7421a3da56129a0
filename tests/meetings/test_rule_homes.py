"""Each rule that once had two spellings now has one home; these tests hold every form
of it (SQL filter, SQL column, per-meeting answer) to the same answers.

Arranged: alice (secretariat) organises a session at T01, carol is invited to it,
bob serves T01 as technician; dung is a secretariat colleague not invited, mallory
has no role.
"""

from datetime import UTC, datetime, timedelta

import pytest
from dateutil.rrule import WEEKLY
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.booking import TakenSite, change_refusal, check, is_changeable
from meetings.calendar.content import Viewer, key_rows, viewer_of
from meetings.models import Classification, Meeting, MeetingStatus
from meetings.series import RuleParts, parse_rule, rule_parts
from meetings.views.page import describe_rule
from meetings.visibility import (
    details_flag,
    details_visible,
    open_to,
    readable_ids,
    with_details,
)
from tests.factories import (
    BookingRequestFactory,
    BridgeFactory,
    UserFactory,
    booked,
    local_time,
    site_tree,
)

PERSONAS = ("alice", "dung", "bob", "carol", "mallory", "root", "anonymous")
# Who may read a confidential session's details: its organiser and who it invites.
INVITED = {"alice", "carol"}
# Whom the session concerns at all (appears in their lists): not the superuser, who
# administers offices, people and sites and acts on no session.
CONCERNED = {"alice", "dung", "bob", "carol"}


@pytest.fixture
def people(alice, bob, carol, mallory) -> dict:
    return {
        "alice": alice,
        "dung": UserFactory(username="dung", roles=[Role.SECRETARIAT]),
        "bob": bob,
        "carol": carol,
        "mallory": mallory,
        "root": UserFactory(username="root", is_superuser=True, is_staff=True),
        "anonymous": AnonymousUser(),
    }


def session(organiser, carol, classification: str) -> Meeting:
    return booked(
        organiser,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=local_time(7, 8),
        details__title="Họp",
        details__classification=classification,
        details__attendees=((carol.pk, "member"),),
    )


@pytest.mark.parametrize("classification", Classification.values)
@pytest.mark.parametrize("persona", PERSONAS)
def test_confidentiality_sql_column_filter_and_per_meeting_answer_agree(
    people, persona, classification
):
    sites = site_tree(provinces=1, communes=0)
    sites["T01"].technicians.add(people["bob"])
    meeting = session(people["alice"], people["carol"], classification)
    user = people[persona]
    readable = classification != Classification.CONFIDENTIAL or persona in INVITED

    by_filter = Meeting.objects.filter(open_to(user), pk=meeting.pk).exists()
    by_column = Meeting.objects.annotate(flag=details_flag(user)).get(pk=meeting.pk).flag
    by_list = meeting.pk in set(with_details(user).values_list("pk", flat=True))
    by_ids = meeting.pk in readable_ids(user, [meeting])
    by_meeting = details_visible(meeting, user)
    viewer = Viewer(None) if persona == "anonymous" else viewer_of(user)
    (row,) = key_rows(Meeting.objects.filter(pk=meeting.pk), viewer)

    assert (by_filter, by_column, row.details) == (readable, readable, readable)
    concerned = persona in CONCERNED
    assert (by_list, by_ids, by_meeting) == (readable and concerned,) * 3


def test_readable_ids_of_no_meetings_asks_nothing(alice, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert readable_ids(alice, []) == set()


# --- whether a session can still be changed ------------------------------------------------------


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_change_refusal_of_a_scheduled_future_session_is_none(alice, carol):
    site_tree(provinces=1, communes=0)
    meeting = session(alice, carol, Classification.INTERNAL)

    assert (change_refusal(meeting), is_changeable(meeting)) == (None, True)


def test_change_refusal_names_a_started_session(alice, carol, english):
    site_tree(provinces=1, communes=0)
    meeting = session(alice, carol, Classification.INTERNAL)
    later = meeting.conference.start + timedelta(minutes=1)

    refusal = change_refusal(meeting, now=later)

    assert refusal == "A session that has started cannot be changed."


def test_change_refusal_names_a_cancelled_session(alice, carol, english):
    site_tree(provinces=1, communes=0)
    meeting = session(alice, carol, Classification.INTERNAL)
    meeting.status = MeetingStatus.CANCELLED

    assert (change_refusal(meeting), is_changeable(meeting)) == (
        "Only a scheduled session can be changed.",
        False,
    )


# --- RRULE: one parser ---------------------------------------------------------------------------


def test_rule_parts_reads_dateutil_attributes_or_fails_loudly_on_an_upgrade():
    first = datetime(2030, 3, 4, 1, 0, tzinfo=UTC)

    parts = rule_parts(parse_rule("FREQ=WEEKLY;UNTIL=20300401T000000Z", first))

    assert parts == RuleParts(
        frequency=WEEKLY, count=None, until=datetime(2030, 4, 1, tzinfo=parts.until.tzinfo)
    )
    assert parts.until.utcoffset() == timedelta(0)


class Rule:
    """The two fields of a Series describe_rule reads."""

    def __init__(self, rrule: str) -> None:
        self.rrule = rrule
        self.first_start = datetime(2030, 3, 4, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rule", "described"),
    [
        ("FREQ=WEEKLY;COUNT=3", {"frequency": "weekly", "count": 3, "until": None}),
        (
            "FREQ=DAILY;UNTIL=20300320T235959",
            {"frequency": "daily", "count": None, "until": "20/03/2030"},
        ),
        (
            "FREQ=MONTHLY;UNTIL=20300704T000000Z",
            {"frequency": "monthly", "count": None, "until": "04/07/2030"},
        ),
        (
            "freq=weekly;until=20300401",
            {"frequency": "weekly", "count": None, "until": "01/04/2030"},
        ),
    ],
)
def test_describe_rule_names_what_the_series_parser_reads(rule, described):
    assert describe_rule(Rule(rule)) == described


# --- the conflict report is typed to the edges ---------------------------------------------------


def test_conflict_report_holds_typed_sites_and_overloads(alice, carol):
    site_tree(provinces=1, communes=0)
    busy = session(alice, carol, Classification.INTERNAL)
    request = BookingRequestFactory(
        bridge_id=busy.conference.bridge_id,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=busy.conference.start,
        slot__end=busy.conference.end,
    )

    report = check(request, alice)

    window = busy.conference.start - timedelta(minutes=60)
    assert (report.sites, report.capacity) == (
        [
            TakenSite(
                site="T01",
                site_name=busy.conference.legs.get().endpoint.name,
                meeting_id=busy.pk,
                meeting_title="Họp",
                meeting_start=busy.conference.start,
                meeting_end=busy.conference.end,
                overlap_start=window,
                overlap_end=busy.conference.end,
                conference_id=busy.conference_id,
            )
        ],
        [],
    )
