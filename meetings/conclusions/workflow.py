"""The notice's workflow: draft → submitted → approved → signed → published, and back
from submitted to draft with the reviewer's comment.

Whoever manages the session's conclusions (meetings.visibility.conclusions_manageable:
the owning office's secretariat) acts; the approver must be a second person, neither
the drafter nor the submitter (meetings.records.four_eyes, whose single-secretary
exception holds here too). Each action is one transaction under a lock on the notice,
refuses a wrong state with ConclusionStateError (409 in the API) and leaves an audit
entry. Signing renders and signs the PDF (notice_document) and keeps it, held back, as
a new version of a record of the session; publishing is publishing.publish.
"""

import contextlib

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import trail
from meetings.conclusions import notice_document, publishing
from meetings.conclusions.errors import ConclusionError, ConclusionStateError
from meetings.conclusions.models import ConclusionNotice, NoticeState
from meetings.models import Meeting
from meetings.records import documents, four_eyes
from meetings.records import storage as record_storage
from meetings.records.models import RecordKind
from signatures.signing import SigningError

SUBMIT = "submit"
APPROVE = "approve"
RETURN = "return"
SIGN = "sign"
PUBLISH = "publish"
ACTIONS = (SUBMIT, APPROVE, RETURN, SIGN, PUBLISH)
# What each state allows; a published notice allows nothing.
STATE_ACTIONS: dict[str, tuple[str, ...]] = {
    NoticeState.DRAFT: (SUBMIT,),
    NoticeState.SUBMITTED: (APPROVE, RETURN),
    NoticeState.APPROVED: (SIGN,),
    NoticeState.SIGNED: (PUBLISH,),
}


def state_refusal(notice: ConclusionNotice, action: str) -> ConclusionStateError | None:
    if action in STATE_ACTIONS.get(notice.state, ()):
        return None
    return ConclusionStateError(
        _("This notice is %(state)s: that cannot be done now.")
        % {"state": notice.get_state_display()},
        "wrong_state",
    )


def approval_verdict(notice: ConclusionNotice, approver: AbstractBaseUser) -> four_eyes.Verdict:
    """Four eyes: neither the drafter nor the submitter approves (the one rule, asked for
    each of them), unless the office has a single secretary."""
    office = notice.meeting.owner_office
    for author_id in (notice.drafted_by_id, notice.submitted_by_id):
        verdict = four_eyes.second_pair_of_eyes(author_id, approver, office)
        if not verdict.allowed or verdict.exception_used:
            return verdict
    return four_eyes.Verdict()


def refusal(
    notice: ConclusionNotice, action: str, actor: AbstractBaseUser
) -> ConclusionError | None:
    """Why `actor`, who manages the notice, may not take `action` now, or None."""
    wrong = state_refusal(notice, action)
    if wrong is not None:
        return wrong
    if action == SUBMIT and not notice.items.exists():
        return ConclusionError(_("Write at least one conclusion before submitting."), "no_items")
    if action == APPROVE:
        verdict = approval_verdict(notice, actor)
        if not verdict.allowed:
            return ConclusionError(
                _(
                    "You drafted or submitted this notice: another member of the office "
                    "must approve it (two pairs of eyes)."
                ),
                "same_person",
            )
    if action == SIGN and not notice_document.signing_available():
        return ConclusionStateError(
            _("No signing certificate is configured: the notice cannot be signed here."),
            "signing_unavailable",
        )
    return None


def allowed_actions(notice: ConclusionNotice, actor: AbstractBaseUser) -> tuple[str, ...]:
    """The actions the page offers a manager of the notice."""
    return tuple(action for action in ACTIONS if refusal(notice, action, actor) is None)


def _locked(notice: ConclusionNotice, action: str, actor: AbstractBaseUser) -> ConclusionNotice:
    meeting = Meeting.objects.select_related("conference", "owner_office").get(pk=notice.meeting_id)
    locked = ConclusionNotice.objects.select_for_update().get(pk=notice.pk)
    locked.meeting = meeting
    refused = refusal(locked, action, actor)
    if refused is not None:
        raise refused
    return locked


def _saved(notice: ConclusionNotice, *fields: str) -> None:
    notice.version += 1
    notice.save(update_fields=[*fields, "state", "version", "updated_at"])


def submit(notice: ConclusionNotice, actor: AbstractBaseUser) -> ConclusionNotice:
    """A draft goes for approval. Side effects: audit "conclusions.submitted"."""
    with transaction.atomic():
        notice = _locked(notice, SUBMIT, actor)
        notice.state = NoticeState.SUBMITTED
        notice.submitted_by = actor
        notice.submitted_at = timezone.now()
        _saved(notice, "submitted_by", "submitted_at")
        trail.record(actor, "conclusions.submitted", notice, {"version": notice.version})
    return notice


def approve(notice: ConclusionNotice, actor: AbstractBaseUser) -> ConclusionNotice:
    """A second person approves the submitted notice. Side effects: audit
    "conclusions.approved", saying when the single-secretary exception was used."""
    with transaction.atomic():
        notice = _locked(notice, APPROVE, actor)
        verdict = approval_verdict(notice, actor)
        notice.state = NoticeState.APPROVED
        notice.approved_by = actor
        notice.approved_at = timezone.now()
        _saved(notice, "approved_by", "approved_at")
        trail.record(
            actor, "conclusions.approved", notice, {"version": notice.version, **verdict.audit()}
        )
    return notice


def return_to_draft(
    notice: ConclusionNotice, actor: AbstractBaseUser, comment: str
) -> ConclusionNotice:
    """The submitted notice goes back to its authors. Side effects: audit
    "conclusions.returned" with the comment, which is where the comment is kept."""
    comment = comment.strip()
    if not comment:
        raise ConclusionError(
            _("Say what must change before the notice can be approved."),
            "comment_required",
            "comment",
        )
    with transaction.atomic():
        notice = _locked(notice, RETURN, actor)
        notice.state = NoticeState.DRAFT
        notice.submitted_by = None
        notice.submitted_at = None
        _saved(notice, "submitted_by", "submitted_at")
        trail.record(actor, "conclusions.returned", notice, {"comment": comment[:2000]})
    return notice


def sign(notice: ConclusionNotice, actor: AbstractBaseUser) -> ConclusionNotice:
    """The approved notice gets its number, is rendered and signed (PAdES), and the signed
    PDF is kept as a new version of the session's "Thông báo kết luận" record, held back
    until publishing.

    The number is allocated first, in its own transaction (never reused, even if what
    follows fails). Raises ConclusionStateError for a wrong state or no signer,
    ConclusionError when the signer fails, record_storage.StorageUnavailable when the
    store is down (nothing changed but the number). Side effects: a DocumentNumber, one
    stored object, the record version, audit "record.uploaded" and "conclusions.signed".
    """
    with transaction.atomic():
        _locked(notice, SIGN, actor)  # refused before a number is spent on it
    number = notice_document.allocate(notice)
    with transaction.atomic():
        notice = _locked(notice, SIGN, actor)
        try:
            signed = notice_document.sign(notice, number, actor)
        except SigningError as error:
            raise ConclusionError(str(error), "signing_failed") from error
        version = documents.upload_document(
            meeting=notice.meeting,
            kind=RecordKind.OTHER,
            title=notice_document.RECORD_TITLE,
            upload=signed.as_upload(),
            uploaded_by=actor,
            record=notice.record,
            reason=f"Số {number.symbol}",
            held=True,
        )
        try:
            notice.state = NoticeState.SIGNED
            notice.number = number.number
            notice.number_symbol = number.symbol
            notice.signed_by = actor
            notice.signed_at = timezone.now()
            notice.record = version.record
            _saved(notice, "number", "number_symbol", "signed_by", "signed_at", "record")
            trail.record(
                actor,
                "conclusions.signed",
                notice,
                {
                    "number_symbol": notice.number_symbol,
                    "record_version": version.pk,
                    "sha256": version.sha256,
                },
            )
        except BaseException:
            # The version's row rolls back with the transaction; its object must go too.
            with contextlib.suppress(record_storage.StorageUnavailable):
                record_storage.delete(version.key)
            raise
    return notice


def publish(notice: ConclusionNotice, actor: AbstractBaseUser) -> ConclusionNotice:
    """The signed notice is published: publishing.publish makes its tasks, releases the
    signed PDF to the session's readers and, once committed, tells the offices."""
    with transaction.atomic():
        notice = _locked(notice, PUBLISH, actor)
        publishing.publish(notice, actor)
        notice.state = NoticeState.PUBLISHED
        _saved(notice, "published_by", "published_at")
    return notice
