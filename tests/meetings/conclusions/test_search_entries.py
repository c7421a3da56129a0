"""A published notice and its tasks are found in the archive's search by the readers of the
session, diacritics ignored; a draft, signed but unpublished, is found by nobody."""

import pytest

from meetings.conclusions import workflow
from meetings.search.models import EntryKind
from meetings.search.query import search

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed(drafted, alice, dung):
    return workflow.sign(workflow.approve(workflow.submit(drafted, alice), dung), dung)


def found(user, query: str) -> list[tuple[str, str]]:
    return [(entry.kind, entry.title) for entry in search(user, query, "")]


def test_a_signed_notice_not_yet_published_is_not_found(signed, alice):
    assert found(alice, "chuyen doi so") == []


def test_the_published_notice_and_its_task_are_found_without_diacritics(signed, alice, hana):
    notice = workflow.publish(signed, alice)

    hits = found(hana, "chuyen doi so")

    assert (EntryKind.TASK, "Hoàn thành báo cáo chuyển đổi số.") in hits
    assert (
        EntryKind.CONCLUSION,
        f"Thông báo kết luận {notice.number_symbol}: {notice.meeting.title}",
    ) in hits
    assert len(hits) == 2


def test_each_office_of_a_task_has_its_entry(signed, alice):
    workflow.publish(signed, alice)

    tasks = [title for kind, title in found(alice, "ra soat diem cau") if kind == EntryKind.TASK]

    assert tasks == ["Rà soát điểm cầu xã.", "Rà soát điểm cầu xã."]


def test_an_office_the_session_does_not_concern_finds_nothing(signed, alice, tam):
    workflow.publish(signed, alice)

    assert found(tam, "chuyen doi so") == []
