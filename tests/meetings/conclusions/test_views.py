"""The notice's pages: the secretariat drafts and acts, another province's secretariat
gets 404, the offices that took part read it once published; the meeting page and the
dashboard show the countdown; query counts do not grow with the items."""

import pytest
from django.urls import reverse

from meetings.conclusions import drafting, workflow
from meetings.conclusions.models import ConclusionNotice, NoticeState
from tests.meetings.conclusions.conftest import two_tasks


def url(meeting) -> str:
    return reverse("meetings:conclusions", kwargs={"meeting_id": meeting.pk})


def act_url(meeting) -> str:
    return reverse("meetings:conclusions-act", kwargs={"meeting_id": meeting.pk})


def editor_post(summary="", rows=()) -> dict:
    data = {
        "summary": summary,
        "version": "",
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "100",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{n}-{key}"] = value
    return data


def published(drafted, alice, dung):
    notice = workflow.approve(workflow.submit(drafted, alice), dung)
    return workflow.publish(workflow.sign(notice, dung), alice)


def test_the_secretariat_drafts_items_in_the_order_asked(client_as, alice, national, hanoi):
    client = client_as(alice)

    response = client.post(
        url(national),
        editor_post(
            "Mở đầu",
            [
                {"text": "Thứ hai", "ORDER": "2"},
                {
                    "text": "Thứ nhất",
                    "ORDER": "1",
                    "is_task": "on",
                    "offices": str(hanoi.pk),
                    "deadline_working_days": "3",
                },
                {"text": "", "ORDER": ""},
            ],
        ),
    )

    assert response.status_code == 302
    notice = ConclusionNotice.objects.get(meeting=national)
    assert list(notice.items.values_list("position", "text", "is_task")) == [
        (1, "Thứ nhất", True),
        (2, "Thứ hai", False),
    ]


def test_a_task_without_office_is_refused_and_nothing_saved(client_as, alice, national):
    response = client_as(alice).post(
        url(national),
        editor_post("", [{"text": "Việc", "is_task": "on", "deadline_working_days": "3"}]),
    )

    assert response.status_code == 400
    assert b"choose the office(s) it is assigned to" in response.content
    assert ConclusionNotice.objects.filter(meeting=national).exists() is False


def test_another_provinces_secretariat_gets_404_as_for_a_missing_session(
    client_as, tam, drafted, alice, dung
):
    published(drafted, alice, dung)
    client = client_as(tam)

    assert client.get(url(drafted.meeting)).status_code == 404
    assert client.post(act_url(drafted.meeting), {"action": "submit"}).status_code == 404


def test_a_participating_office_reads_the_notice_only_once_published(
    client_as, hana, drafted, alice, dung
):
    client = client_as(hana)
    assert client.get(url(drafted.meeting)).status_code == 404

    published(drafted, alice, dung)
    response = client.get(url(drafted.meeting))

    assert response.status_code == 200
    assert "Hoàn thành báo cáo chuyển đổi số." in response.content.decode()
    assert b'id="notice-editor"' not in response.content


def test_the_drafter_sees_why_they_cannot_approve_and_a_second_person_can(
    client_as, alice, dung, drafted
):
    workflow.submit(drafted, alice)

    mine = client_as(alice).get(url(drafted.meeting)).content.decode()
    refused = client_as(alice).post(act_url(drafted.meeting), {"action": "approve"}, follow=True)
    approved = client_as(dung).post(act_url(drafted.meeting), {"action": "approve"})

    assert 'id="notice-approve"' not in mine
    assert "another member of the office must approve it" in mine
    assert "another member of the office must approve it" in refused.content.decode()
    assert approved.status_code == 302
    drafted.refresh_from_db()
    assert drafted.state == NoticeState.APPROVED


def test_the_meeting_page_shows_the_countdown_to_the_secretariat(client_as, alice, national):
    response = client_as(alice).get(reverse("meetings:detail", kwargs={"meeting_id": national.pk}))

    content = response.content.decode()
    assert 'id="conclusions-countdown"' in content
    assert "working days left" in content or "due today" in content


def test_an_overdue_notice_is_marked_on_the_dashboard(client_as, alice, national, settings):
    ConclusionNotice.objects.create(
        meeting=national, due_on=national.conference.end.date().replace(year=2020), drafted_by=alice
    )

    content = client_as(alice).get("/").content.decode()

    assert f'id="notice-due-{national.pk}"' in content
    assert "deadline deadline-overdue" in content
    assert "working days overdue" in content


def test_the_dashboard_lists_new_notices_of_sessions_the_office_took_part_in(
    client_as, hana, drafted, alice, dung
):
    notice = published(drafted, alice, dung)

    content = client_as(hana).get("/").content.decode()

    assert f'id="new-notice-{notice.pk}"' in content
    assert notice.number_symbol in content


@pytest.mark.parametrize("count", [1, 3])
def test_the_notice_page_reads_a_constant_number_of_rows(
    client_as, alice, dung, national, hanoi, t02, count, django_assert_num_queries
):
    notice = drafting.start(national, alice)
    items = (two_tasks(hanoi, t02) * 3)[: count * 2]
    drafting.save_draft(notice, alice, summary="", items=items)
    client = client_as(alice)
    client.get(url(national))  # warm the caches (workdays, sessions)

    with django_assert_num_queries(15):
        client.get(url(national))


@pytest.mark.parametrize("count", [1, 3])
def test_the_dashboard_reads_a_constant_number_of_rows(
    client_as, alice, national, count, django_assert_num_queries
):
    from conferencing.site_selection import SiteSelection
    from tests.factories import BridgeFactory, booked, end_now, local_time

    for n in range(count - 1):
        end_now(
            booked(
                alice,
                bridge_id=BridgeFactory(name=f"MCU {n}").pk,
                sites=SiteSelection(sites=("T02",)),
                host_code="T02",
                slot__start=local_time(10 + n, 8),
            )
        )
    client = client_as(alice)
    client.get("/")

    with django_assert_num_queries(11):
        client.get("/")
