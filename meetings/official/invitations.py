"""The invitation letter (giấy mời) of a session: numbered, rendered, stored as a record.

The text comes from the meeting (title, time in the display time zone, host site,
agenda) inside the owning office's wording (wording.template_for).
"""

import contextlib
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import trail
from conferencing.models import Leg, LegRole
from meetings.models import Meeting, MeetingStatus
from meetings.official import numbering, wording
from meetings.official.content import OfficialText
from meetings.official.models import DocumentKind
from meetings.official.render import render_pdf
from meetings.official.sealing import seal
from meetings.records import documents
from meetings.records import storage as record_storage
from meetings.records.models import Record, RecordKind, RecordVersion

# The record every invitation letter of a session is a version of (the newest is the one
# in force); its title is the document's own name, in Vietnamese as the document is.
RECORD_TITLE = "Giấy mời"


class InvitationRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def when(meeting: Meeting) -> str:
    """ "07/12/2026 08:00 - 10:00" in the display time zone (the end's date when it differs)."""
    start = timezone.localtime(meeting.conference.start)
    end = timezone.localtime(meeting.conference.end)
    end_format = "%H:%M" if end.date() == start.date() else "%d/%m/%Y %H:%M"
    return f"{start:%d/%m/%Y %H:%M} - {end.strftime(end_format)}"


def host_name(meeting: Meeting) -> str:
    host = (
        Leg.objects.filter(conference_id=meeting.conference_id, role=LegRole.HOST)
        .select_related("endpoint")
        .first()
    )
    return host.endpoint.name if host is not None else ""


def invitation_items(meeting: Meeting) -> list[str]:
    items = [f"Thời gian: {when(meeting)}."]
    host = host_name(meeting)
    if host:
        items.append(
            f"Địa điểm: điểm cầu chủ trì {host}; đại biểu dự tại điểm cầu của đơn vị mình."
        )
    agenda = " ".join(line.strip() for line in meeting.agenda.splitlines() if line.strip())
    if agenda:
        items.append(f"Nội dung: {agenda}")
    return items


def invitation_text(meeting: Meeting, number_symbol: str, issued_on) -> OfficialText:
    office = meeting.owner_office
    template = wording.template_for(office, DocumentKind.INVITATION)
    content = wording.Composed(
        number_symbol=number_symbol,
        issued_on=issued_on,
        title=meeting.title,
        body=[],
        items=invitation_items(meeting),
    )
    return wording.compose(template, office, content)


def issue_invitation(
    meeting: Meeting, actor: AbstractBaseUser, now: datetime | None = None
) -> RecordVersion:
    """Number, render, seal and store the session's invitation letter.

    The caller has checked that `actor` manages the meeting (visibility.changeable).
    Raises InvitationRefused for a cancelled session, and record_storage.StorageUnavailable
    when storage fails (nothing stored). The number is allocated in its own transaction
    first: once given it is never given again, even if rendering or storage then fails
    (the decree's numbers are never reused; a gap is what an abandoned document leaves).
    Side effects: a DocumentNumber; a new version of the session's "Giấy mời" record
    (object in storage, SHA-256, audit "record.uploaded"); audit "official.issued".
    """
    if meeting.status == MeetingStatus.CANCELLED:
        raise InvitationRefused(_("A cancelled session gets no invitation letter."))
    office = meeting.owner_office
    issued_on = timezone.localdate(now)
    kind = DocumentKind.INVITATION
    number = numbering.allocate_number(office, kind, issued_on.year)
    symbol = numbering.number_symbol(number, office, kind)
    text = invitation_text(meeting, symbol, issued_on)
    pdf = seal(render_pdf(text), text)
    file_name = f"giay-moi-{symbol.replace('/', '-')}.pdf"
    with transaction.atomic():
        record = Record.objects.filter(
            meeting=meeting, kind=RecordKind.OTHER, title=RECORD_TITLE
        ).first()
        version = documents.upload_document(
            meeting=meeting,
            kind=RecordKind.OTHER,
            title=RECORD_TITLE,
            upload=SimpleUploadedFile(file_name, pdf, content_type=documents.PDF),
            uploaded_by=actor,
            record=record,
            reason=f"Số {symbol}",
        )
        try:
            trail.record(
                actor,
                "official.issued",
                version,
                {"meeting": meeting.pk, "kind": kind.value, "number": symbol},
            )
        except BaseException:
            with contextlib.suppress(record_storage.StorageUnavailable):
                record_storage.delete(version.key)
            raise
    return version
