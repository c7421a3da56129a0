"""On time / late / overdue / open per assigned office, and the same figures in the
XLSX and CSV exports, read back with openpyxl and csv."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.followup import access, actions, summary
from meetings.followup.models import EventKind, TaskEvent
from tests.meetings.followup.conftest import published_task


@pytest.fixture
def four(national, hanoi, other, hana, tung, alice):
    """Hà Nội: one done on time, one done late, one overdue; T02: one open."""
    today = timezone.localdate()
    on_time = published_task(national, hanoi, today + timedelta(days=3), 1, "=Đúng hạn")
    late = published_task(national, hanoi, today - timedelta(days=2), 2, "Trễ hạn")
    published_task(national, hanoi, today - timedelta(days=1), 3, "Quá hạn")
    published_task(national, other, today + timedelta(days=9), 4, "Còn hạn")
    for task in (on_time, late):
        actions.report_completion(hana, task)
        actions.decide_completion(alice, task, accept=True)
    return today


def test_counts_per_office(four, alice):
    rows = summary.per_office(access.watched_tasks(alice))

    assert [(row.code, row.timeliness) for row in rows] == [
        ("VP-HN", {"on_time": 1, "late": 1, "overdue": 1, "open": 0}),
        ("VP-T02", {"on_time": 0, "late": 0, "overdue": 0, "open": 1}),
    ]
    assert rows[0].states["done"] == 2


def test_a_completion_reported_on_the_deadline_day_is_on_time(four, alice):
    done = TaskEvent.objects.filter(kind=EventKind.ACCEPTED).values_list("completed_on", flat=True)

    assert set(done) == {four}


def test_a_province_watches_only_what_it_assigned(four, hana):
    assert summary.per_office(access.watched_tasks(hana)) == []


def test_the_xlsx_export(client_as, four, alice):
    response = client_as(alice).get(reverse("followup:export", args=["xlsx"]))

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    tasks, offices = book.worksheets
    rows = list(tasks.iter_rows(values_only=True))
    assert rows[0][:3] == ("Thông báo", "Mục", "Nhiệm vụ")
    assert [row[2] for row in rows[1:]] == ["Trễ hạn", "Quá hạn", "'=Đúng hạn", "Còn hạn"]
    assert rows[2][5] == (four - timedelta(days=1)).strftime("%d/%m/%Y")
    assert [row[9] for row in rows[1:]] == [
        "Hoàn thành trễ hạn",
        "Quá hạn",
        "Hoàn thành đúng hạn",
        "Đang trong hạn",
    ]
    assert list(offices.iter_rows(values_only=True))[1][:6] == (
        "Văn phòng UBND Hà Nội",
        3,
        1,
        1,
        1,
        0,
    )


def test_the_csv_export_is_utf8_with_a_bom(client_as, four, alice):
    response = client_as(alice).get(reverse("followup:export", args=["csv"]))

    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][4] == "Đơn vị được giao"
    assert [row[2] for row in rows[1:]] == ["Trễ hạn", "Quá hạn", "'=Đúng hạn", "Còn hạn"]


def test_an_unknown_export_format_is_404(client_as, four, alice):
    assert client_as(alice).get(reverse("followup:export", args=["pdf"])).status_code == 404
