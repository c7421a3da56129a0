"""A national session the centre booked (TW, a Hà Nội commune and a T02 commune) that has
ended; its notice is the central office's to draft.

alice, dung: central secretariat (VPCP, owner) · hana: Hà Nội secretariat (VP-HN, T01) ·
tam: T03 secretariat, whose province did not take part.
"""

import pytest
from django.utils import translation

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.conclusions import drafting
from meetings.conclusions.drafting import ItemDraft
from tests.factories import (
    BridgeFactory,
    UserFactory,
    booked,
    central_office,
    end_now,
    local_time,
    office_of,
    site_tree,
)
from tests.meetings.records.helpers import local_storage
from tests.signatures.fixtures import authority, holder, signing, trusted  # noqa: F401


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    local_storage(settings, tmp_path)


@pytest.fixture(autouse=True)
def office_signer(request):
    """The office signs with the test CA's signer (PKCS#12), whose root is trusted."""
    return request.getfixturevalue("signing")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sites(db):
    return site_tree(provinces=3, communes=1)


@pytest.fixture
def hanoi(sites):
    return office_of(sites["T01"], "VP-HN", name="Văn phòng UBND Hà Nội")


@pytest.fixture
def t02(sites):
    return office_of(sites["T02"], "VP-T02", name="Văn phòng UBND T02")


@pytest.fixture
def hana(hanoi):
    return UserFactory(username="hana", roles=[Role.SECRETARIAT], offices=[hanoi])


@pytest.fixture
def dung(db):
    return UserFactory(username="dung", full_name="Dũng", roles=[Role.SECRETARIAT])


@pytest.fixture
def tam(sites):
    t03 = office_of(sites["T03"], "VP-T03", name="Văn phòng UBND T03")
    return UserFactory(username="tam", roles=[Role.SECRETARIAT], offices=[t03])


@pytest.fixture
def national(alice, sites, hanoi, t02):
    meeting = booked(
        alice,
        bridge_id=BridgeFactory(name="MCU Trung ương").pk,
        sites=SiteSelection(sites=("TW", "X0101", "X0201")),
        host_code="TW",
        slot__start=local_time(3, 8),
    )
    return end_now(meeting)


def two_tasks(hanoi, t02) -> list[ItemDraft]:
    return [
        ItemDraft(text="Đánh giá kết quả quý IV."),
        ItemDraft(
            text="Hoàn thành báo cáo chuyển đổi số.",
            is_task=True,
            office_ids=[hanoi.pk],
            deadline_working_days=5,
        ),
        ItemDraft(
            text="Rà soát điểm cầu xã.",
            is_task=True,
            office_ids=[hanoi.pk, t02.pk],
            deadline_on=local_time(30, 0).date(),
        ),
    ]


@pytest.fixture
def drafted(national, alice, hanoi, t02):
    notice = drafting.start(national, alice)
    return drafting.save_draft(notice, alice, summary="", items=two_tasks(hanoi, t02))


@pytest.fixture
def vpcp(db):
    return central_office()
