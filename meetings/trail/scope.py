"""Which audit entries a user may read: the one rule of the /audit/ page.

The superuser reads every entry (the summaries hold no session titles). The
secretariat, acting for an office, reads the entries about what that office answers
for: the sessions it owns and may read (visibility.changeable: a confidential one only
when invited), their series, records, uploads and readiness reports, and the office's
own sites (its jurisdiction), bridges and the office itself; the central office also
reads the entries about the announced days off and working days it enters. Everyone
else reads none.
One query, whatever the number of entries: each kind of target is a subquery of ids.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from audit.models import AuditEntry
from conferencing.jurisdiction import booking_office, sites_within
from conferencing.models import Bridge, Endpoint, Leg, Office
from meetings.models import Meeting, Series
from meetings.records.models import Record, RecordingUpload, RecordVersion
from meetings.visibility import changeable
from workdays.models import AnnouncedDay

User = AbstractBaseUser | AnonymousUser


def may_read_trail(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or booking_office(user)))


def about(target_type: str, ids: QuerySet) -> Q:
    """Entries about these targets (`ids`: a queryset of primary keys)."""
    keys = ids.annotate(audit_key=Cast("pk", output_field=CharField())).values("audit_key")
    return Q(target_type=target_type, target_id__in=keys)


def readable_entries(user: User) -> QuerySet[AuditEntry]:
    """The entries the user may read, newest first (AuditEntry's ordering)."""
    entries = AuditEntry.objects.select_related("actor__person")
    if not user.is_authenticated:
        return entries.none()
    if user.is_superuser:
        return entries.all()
    office = booking_office(user)
    if office is None:
        return entries.none()
    meetings = changeable(user).values("pk")
    condition = (
        about(Meeting._meta.label_lower, Meeting.objects.filter(pk__in=meetings))
        | about(Series._meta.label_lower, Series.objects.filter(occurrences__in=meetings))
        | about(Record._meta.label_lower, Record.objects.filter(meeting__in=meetings))
        | about(
            RecordVersion._meta.label_lower,
            RecordVersion.objects.filter(record__meeting__in=meetings),
        )
        | about(
            RecordingUpload._meta.label_lower, RecordingUpload.objects.filter(meeting__in=meetings)
        )
        | about(Leg._meta.label_lower, Leg.objects.filter(conference__meeting__in=meetings))
        | about(Endpoint._meta.label_lower, sites_within(office))
        | about(Bridge._meta.label_lower, Bridge.objects.filter(owner=office))
        | about(Office._meta.label_lower, Office.objects.filter(pk=office.pk))
    )
    if office.is_central:
        # Every entry, the removed days' too: they have no row left to be a subquery of.
        condition |= Q(target_type=AnnouncedDay._meta.label_lower)
    return entries.filter(condition)
