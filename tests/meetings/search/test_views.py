"""The /search/ page and GET /api/v1/search/: status, scope, rendering, query counts.
What is found and in which order is tests/meetings/search/test_search.py's."""

import pytest
from django.urls import reverse

from meetings.models import Classification
from meetings.search import query
from tests.problems import CONTENT_TYPE, field_errors

PAGE = reverse("search:results")
API = "/api/v1/search/"


def test_the_page_shows_the_hits_with_their_words_marked(alice, book, client_as):
    meeting = book(alice, "Giao ban Đà Nẵng", agenda="Dự án cầu Rồng ở Đà Nẵng")

    response = client_as(alice).get(PAGE, {"q": "da nang"})

    assert response.status_code == 200
    assert [hit.entry.meeting_id for hit in response.context["hits"]] == [meeting.pk]
    assert "Dự án cầu Rồng ở <mark>Đà</mark> <mark>Nẵng</mark>" in response.content.decode()


def test_the_page_without_a_query_shows_the_box_only(alice, book, client_as):
    book(alice, "Giao ban")

    response = client_as(alice).get(PAGE)

    assert (response.status_code, response.context["hits"]) == (200, [])
    assert 'id="search-results"' not in response.content.decode()


def test_the_page_escapes_what_it_shows(alice, book, client_as):
    book(alice, "Giao ban", agenda="<script>alert('giao')</script>")

    response = client_as(alice).get(PAGE, {"q": "alert"})

    assert "<script>alert" not in response.content.decode()


def test_an_outsider_finds_nothing_and_sees_no_count_of_it(alice, book, client_as, carol):
    book(alice, "Họp mật Đà Nẵng", classification=Classification.CONFIDENTIAL)

    response = client_as(carol).get(PAGE, {"q": "da nang"})

    assert (response.status_code, response.context["page"].paginator.count) == (200, 0)


def test_the_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(PAGE, {"q": "x"})

    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))


def test_the_page_refuses_a_user_without_a_role(client_as, mallory):
    assert client_as(mallory).get(PAGE, {"q": "x"}).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_query_count_does_not_grow_with_the_results(
    alice, book, client_as, django_assert_num_queries, count
):
    for n in range(count):
        book(alice, f"Giao ban {n}")
    client = client_as(alice)
    client.get(PAGE)  # the session's first request loads what later ones reuse

    with django_assert_num_queries(7):
        response = client.get(PAGE, {"q": "giao ban"})

    assert len(response.context["hits"]) == count


def test_the_api_answers_the_hits_best_first(alice, book, api_as):
    book(alice, "Giao ban", agenda="Cảng Đà Nẵng")
    meeting = book(alice, "Giao ban Đà Nẵng")

    response = api_as(alice).get(API, {"q": "da nang"})

    body = response.json()
    assert (response.status_code, body["count"]) == (200, 2)
    first = body["results"][0]
    assert (first["kind"], first["key"], first["meeting"], first["title"]) == (
        "meeting",
        str(meeting.pk),
        meeting.pk,
        "Giao ban Đà Nẵng",
    )
    assert first["url"] == f"http://testserver/meetings/{meeting.pk}/"
    second = body["results"][1]["snippet"]
    start, end = second["matches"][0]
    assert second["text"][start:end] == "Đà"


def test_the_api_filters_by_kind(alice, book, document, api_as):
    meeting = book(alice, "Hội nghị")
    document(meeting, "Hội nghị: tài liệu", "")

    response = api_as(alice).get(API, {"q": "hoi nghi", "kind": "document"})

    assert [hit["title"] for hit in response.json()["results"]] == ["Hội nghị: tài liệu"]


def test_the_api_refuses_a_query_without_words(alice, api_as):
    response = api_as(alice).get(API, {"q": " - "})

    assert (response.status_code, response["Content-Type"]) == (400, CONTENT_TYPE)
    assert field_errors(response) == {"q": ["Give at least one word to search for."]}


def test_the_api_refuses_an_unknown_parameter_and_a_page_past_the_end(alice, book, api_as):
    book(alice, "Giao ban")
    api = api_as(alice)

    unknown = api.get(API, {"q": "giao", "sort": "title"})
    past = api.get(API, {"q": "giao", "page": "9"})

    assert (unknown.status_code, past.status_code) == (400, 400)
    assert field_errors(past) == {"page": ["Invalid page."]}


def test_the_api_refuses_anonymous_callers_and_users_without_a_role(api, api_as, mallory):
    anonymous = api.get(API, {"q": "x"})
    no_role = api_as(mallory).get(API, {"q": "x"})

    assert (anonymous.status_code, no_role.status_code) == (401, 403)
    assert no_role["Content-Type"] == CONTENT_TYPE


@pytest.mark.parametrize("count", [1, 3])
def test_the_api_query_count_does_not_grow_with_the_results(
    alice, book, api_as, django_assert_num_queries, count
):
    for n in range(count):
        book(alice, f"Giao ban {n}")
    api = api_as(alice)

    with django_assert_num_queries(7):
        response = api.get(API, {"q": "giao ban"})

    assert response.json()["count"] == count


def test_past_the_counted_limit_the_page_and_the_api_say_more(
    alice, book, client_as, api_as, monkeypatch
):
    monkeypatch.setattr(query, "MAX_COUNTED", 2)
    for n in range(3):
        book(alice, f"Giao ban {n}")

    page = client_as(alice).get(PAGE, {"q": "giao ban"})
    body = api_as(alice).get(API, {"q": "giao ban"}).json()

    assert "Hơn 2 kết quả: hiển thị 2 kết quả phù hợp nhất." in page.content.decode()
    assert len(page.context["hits"]) == 2
    assert (body["more"], body["count"], len(body["results"])) == (True, 2, 2)


def test_within_the_counted_limit_nothing_more(alice, book, api_as):
    book(alice, "Giao ban")

    body = api_as(alice).get(API, {"q": "giao ban"}).json()

    assert (body["more"], body["count"]) == (False, 1)
