"""The archive search's world: sessions booked through the domain (their entries written
by the post-commit listener, run here), documents indexed with the text given."""

import itertools

import pytest

from conferencing.site_selection import SiteSelection
from meetings.models import Classification, Meeting
from meetings.records.models import RecordKind, RecordStatus
from meetings.search import indexing
from tests.factories import (
    BridgeFactory,
    DetailsFactory,
    RecordFactory,
    RecordVersionFactory,
    booked,
    local_time,
    site_tree,
)

DAYS_AHEAD = itertools.count(7)


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=1)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU search")


@pytest.fixture
def book(sites, bridge, django_capture_on_commit_callbacks):
    """`book(alice, "Giao ban Đà Nẵng", agenda=..., classification=..., attendees=(carol,))`:
    a session at T01, indexed as a booking indexes it (after the commit)."""

    def make(
        organiser,
        title: str,
        agenda: str = "",
        classification: str = Classification.INTERNAL,
        attendees=(),
    ) -> Meeting:
        with django_capture_on_commit_callbacks(execute=True):
            return booked(
                organiser,
                details=DetailsFactory(
                    title=title,
                    agenda=agenda,
                    classification=classification,
                    attendees=tuple((user.pk, "member") for user in attendees),
                ),
                sites=SiteSelection(sites=("T01",)),
                host_code="T01",
                slot__start=local_time(next(DAYS_AHEAD), 8),
                bridge_id=bridge.pk,
            )

    return make


@pytest.fixture
def document(db):
    """`document(meeting, "Biên bản", "text…", kind=..., status=...)`: a version indexed
    with this text, as the extraction task indexes it."""

    def make(
        meeting: Meeting,
        title: str,
        text: str,
        kind: str = RecordKind.AGENDA,
        status: str = RecordStatus.AVAILABLE,
        record=None,
    ):
        record = record or RecordFactory(meeting=meeting, kind=kind, title=title)
        version = RecordVersionFactory(record=record, status=status, uploaded_by=meeting.organiser)
        indexing.index_document(version.pk, meeting.pk, record.title, text)
        return version

    return make
