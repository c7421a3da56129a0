"""The notice as an official document: numbered (meetings.official.numbering), laid out
in the Decree 30 form (meetings.official.render) and signed by the office's certificate
(signatures.signing). The one place the workflow's "sign" meets those packages.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.names import full_name
from meetings.conclusions.models import ConclusionNotice
from meetings.official import numbering
from meetings.official.content import OfficialText
from meetings.official.models import DocumentKind
from meetings.official.render import render_pdf

KIND_TITLE = "THÔNG BÁO"
SIGNER_POSITION = "TL. THỦ TRƯỞNG CƠ QUAN"


@dataclass(frozen=True)
class SignedNotice:
    number: int
    number_symbol: str
    pdf: bytes

    def as_upload(self) -> SimpleUploadedFile:
        name = "thong-bao-ket-luan-" + self.number_symbol.replace("/", "-") + ".pdf"
        return SimpleUploadedFile(name, self.pdf, content_type="application/pdf")


def signing_available() -> bool:
    return True


def official_text(notice: ConclusionNotice, number_symbol: str, signer_name: str) -> OfficialText:
    """What the notice says, in the parts of an official document."""
    meeting = notice.meeting
    office = meeting.owner_office
    issued_on = timezone.localdate()
    held_on = timezone.localdate(meeting.conference.start).strftime("%d/%m/%Y")
    items = notice.items.order_by("position").prefetch_related("offices")
    lines = []
    for item in items:
        line = item.text
        if item.is_task:
            offices = ", ".join(office.name for office in item.offices.all())
            if item.deadline_on is not None:
                due = "hạn " + item.deadline_on.strftime("%d/%m/%Y")
            else:
                due = f"hạn {item.deadline_working_days} ngày làm việc kể từ ngày ban hành"
            line = f"{line} (Giao: {offices}; {due}.)"
        lines.append(line)
    paragraphs = [
        f"Ngày {held_on}, {office.name} đã tổ chức phiên họp trực tuyến “{meeting.title}”. "
        f"{office.name} thông báo kết luận của phiên họp như sau:"
    ]
    if notice.summary:
        paragraphs.insert(0, notice.summary)
    return OfficialText(
        office_name=office.name.upper(),
        parent_name="",
        number_symbol=number_symbol,
        place=office.jurisdiction.name,
        issued_on=issued_on,
        kind_title=KIND_TITLE,
        title=f"Kết luận phiên họp “{meeting.title}”",
        paragraphs=paragraphs,
        items=lines,
        recipients=["Như trên;", "Các đơn vị tham dự phiên họp;", f"Lưu: VT, {office.code}."],
        signer_position=SIGNER_POSITION,
        signer_name=signer_name,
    )


def sign(notice: ConclusionNotice, signer: AbstractBaseUser) -> SignedNotice:
    """The notice's number (used up for good: official.numbering), its PDF, signed.
    Call inside the signing transaction."""
    office = notice.meeting.owner_office
    year = timezone.localdate().year
    number = numbering.allocate_number(office, DocumentKind.CONCLUSION, year)
    number_symbol = numbering.number_symbol(number, office, DocumentKind.CONCLUSION)
    signer_name = full_name(signer)
    pdf = render_pdf(official_text(notice, number_symbol, signer_name))
    return SignedNotice(number=number, number_symbol=number_symbol, pdf=pdf)
