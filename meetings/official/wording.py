"""Each office's wording of its documents (DocumentTemplate), and the defaults without one.

Who may edit an office's wording is the question every management page asks
(conferencing.jurisdiction.booking_office): the secretariat of the office, acting for it.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from audit import trail
from conferencing.models import Endpoint, Level, Office
from meetings.official.content import OfficialText
from meetings.official.models import DocumentKind, DocumentTemplate

# The decree's titles of the two kinds, printed centred and bold.
KIND_TITLES = {DocumentKind.INVITATION: "GIẤY MỜI", DocumentKind.CONCLUSION: "THÔNG BÁO"}
# Where the central office issues its documents; and the words a province's official name
# starts with, which its place name leaves out ("Thành phố Hà Nội" → "Hà Nội").
CAPITAL = "Hà Nội"
PROVINCE_PREFIXES = ("Thành phố ", "Tỉnh ", "TP. ", "TP ")
EDITABLE_FIELDS = (
    "place",
    "parent_name",
    "signer_position",
    "signer_name",
    "recipients",
    "opening",
    "closing",
)


@dataclass(frozen=True)
class Composed:
    """What a document says besides its wording: its number, date and own content."""

    number_symbol: str
    issued_on: date
    title: str
    body: list[str]
    items: list[str]


def province_of(office: Office) -> Endpoint | None:
    """The province site of the office's jurisdiction (itself, or the ancestor at that
    level), None for the central office: one query over the ancestors' codes."""
    site = office.jurisdiction
    if site.level == Level.PROVINCE:
        return site
    codes = [code for code in site.path.split("/") if code]
    return Endpoint.objects.filter(code__in=codes, level=Level.PROVINCE).first()


def place_name(province: Endpoint | None) -> str:
    if province is None:
        return CAPITAL
    name = province.name.strip()
    for prefix in PROVINCE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def default_template(office: Office, kind: str) -> DocumentTemplate:
    """The wording an office gets until it writes its own (not saved)."""
    kind = DocumentKind(kind).value
    province = province_of(office)
    parent = "Chính phủ" if province is None else f"Ủy ban nhân dân {province.name}"
    if kind == DocumentKind.INVITATION:
        opening = f"{office.name} trân trọng kính mời đại biểu tham dự cuộc họp trực tuyến:"
        closing = "Rất mong đại biểu tham dự đúng thời gian, địa điểm./."
    else:
        opening = (
            "Sau khi nghe báo cáo và ý kiến phát biểu của các đại biểu dự họp, "
            "chủ trì cuộc họp kết luận như sau:"
        )
        closing = f"{office.name} thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./."
    return DocumentTemplate(
        office=office,
        kind=kind,
        place=place_name(province),
        parent_name=parent,
        signer_position="Chánh Văn phòng",
        signer_name="",
        recipients="Như trên;\nLưu: VT.",
        opening=opening,
        closing=closing,
    )


def template_for(office: Office, kind: str) -> DocumentTemplate:
    """The office's saved wording of this kind, else the defaults."""
    kind = DocumentKind(kind).value
    saved = DocumentTemplate.objects.filter(office=office, kind=kind).first()
    return saved if saved is not None else default_template(office, kind)


def save_template(
    office: Office, kind: str, values: dict[str, str], actor: AbstractBaseUser
) -> DocumentTemplate:
    """Write the office's wording of this kind (validated by the caller's form).

    Side effects: the row is created or updated; audit "official.template_changed" with
    the fields that changed.
    """
    kind = DocumentKind(kind).value
    with transaction.atomic():
        template = (
            DocumentTemplate.objects.select_for_update().filter(office=office, kind=kind).first()
        ) or default_template(office, kind)
        changed = [name for name in EDITABLE_FIELDS if getattr(template, name) != values[name]]
        for name in EDITABLE_FIELDS:
            setattr(template, name, values[name])
        template.updated_by = actor
        template.save()
        trail.record(
            actor,
            "official.template_changed",
            template,
            {"office": office.pk, "kind": kind, "changed": changed},
        )
        return template


def compose(template: DocumentTemplate, office: Office, content: Composed) -> OfficialText:
    """The document: the office's wording around its own content."""
    return OfficialText(
        office_name=office.name,
        parent_name=template.parent_name,
        number_symbol=content.number_symbol,
        place=template.place,
        issued_on=content.issued_on,
        kind_title=KIND_TITLES[DocumentKind(template.kind)],
        title=content.title,
        paragraphs=[p for p in [template.opening, *content.body] if p.strip()],
        items=content.items,
        recipients=template.recipient_lines(),
        signer_position=template.signer_position,
        signer_name=template.signer_name,
        closing=template.closing,
    )
