"""The conclusion notice over the JSON API: save the draft (201 then 200), the workflow's
actions (409 in the wrong state, 400 for the drafter approving), reading once published,
404 for another province, problems with stable codes."""

import pytest

from meetings.conclusions import workflow
from meetings.conclusions.models import NoticeState, Task
from tests.problems import CONTENT_TYPE, code_detail, field_errors


def notice_url(meeting) -> str:
    return f"/api/v1/meetings/{meeting.pk}/conclusions/"


def draft_body(hanoi_code="VP-HN") -> dict:
    return {
        "summary": "Mở đầu",
        "items": [
            {"text": "Đánh giá kết quả."},
            {
                "text": "Báo cáo chuyển đổi số.",
                "is_task": True,
                "offices": [hanoi_code, "VP-T02"],
                "deadline_working_days": 5,
            },
        ],
    }


def test_the_first_save_makes_the_notice_and_answers_201(api_as, alice, national, hanoi, t02):
    response = api_as(alice).put(notice_url(national), draft_body(), format="json")

    assert response.status_code == 201
    assert response["Location"] == notice_url(national)
    body = response.json()
    assert (body["state"], body["version"], len(body["items"])) == ("draft", 2, 2)
    assert body["items"][1]["offices"] == ["VP-HN", "VP-T02"]


def test_a_later_save_answers_200_and_a_stale_one_409(api_as, alice, national, hanoi, t02):
    client = api_as(alice)
    client.put(notice_url(national), draft_body(), format="json")

    saved = client.put(notice_url(national), {**draft_body(), "version": 2}, format="json")
    stale = client.put(notice_url(national), {**draft_body(), "version": 2}, format="json")

    assert saved.status_code == 200
    assert code_detail(stale)[:2] == (409, "stale")
    assert stale["Content-Type"] == CONTENT_TYPE


def test_an_office_outside_the_session_is_refused_with_its_field(
    api_as, alice, national, hanoi, t02, tam
):
    response = api_as(alice).put(notice_url(national), draft_body("VP-T03"), format="json")

    assert code_detail(response)[:2] == (400, "office_not_in_session")
    assert list(field_errors(response)) == ["items.2.offices"]
    assert api_as(alice).get(notice_url(national)).status_code == 404


def test_approving_a_draft_is_409(api_as, dung, drafted):
    response = api_as(dung).post(notice_url(drafted.meeting) + "approve/")

    assert code_detail(response)[:2] == (409, "wrong_state")


def test_the_drafter_approving_is_400_and_a_second_person_200(api_as, alice, dung, drafted):
    workflow.submit(drafted, alice)

    refused = api_as(alice).post(notice_url(drafted.meeting) + "approve/")
    approved = api_as(dung).post(notice_url(drafted.meeting) + "approve/")

    assert code_detail(refused)[:2] == (400, "same_person")
    assert (approved.status_code, approved.json()["state"]) == (200, "approved")


def test_return_needs_a_comment(api_as, alice, dung, drafted):
    workflow.submit(drafted, alice)

    refused = api_as(dung).post(notice_url(drafted.meeting) + "return/", {}, format="json")
    returned = api_as(dung).post(
        notice_url(drafted.meeting) + "return/", {"comment": "Bổ sung hạn."}, format="json"
    )

    assert refused.status_code == 400
    assert returned.json()["state"] == "draft"


def test_submit_sign_publish_through_the_api_makes_the_tasks(api_as, alice, dung, drafted):
    url = notice_url(drafted.meeting)
    assert api_as(alice).post(url + "submit/").status_code == 200
    assert api_as(dung).post(url + "approve/").status_code == 200
    signed = api_as(dung).post(url + "sign/")
    published = api_as(alice).post(url + "publish/")

    assert signed.json()["pdf_url"].endswith("/download/")
    body = published.json()
    assert body["state"] == "published"
    assert [len(item["tasks"]) for item in body["items"]] == [0, 1, 2]
    assert Task.objects.count() == 3
    drafted.refresh_from_db()
    assert drafted.state == NoticeState.PUBLISHED


def test_a_participating_office_reads_it_once_published_another_province_never(
    api_as, alice, dung, hana, tam, drafted
):
    url = notice_url(drafted.meeting)
    before = api_as(hana).get(url).status_code
    notice = workflow.approve(workflow.submit(drafted, alice), dung)
    workflow.publish(workflow.sign(notice, dung), alice)

    assert before == 404
    assert api_as(hana).get(url).status_code == 200
    assert api_as(tam).get(url).status_code == 404
    assert api_as(tam).put(url, draft_body(), format="json").status_code == 404


@pytest.mark.parametrize("action", ["submit", "approve", "return", "sign", "publish"])
def test_an_action_without_a_notice_is_404(api_as, alice, national, action):
    assert api_as(alice).post(notice_url(national) + f"{action}/").status_code == 404


def test_a_technician_is_403_and_anonymous_401(api, api_as, bob, drafted):
    assert api.get(notice_url(drafted.meeting)).status_code == 401
    assert api_as(bob).post(notice_url(drafted.meeting) + "submit/").status_code == 403


def test_a_body_that_is_not_json_is_415(api_as, alice, drafted):
    response = api_as(alice).put(notice_url(drafted.meeting), "summary", content_type="text/plain")

    assert response.status_code == 415
