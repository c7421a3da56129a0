"""An office's wording: defaults from its place in the tree, saved and audited."""

from datetime import date

import pytest

from audit.models import AuditEntry
from conferencing.models import Level
from meetings.official import wording
from meetings.official.models import DocumentTemplate
from tests.factories import EndpointFactory, central_office, office_of, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    sites = site_tree(provinces=1, communes=1)
    sites["T01"].name = "Thành phố Đà Nẵng"
    sites["T01"].save()
    return sites


def values(**changes) -> dict[str, str]:
    return {
        "place": "Đà Nẵng",
        "parent_name": "Ủy ban nhân dân thành phố Đà Nẵng",
        "signer_position": "KT. Chánh Văn phòng\nPhó Chánh Văn phòng",
        "signer_name": "Trần Thị Hợp",
        "recipients": "Như trên;\nLưu: VT.",
        "opening": "Văn phòng trân trọng kính mời:",
        "closing": "",
        **changes,
    }


def test_a_province_office_issues_from_its_province_without_its_title(sites):
    office = office_of(sites["T01"], "VP-DN", name="Văn phòng UBND thành phố Đà Nẵng")

    template = wording.template_for(office, "invitation")

    assert template.pk is None
    assert template.place == "Đà Nẵng"
    assert template.parent_name == "Ủy ban nhân dân Thành phố Đà Nẵng"
    assert template.opening.startswith("Văn phòng UBND thành phố Đà Nẵng trân trọng kính mời")


def test_a_commune_office_issues_from_its_province(sites):
    office = office_of(sites["X0101"], "VP-X0101")

    assert wording.template_for(office, "conclusion").place == "Đà Nẵng"


def test_the_central_office_issues_from_the_capital(sites):
    assert wording.template_for(central_office(), "conclusion").place == "Hà Nội"


def test_a_province_named_without_a_title_keeps_its_name(db):
    province = EndpointFactory(code="T09", name="Lào Cai", level=Level.PROVINCE)

    assert wording.place_name(province) == "Lào Cai"


def test_saving_writes_the_office_wording_and_audits_what_changed(sites, hana, hanoi):
    template = wording.save_template(hanoi, "invitation", values(), hana)
    again = wording.save_template(hanoi, "invitation", values(signer_name="Lê Văn Tám"), hana)

    assert again.pk == template.pk
    assert DocumentTemplate.objects.get(office=hanoi, kind="invitation").signer_name == "Lê Văn Tám"
    entries = AuditEntry.objects.filter(action="official.template_changed").order_by("pk")
    assert [entry.changes["changed"] for entry in entries][1] == ["signer_name"]
    assert entries[0].actor == hana


def test_the_wording_of_one_kind_leaves_the_other_to_its_defaults(sites, hana, hanoi):
    wording.save_template(hanoi, "invitation", values(), hana)

    assert wording.template_for(hanoi, "conclusion").pk is None


def test_compose_puts_the_wording_around_the_content(sites, hanoi):
    template = wording.default_template(hanoi, "conclusion")
    content = wording.Composed(
        number_symbol="03/TB-VP-HN",
        issued_on=date(2026, 12, 7),
        title="Kết luận phiên giao ban",
        body=["Phiên họp đã thảo luận."],
        items=["Việc một."],
    )

    text = wording.compose(template, hanoi, content)

    assert text.kind_title == "THÔNG BÁO"
    assert text.paragraphs == [template.opening, "Phiên họp đã thảo luận."]
    assert text.recipients == ["Như trên;", "Lưu: VT."]
    assert text.closing == template.closing
