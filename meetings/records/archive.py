"""Records of a session: versions, the minutes workflow, and who may see what.

Every action is one transaction and leaves an audit entry. A record is never
overwritten: a new upload is a new version (numbered 1, 2, … per record, under
a lock on the record). Minutes go draft → submitted → published, or back to
returned with the reviewer's comment; a published version never changes again,
a correction is a new version with a reason. Agenda papers and other documents
are available as soon as they are stored; recordings once their bytes are
verified (`mark_verified`, called by the upload verification task).

Who sees what (docs/records.md has the matrix):
- the owning office's secretariat (visibility.changeable: the office it acts for
  owns the meeting), sees every version of every record, drafts and old versions
  included, and is the only one to upload, approve or hold;
- another office whose jurisdiction the session touches, the organiser, invited
  attendees and technicians of its sites see, per record, the latest version that
  is out: published minutes, available agenda papers, recordings and other documents;
- a confidential meeting's records follow its details (meetings.visibility):
  only its organiser and named attendees, secretariat colleagues included only
  when invited; to everyone else the meeting is busy time and its records do not
  exist (404).
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import trail
from meetings.models import Classification, Meeting
from meetings.records import four_eyes, signature_checks
from meetings.records import signals as record_signals
from meetings.records.models import Record, RecordKind, RecordStatus, RecordVersion
from meetings.visibility import User, changeable, may_change, with_details

DOCUMENT_KINDS = (RecordKind.AGENDA, RecordKind.MINUTES, RecordKind.OTHER)
# What attendees and technicians may see of a record: a version that is out.
OUT_STATUSES = (RecordStatus.PUBLISHED, RecordStatus.AVAILABLE)
# Versions whose bytes are in storage and may be downloaded by those who see them.
STORED_STATUSES = (
    RecordStatus.VERIFYING,
    RecordStatus.AVAILABLE,
    RecordStatus.DRAFT,
    RecordStatus.SUBMITTED,
    RecordStatus.RETURNED,
    RecordStatus.PUBLISHED,
)
# A version in one of these may still be replaced by purge; verification owns the others.
PURGEABLE_STATUSES = (*STORED_STATUSES[1:], RecordStatus.FAILED)


class RecordError(ValueError):
    """A refused record action: a translated message, a stable code, the field at fault."""

    def __init__(self, message: str, code: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class RecordStateError(RecordError):
    """The version is not in a state the action applies to (approving an approved one,
    submitting twice, acting on an older version, publishing before the session ended):
    a wrong moment rather than a wrong request, which the API answers 409."""


WRONG_STATE = "wrong_state"


def wrong_status(version: RecordVersion) -> RecordStateError:
    return RecordStateError(
        _("This version is %(status)s: that cannot be done now.")
        % {"status": version.get_status_display()},
        WRONG_STATE,
    )


# --- access --------------------------------------------------------------------------------------


def may_upload(user: User, meeting: Meeting) -> bool:
    """Upload, approve, return and hold: whoever may change the meeting (the secretariat,
    for a meeting whose details it reads: visibility.may_change)."""
    return may_change(meeting, user)


def visible_versions(user: User, meeting: Meeting) -> QuerySet[RecordVersion]:
    """The versions of the meeting's records the user may see; one query, newest first.

    The owning office, which manages the records (visibility.changeable), gets every
    version (purged ones too, as the trace they are); everyone else, another office
    whose jurisdiction the session touches included, the latest version of each record
    that is out. Nobody gets anything of a meeting whose details they may not read.
    """
    return (
        readable_versions(user, RecordVersion.objects.filter(record__meeting=meeting))
        .select_related("record", "uploaded_by__person", "submitted_by", "reviewed_by")
        .order_by("record__kind", "record__created_at", "record_id", "-number")
    )


def readable_versions(
    user: User, versions: QuerySet[RecordVersion] | None = None
) -> QuerySet[RecordVersion]:
    """Of these versions (every one by default, of any meeting), those the user may see:
    the rule of `visible_versions` as one condition, for a query across meetings (the
    archive's search)."""
    versions = RecordVersion.objects.all() if versions is None else versions
    versions = versions.filter(record__meeting__in=with_details(user).values("pk"))
    managed = Q(record__meeting__in=changeable(user).values("pk"))
    return versions.filter(managed | latest_out())


def readable_beyond_details(user: User, version: str, meeting: str) -> Q:
    """The rule of `readable_versions` for a version of a meeting whose details the user
    may read (visibility.with_details, which the caller asks), as a condition on another
    model naming the version (the path `version`) and its meeting (the path `meeting`):
    the meeting managed, or the version the latest one out. For a query across the whole
    archive (the search), where the rule's subqueries nested in one another read slowly."""
    out = RecordVersion.objects.filter(latest_out()).values("pk")
    return Q(**{f"{meeting}__in": changeable(user).values("pk")}) | Q(**{f"{version}__in": out})


def latest_out() -> Q:
    """A version that is out (published or available) with no newer one out: the one
    version of a record that those who do not manage it see."""
    newer_out = RecordVersion.objects.filter(
        record=OuterRef("record"), number__gt=OuterRef("number"), status__in=OUT_STATUSES
    )
    return Q(status__in=OUT_STATUSES) & ~Q(Exists(newer_out))


def downloadable(user: User, meeting: Meeting, version_id: int) -> RecordVersion | None:
    """The version if the user may see it and its bytes are stored, else None."""
    return (
        visible_versions(user, meeting)
        .filter(pk=version_id, status__in=STORED_STATUSES)
        .select_related("record__meeting")
        .first()
    )


def is_confidential(version: RecordVersion) -> bool:
    return version.record.meeting.classification == Classification.CONFIDENTIAL


# --- versions ------------------------------------------------------------------------------------


def check_new_version(
    *, meeting: Meeting, kind: str, record: Record | None, reason: str, title: str
) -> None:
    """Refuse, before any byte is stored, a version that could not be written.

    Raises RecordError: a new record without a title, a record of another meeting or
    another kind, or one with a published version and no reason for the correction.
    """
    if record is None:
        require_title(title)
        return
    if record.meeting_id != meeting.pk:
        raise RecordError(_("This record belongs to another session."), "wrong_record", "record")
    if record.kind != kind:
        raise RecordError(
            _("A new version must be of the same kind as the record."), "wrong_kind", "kind"
        )
    published = record.versions.filter(status=RecordStatus.PUBLISHED).exists()
    if published and not reason.strip():
        raise RecordError(
            _("The record is published: a correction needs a reason."),
            "reason_required",
            "reason",
        )


def require_title(title: str) -> None:
    if not title.strip():
        raise RecordError(_("Give the record a title."), "title_required", "title")


def require_document_kind(kind: str) -> None:
    if kind not in DOCUMENT_KINDS:
        raise RecordError(_("Choose the kind of document."), "wrong_kind", "kind")


def add_document_version(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    key: str,
    original_name: str,
    size: int,
    content_type: str,
    sha256: str,
    uploaded_by: AbstractBaseUser,
    record: Record | None = None,
    reason: str = "",
    held: bool = False,
) -> RecordVersion:
    """A stored document becomes a version: minutes as a draft, others available at once,
    unless `held` (a draft until `release`: a signed conclusion notice waits for its
    publishing).

    Side effects: creates the Record when `record` is None; audit "record.uploaded";
    for a PDF, after commit, its signatures checked (meetings.records.signature_checks).
    The caller deletes the stored object if this raises.
    """
    require_document_kind(kind)
    held = held or kind == RecordKind.MINUTES
    status = RecordStatus.DRAFT if held else RecordStatus.AVAILABLE
    with transaction.atomic():
        version = _add_version(
            meeting=meeting,
            kind=kind,
            title=title,
            record=record,
            reason=reason,
            actor=uploaded_by,
            key=key,
            original_name=original_name,
            size=size,
            content_type=content_type,
            sha256=sha256,
            status=status,
        )
        signature_checks.schedule_signature_check(version)
    return version


def add_recording_version(
    *,
    meeting: Meeting,
    title: str,
    key: str,
    original_name: str,
    size: int,
    content_type: str,
    uploaded_by: AbstractBaseUser,
    record: Record | None = None,
    reason: str = "",
) -> RecordVersion:
    """A completed recording upload becomes a version that waits for verification.

    Called inside the caller's transaction (R2's upload completion). Status
    "verifying", no SHA-256 yet: `mark_verified` or `mark_failed` settles it.
    Side effects: creates the Record when `record` is None; audit "record.uploaded".
    """
    with transaction.atomic():
        return _add_version(
            meeting=meeting,
            kind=RecordKind.RECORDING,
            title=title,
            record=record,
            reason=reason,
            actor=uploaded_by,
            key=key,
            original_name=original_name,
            size=size,
            content_type=content_type,
            sha256="",
            status=RecordStatus.VERIFYING,
        )


def _add_version(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    record: Record | None,
    reason: str,
    actor: AbstractBaseUser,
    **fields: Any,
) -> RecordVersion:
    if record is None:
        require_title(title)
        record = Record.objects.create(meeting=meeting, kind=kind, title=title.strip()[:300])
        number = 1
    else:
        # The lock serialises two uploads of a new version of the same record.
        record = Record.objects.select_for_update().get(pk=record.pk)
        check_new_version(meeting=meeting, kind=kind, record=record, reason=reason, title=title)
        number = (record.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = RecordVersion.objects.create(
        record=record, number=number, uploaded_by=actor, reason=reason.strip(), **fields
    )
    trail.record(
        actor,
        "record.uploaded",
        version,
        {
            "meeting": meeting.pk,
            "record": record.pk,
            "kind": kind,
            "number": number,
            "name": version.original_name,
            "size": version.size,
            "sha256": version.sha256,
            "status": version.status,
            "reason": version.reason,
        },
    )
    if kind in DOCUMENT_KINDS:
        record_signals.announce(record_signals.document_stored, version.pk)
    return version


def mark_verified(
    version: RecordVersion, *, sha256: str, content_type: str | None = None
) -> RecordVersion:
    """The recording's bytes were checked: it becomes available with its SHA-256, and
    with the content type found in its bytes when one is given.

    Side effects: audit "record.verified". Refuses a version not in "verifying".
    """
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise RecordError(_("A SHA-256 is 64 hexadecimal digits."), "bad_checksum", "sha256")
    with transaction.atomic():
        version = _locked(version, RecordStatus.VERIFYING)
        version.sha256 = sha256
        version.status = RecordStatus.AVAILABLE
        version.content_type = content_type or version.content_type
        version.save(update_fields=["sha256", "status", "content_type"])
        trail.record(
            None,
            "record.verified",
            version,
            {"sha256": sha256, "content_type": version.content_type},
        )
        record_signals.announce(record_signals.recording_verified, version.pk)
    return version


def mark_failed(version: RecordVersion, *, reason: str) -> RecordVersion:
    """Verification refused the recording: it never becomes visible, and the next
    `purge_records` deletes its object whatever the retention (record_integrity).

    Side effects: audit "record.failed" with the reason. Refuses a version not in
    "verifying".
    """
    with transaction.atomic():
        version = _locked(version, RecordStatus.VERIFYING)
        version.status = RecordStatus.FAILED
        version.review_comment = reason
        version.save(update_fields=["status", "review_comment"])
        trail.record(None, "record.failed", version, {"reason": reason})
    return version


# --- the minutes workflow ------------------------------------------------------------------------

SUBMIT = "submit"
APPROVE = "approve"
RETURN = "return"
# What the newest version of the minutes allows in each status; every other status
# (published above all) allows nothing.
MINUTES_ACTIONS: dict[str, tuple[str, ...]] = {
    RecordStatus.DRAFT: (SUBMIT,),
    RecordStatus.RETURNED: (SUBMIT,),
    RecordStatus.SUBMITTED: (APPROVE, RETURN),
}


def newest_number(version: RecordVersion) -> int:
    return version.record.versions.aggregate(last=Max("number"))["last"]


def minutes_refusal(version: RecordVersion, action: str, newest: int) -> RecordError | None:
    """Why `action` cannot be taken on this version now, or None: the one statement of the
    workflow, asked by the actions under their lock and by `allowed_actions`. `newest` is
    the highest version number of its record."""
    if action not in MINUTES_ACTIONS.get(version.status, ()):
        return wrong_status(version)
    if version.record.kind != RecordKind.MINUTES:
        return RecordError(_("Only minutes go through approval."), "not_minutes")
    if version.number != newest:
        return RecordStateError(
            _("A newer version of these minutes exists: act on that one."), "not_latest"
        )
    return None


def approval_refusal(
    version: RecordVersion, actor: User, meeting: Meeting, newest: int | None = None
) -> tuple[RecordError | None, four_eyes.Verdict]:
    """Why `actor` may not approve and publish this version of the minutes of `meeting`
    (its conference and owning office read) now, or None, with the four-eyes verdict
    the audit entry records: the workflow must allow it (minutes_refusal), the session
    must have ended, and the approver must not be the person who submitted the version
    (meetings.records.four_eyes). No query when `newest` is given."""
    if newest is None:
        newest = newest_number(version)
    refusal = minutes_refusal(version, APPROVE, newest)
    if refusal is not None:
        return refusal, four_eyes.Verdict()
    if meeting.conference.end > timezone.now():
        return RecordStateError(
            _("Minutes can be published only after the session has ended."), "not_ended"
        ), four_eyes.Verdict()
    # Versions submitted before the submitter was recorded count their uploader.
    submitter = version.submitted_by_id or version.uploaded_by_id
    verdict = four_eyes.second_pair_of_eyes(submitter, actor, meeting.owner_office)
    if not verdict.allowed:
        return RecordError(str(verdict.refusal), "same_person"), verdict
    return None, verdict


def allowed_actions(
    version: RecordVersion,
    user: User,
    *,
    manager: bool | None = None,
    newest: int | None = None,
    meeting: Meeting | None = None,
) -> tuple[str, ...]:
    """The minutes actions (SUBMIT, APPROVE, RETURN) this user may take on this version now:
    whoever may upload to the meeting (may_upload), on the newest version of the minutes,
    as its status allows, and APPROVE only as `approval_refusal` allows. `manager`
    (may_upload's answer), `newest` (the record's highest number) and `meeting` (with its
    conference and owning office) are for a caller that already knows them, such as the
    session page, which reads every version at once; left out, they are asked of the
    database."""
    if meeting is None:
        meeting = Meeting.objects.select_related("conference", "owner_office").get(
            pk=version.record.meeting_id
        )
    if manager is None:
        manager = may_upload(user, meeting)
    if not manager:
        return ()
    if newest is None:
        newest = newest_number(version)
    return tuple(
        action
        for action in (SUBMIT, APPROVE, RETURN)
        if (
            approval_refusal(version, user, meeting, newest)[0]
            if action == APPROVE
            else minutes_refusal(version, action, newest)
        )
        is None
    )


def submit(version: RecordVersion, actor: AbstractBaseUser) -> RecordVersion:
    """A draft (or returned) version of the minutes goes for approval.

    Side effects: audit "record.submitted".
    """
    with transaction.atomic():
        version = _locked_minutes(version, SUBMIT)
        version.status = RecordStatus.SUBMITTED
        # Who submitted is who may not approve (four_eyes); a resubmission after a
        # return is a new submission, by whoever sends it this time.
        version.submitted_by = actor
        version.submitted_at = timezone.now()
        version.save(update_fields=["status", "submitted_by", "submitted_at"])
        trail.record(actor, "record.submitted", version, {"number": version.number})
    return version


def approve(version: RecordVersion, actor: AbstractBaseUser) -> RecordVersion:
    """Submitted minutes are approved and published: from now on attendees see them.

    Refused (RecordError) before the session has ended ("not_ended") and to the person
    who submitted them ("same_person"), unless the office has a single secretary
    (meetings.records.four_eyes). Side effects: audit "record.published", which says
    when the single-secretary exception was used. The version never changes again.
    """
    with transaction.atomic():
        version = _locked_minutes(version, APPROVE)
        meeting = Meeting.objects.select_related("conference", "owner_office").get(
            pk=version.record.meeting_id
        )
        refusal, verdict = approval_refusal(version, actor, meeting)
        if refusal is not None:
            raise refusal
        now = timezone.now()
        version.status = RecordStatus.PUBLISHED
        version.reviewed_by = actor
        version.reviewed_at = now
        version.published_at = now
        # A comment from an earlier return was for the authors, not for the attendees
        # who see the published version; the audit entry "record.returned" keeps it.
        version.review_comment = ""
        version.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "published_at", "review_comment"]
        )
        trail.record(
            actor,
            "record.published",
            version,
            {"number": version.number, "sha256": version.sha256, **verdict.audit()},
        )
        record_signals.announce(record_signals.minutes_published, version.pk)
    return version


def return_for_changes(
    version: RecordVersion, actor: AbstractBaseUser, comment: str
) -> RecordVersion:
    """Submitted minutes go back to their authors with the reviewer's comment.

    Side effects: audit "record.returned" with the comment.
    """
    comment = comment.strip()
    if not comment:
        raise RecordError(
            _("Say what must change before the minutes can be approved."),
            "comment_required",
            "comment",
        )
    with transaction.atomic():
        version = _locked_minutes(version, RETURN)
        version.status = RecordStatus.RETURNED
        version.review_comment = comment
        version.reviewed_by = actor
        version.reviewed_at = timezone.now()
        version.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
        trail.record(actor, "record.returned", version, {"comment": comment})
    return version


def release(version: RecordVersion, actor: AbstractBaseUser) -> RecordVersion:
    """A held document (not minutes, which go through approval) is published: from now on
    everyone who reads the session's records sees it. Call inside the transaction of the
    action that releases it. Side effects: audit "record.released"."""
    locked = _locked(version, RecordStatus.DRAFT)
    if locked.record.kind == RecordKind.MINUTES:
        raise RecordError(_("Only minutes go through approval."), "not_minutes")
    locked.status = RecordStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    trail.record(actor, "record.released", locked, {"number": locked.number})
    return locked


def set_legal_hold(record: Record, *, hold: bool, actor: AbstractBaseUser) -> Record:
    """Put a record under legal hold (never purged) or release it. Side effects: audit."""
    with transaction.atomic():
        record = Record.objects.select_for_update().get(pk=record.pk)
        if record.legal_hold != hold:
            record.legal_hold = hold
            record.save(update_fields=["legal_hold"])
            trail.record(actor, "record.legal_hold", record, {"legal_hold": hold})
    return record


def _locked(version: RecordVersion, *allowed: str) -> RecordVersion:
    locked = RecordVersion.objects.select_for_update().select_related("record").get(pk=version.pk)
    if locked.status not in allowed:
        raise wrong_status(locked)
    return locked


def _locked_minutes(version: RecordVersion, action: str) -> RecordVersion:
    """The version under a row lock, if `action` may be taken on it now (minutes_refusal)."""
    locked = RecordVersion.objects.select_for_update().select_related("record").get(pk=version.pk)
    refusal = minutes_refusal(locked, action, newest_number(locked))
    if refusal is not None:
        raise refusal
    return locked
