"""The notice as an official document: numbered (meetings.official.numbering), worded as
the owning office words its notices (meetings.official.wording), laid out in the Decree
30 form (meetings.official.render) and signed with the office's certificate, PAdES
(signatures.signing). The one place the workflow's "sign" meets those packages.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.names import full_name
from meetings.conclusions.models import ConclusionItem, ConclusionNotice
from meetings.official import numbering, wording
from meetings.official.content import OfficialText
from meetings.official.models import DocumentKind
from meetings.official.render import render_pdf
from meetings.official.sealing import signer_lines
from signatures.signing import sign_pdf, signing_configured

KIND = DocumentKind.CONCLUSION
# The record every signed notice of a session is a version of; its title is the
# document's own name, in Vietnamese as the document is (as official's "Giấy mời").
RECORD_TITLE = "Thông báo kết luận"


@dataclass(frozen=True)
class Number:
    number: int
    symbol: str


@dataclass(frozen=True)
class SignedNotice:
    number: Number
    pdf: bytes

    def as_upload(self) -> SimpleUploadedFile:
        name = "thong-bao-ket-luan-" + self.number.symbol.replace("/", "-") + ".pdf"
        return SimpleUploadedFile(name, self.pdf, content_type="application/pdf")


def signing_available() -> bool:
    """A signer is configured (PKCS#12 file or PKCS#11 token): "sign" can be offered."""
    return signing_configured()


def allocate(notice: ConclusionNotice, today: date | None = None) -> Number:
    """The notice's number, in a transaction of its own: once given it is never given
    again, even if signing then fails (a gap is what an abandoned document leaves)."""
    office = notice.meeting.owner_office
    year = (today or timezone.localdate()).year
    number = numbering.allocate_number(office, KIND, year)
    return Number(number, numbering.number_symbol(number, office, KIND))


def item_line(item: ConclusionItem) -> str:
    if not item.is_task:
        return item.text
    offices = ", ".join(office.name for office in item.offices.all())
    if item.deadline_on is not None:
        due = "hoàn thành trước ngày " + item.deadline_on.strftime("%d/%m/%Y")
    else:
        due = f"hoàn thành trong {item.deadline_working_days} ngày làm việc kể từ ngày ban hành"
    return f"{item.text} Giao: {offices}; {due}."


def official_text(
    notice: ConclusionNotice, number: Number, signer: AbstractBaseUser
) -> OfficialText:
    """What the notice says, inside the owning office's wording of its notices."""
    meeting = notice.meeting
    office = meeting.owner_office
    held_on = timezone.localdate(meeting.conference.start).strftime("%d/%m/%Y")
    items = notice.items.order_by("position").prefetch_related("offices")
    body = [
        f"Ngày {held_on}, {office.name} tổ chức phiên họp trực tuyến “{meeting.title}”.",
        notice.summary,
    ]
    text = wording.compose(
        wording.template_for(office, KIND),
        office,
        wording.Composed(
            number_symbol=number.symbol,
            issued_on=timezone.localdate(),
            title=f"Kết luận phiên họp “{meeting.title}”",
            body=[paragraph for paragraph in body if paragraph.strip()],
            items=[item_line(item) for item in items],
        ),
    )
    if not text.signer_name:
        # An office whose wording names no signer: the person signing is named.
        text.signer_name = full_name(signer)
    return text


def sign(notice: ConclusionNotice, number: Number, signer: AbstractBaseUser) -> SignedNotice:
    """The notice rendered and signed. Raises signatures.signing.SigningError when the
    configured signer cannot sign. No side effect."""
    text = official_text(notice, number, signer)
    pdf = sign_pdf(
        render_pdf(text),
        reason=f"Ban hành {RECORD_TITLE.lower()} số {number.symbol}",
        location=text.place,
        signer_lines=signer_lines(text),
    )
    return SignedNotice(number=number, pdf=pdf)
