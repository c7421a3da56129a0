"""The shapes of the meetings API: requests parsed into domain objects, and answers.

Requests are checked for shape only (types, choices, offsets, known attendees);
every booking rule is the domain's, and its errors come back through
`meetings.api.errors`.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from accounts.names import full_name
from conferencing.api.serializers import IdField, LevelField
from conferencing.models import DEFAULT_SETUP_MINUTES, Endpoint, LegRole
from conferencing.site_selection import SiteSelection
from meetings.api.conflict_summary import (
    CapacitySummarySerializer,
    ConflictingSessionSerializer,
    OccurrenceSummarySerializer,
)
from meetings.api.live import LiveSerializer, live_data
from meetings.attendance import unknown_invitees
from meetings.booking import BookingRequest, Details, Slot
from meetings.models import AttendeeRole, Classification, Meeting, MeetingStatus, OffDayPolicy
from meetings.off_days import OffDayChange
from meetings.series import SCOPE_FOLLOWING, SCOPE_THIS
from meetings.visibility import User, details_visible, readable_ids

MAX_SITE_CODES = 10_000
MAX_ATTENDEES = 1_000
SCOPES = [
    (SCOPE_THIS, _("This session only")),
    (SCOPE_FOLLOWING, _("This session and the following ones of its series")),
]


class OffsetDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time that must carry its offset: a naive time is ambiguous."""

    default_error_messages = {"naive": _("Give the time with its time zone offset.")}

    def enforce_timezone(self, value: datetime) -> datetime:
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)


def site_codes(help_text: str | Promise) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=32),
        max_length=MAX_SITE_CODES,
        required=False,
        default=list,
        help_text=help_text,
    )


class SiteSelectionSerializer(serializers.Serializer):
    """Sites the way a secretariat names them: levels, subtrees, single sites, minus exclusions."""

    levels = serializers.ListField(
        child=LevelField(),
        required=False,
        default=list,
        help_text=_("Every active site of these levels."),
    )
    subtrees = site_codes(_("These sites and every active site under them."))
    sites = site_codes(_("These sites, one by one; each must be active."))
    exclude_sites = site_codes(_("Leave out these sites."))
    exclude_subtrees = site_codes(_("Leave out these sites and every site under them."))

    def selection(self, data: dict) -> SiteSelection:
        return SiteSelection(
            levels=tuple(data["levels"]),
            subtrees=tuple(data["subtrees"]),
            sites=tuple(data["sites"]),
            exclude_sites=tuple(data["exclude_sites"]),
            exclude_subtrees=tuple(data["exclude_subtrees"]),
        )


class InvitationSerializer(serializers.Serializer):
    user = IdField(help_text=_("The invited user's id."))
    role = serializers.ChoiceField(choices=AttendeeRole.choices, default=AttendeeRole.MEMBER)


class CheckSerializer(serializers.Serializer):
    """What the dry run needs: a booking request whose title may still be empty."""

    title = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    agenda = serializers.CharField(max_length=20_000, required=False, default="", allow_blank=True)
    organising_unit = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    classification = serializers.ChoiceField(
        choices=Classification.choices, default=Classification.INTERNAL
    )
    bridge = IdField(help_text=_("The bridge's id."))
    start = OffsetDateTimeField(
        help_text=_("ISO 8601 with offset, e.g. 2026-03-02T08:00:00+07:00.")
    )
    end = OffsetDateTimeField(help_text=_("ISO 8601 with offset; after the start."))
    setup_minutes = serializers.IntegerField(
        default=DEFAULT_SETUP_MINUTES,
        help_text=_("Minutes before the start reserved for the technical checks."),
    )
    sites = SiteSelectionSerializer()
    host = serializers.CharField(max_length=32, help_text=_("The presiding site's code."))
    attendees = InvitationSerializer(
        many=True, required=False, default=list, max_length=MAX_ATTENDEES
    )
    rrule = serializers.CharField(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Recurrence (RFC 5545), e.g. FREQ=WEEKLY;BYDAY=MO;COUNT=26: books a series."),
    )
    off_days = serializers.ChoiceField(
        choices=OffDayPolicy.choices,
        default=OffDayPolicy.KEEP,
        help_text=_(
            "For a series: an occurrence on a day off (weekend, public holiday, announced day "
            "off) is kept, skipped, or moved to the next working day at the same time."
        ),
    )

    def validate_attendees(self, attendees: list[dict]) -> list[dict]:
        ids = [attendee["user"] for attendee in attendees]
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError(_("Invite each person once."))
        if unknown := unknown_invitees(ids):
            raise serializers.ValidationError(
                gettext("Unknown users: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}
            )
        return attendees

    def booking_request(self) -> BookingRequest:
        data = self.validated_data
        return BookingRequest(
            details=Details(
                title=data["title"],
                agenda=data["agenda"],
                organising_unit=data["organising_unit"],
                classification=data["classification"],
                attendees=tuple((item["user"], item["role"]) for item in data["attendees"]),
            ),
            slot=Slot(data["start"], data["end"], data["setup_minutes"]),
            bridge_id=data["bridge"],
            sites=SiteSelectionSerializer().selection(data["sites"]),
            host_code=data["host"],
        )


class BookSerializer(CheckSerializer):
    """A booking: the dry run's request with a title; for a series, what to do on conflicts."""

    title = serializers.CharField(max_length=300, allow_blank=True)
    skip_conflicts = serializers.BooleanField(
        default=False,
        help_text=_("For a series: book the free occurrences and skip the conflicting ones."),
    )


class RescheduleSerializer(serializers.Serializer):
    start = OffsetDateTimeField()
    end = OffsetDateTimeField()
    setup_minutes = serializers.IntegerField(
        required=False, help_text=_("Unchanged when left out.")
    )
    scope = serializers.ChoiceField(choices=SCOPES, default=SCOPE_THIS)

    def slot(self, meeting: Meeting) -> Slot:
        data = self.validated_data
        setup = data.get("setup_minutes", meeting.conference.setup_minutes)
        return Slot(data["start"], data["end"], setup)


class ChangeSitesSerializer(serializers.Serializer):
    sites = SiteSelectionSerializer()
    host = serializers.CharField(max_length=32, help_text=_("The presiding site's code."))

    def selection(self) -> SiteSelection:
        return SiteSelectionSerializer().selection(self.validated_data["sites"])


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)
    scope = serializers.ChoiceField(choices=SCOPES, default=SCOPE_THIS)


class MeetingFilterSerializer(serializers.Serializer):
    """The query string of the meeting list; site codes are resolved to their sites here."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_(
            "Only sessions whose title or organising unit holds every word, whatever its "
            "case and marks (“da nang” finds “Đà Nẵng”)."
        ),
    )
    to = OffsetDateTimeField(
        required=False, help_text=_("Only sessions starting before this time (with offset).")
    )
    level = LevelField(
        required=False, help_text=_("Only sessions a site of this level takes part in.")
    )
    province = serializers.CharField(
        required=False,
        max_length=32,
        help_text=_("Only sessions a site in this subtree takes part in (a site code)."),
    )
    site = serializers.CharField(
        required=False, max_length=32, help_text=_("Only sessions this site takes part in.")
    )
    mine = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only sessions I organise, attend, or whose sites I serve."),
    )
    office_scope = serializers.ChoiceField(
        choices=[
            ("office", _("Sessions of my office")),
            ("jurisdiction", _("Sessions touching my jurisdiction")),
        ],
        required=False,
        help_text=_(
            "For the secretariat of an office: only the sessions the office it acts for "
            "owns, or only those with a site in its jurisdiction. Nothing for anyone else."
        ),
    )
    status = serializers.ChoiceField(choices=MeetingStatus.choices, required=False)
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)

    def get_fields(self) -> dict:
        # "from" is a Python keyword: it cannot be declared as a class attribute.
        return {
            "from": OffsetDateTimeField(
                required=False, help_text=_("Only sessions ending after this time (with offset).")
            ),
            **super().get_fields(),
        }

    def validate_province(self, code: str) -> Endpoint:
        return known_site(code)

    def validate_site(self, code: str) -> Endpoint:
        return known_site(code)

    def validate(self, data: dict) -> dict:
        if "from" in data and "to" in data and data["to"] <= data["from"]:
            raise serializers.ValidationError(
                {"to": [gettext("The end of the period must be after its start.")]}
            )
        return data


def known_site(code: str) -> Endpoint:
    site = Endpoint.objects.only("pk", "code", "path").filter(code=code).first()
    if site is None:
        raise serializers.ValidationError(
            gettext("No site has the code %(code)s.") % {"code": code}
        )
    return site


# --- answers ------------------------------------------------------------------------------------


class SiteRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = LevelField()


class LegSerializer(serializers.Serializer):
    code = serializers.CharField(source="endpoint.code")
    name = serializers.CharField(source="endpoint.name")
    level = LevelField(source="endpoint.level")
    role = serializers.ChoiceField(choices=LegRole.choices)


class BridgeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SeriesRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uid = serializers.CharField()
    rrule = serializers.CharField()
    first_start = serializers.DateTimeField()
    off_days = serializers.ChoiceField(choices=OffDayPolicy.choices)


class OffDayChangeSerializer(serializers.Serializer):
    """An occurrence of a series on a day off, and what happens to it."""

    start = serializers.DateTimeField(help_text=_("The occurrence's start on the day off."))
    end = serializers.DateTimeField()
    reason = serializers.CharField(
        help_text=_("The holiday's or the announcement's name; empty for a weekend.")
    )
    off_days = serializers.ChoiceField(choices=OffDayPolicy.choices)
    moved_start = serializers.DateTimeField(
        allow_null=True, help_text=_("Where a moved occurrence starts; null otherwise.")
    )
    moved_end = serializers.DateTimeField(allow_null=True)


def off_day_data(change: OffDayChange) -> dict:
    field = serializers.DateTimeField()
    moved = change.moved_to
    return {
        "start": field.to_representation(change.slot.start),
        "end": field.to_representation(change.slot.end),
        "reason": change.reason,
        "off_days": change.policy,
        "moved_start": field.to_representation(moved.start) if moved else None,
        "moved_end": field.to_representation(moved.end) if moved else None,
    }


# Which shape a meeting answer has: clients read `kind` first (the schema's discriminator),
# so a readable meeting and busy time never match each other's schema.
KIND_READABLE = "meeting"
KIND_BUSY = "busy"


def one_value(kind: str, value: object) -> dict:
    """The schema of a field that always holds this value in this shape (`const`, not a
    one-item enum: enums become named components, and these would collide)."""
    return {"type": kind, "const": value}


class MeetingSummarySerializer(serializers.Serializer):
    """A meeting in a list: what it is and when, without its sites and attendees."""

    id = serializers.IntegerField()
    kind = serializers.SerializerMethodField(
        help_text=_("meeting: a session the user may read; busy: busy time only.")
    )
    details_visible = serializers.SerializerMethodField()
    title = serializers.CharField()
    start = serializers.DateTimeField(source="conference.start")
    end = serializers.DateTimeField(source="conference.end")
    setup_minutes = serializers.IntegerField(source="conference.setup_minutes")
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    classification = serializers.ChoiceField(choices=Classification.choices)
    organising_unit = serializers.CharField()
    bridge = BridgeRefSerializer(source="conference.bridge")
    host = serializers.SerializerMethodField()
    site_count = serializers.IntegerField()
    series = SeriesRefSerializer(allow_null=True)
    sequence = serializers.IntegerField()

    @extend_schema_field(one_value("string", KIND_READABLE))
    def get_kind(self, meeting: Meeting) -> str:
        return KIND_READABLE

    @extend_schema_field(one_value("boolean", True))
    def get_details_visible(self, meeting: Meeting) -> bool:
        return True

    @extend_schema_field(SiteRefSerializer(allow_null=True))
    def get_host(self, meeting: Meeting) -> dict | None:
        # Annotations of `MeetingQuerySet.with_summary()`.
        code, name, level = (getattr(meeting, f"host_{key}") for key in ("code", "name", "level"))
        if code is None:
            return None
        return {"code": code, "name": name, "level": LevelField().to_representation(level)}


class BusyMeetingSerializer(serializers.Serializer):
    """A confidential meeting the user may see in a list but not read: busy time only."""

    id = serializers.IntegerField()
    kind = serializers.SerializerMethodField(
        help_text=_("meeting: a session the user may read; busy: busy time only.")
    )
    details_visible = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    start = serializers.DateTimeField(source="conference.start")
    end = serializers.DateTimeField(source="conference.end")
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    classification = serializers.ChoiceField(choices=Classification.choices)

    @extend_schema_field(one_value("string", KIND_BUSY))
    def get_kind(self, meeting: Meeting) -> str:
        return KIND_BUSY

    @extend_schema_field(one_value("boolean", False))
    def get_details_visible(self, meeting: Meeting) -> bool:
        return False

    def get_title(self, meeting: Meeting) -> str:
        return gettext("Busy")


def meeting_items_schema(many: bool) -> PolymorphicProxySerializer:
    """A meeting as lists show it: readable, or busy time only."""
    return PolymorphicProxySerializer(
        component_name="MeetingListItem",
        serializers={KIND_READABLE: MeetingSummarySerializer, KIND_BUSY: BusyMeetingSerializer},
        resource_type_field_name="kind",
        many=many,
    )


def meeting_detail_schema() -> PolymorphicProxySerializer:
    """One meeting read by itself: everything about it, or busy time only."""
    return PolymorphicProxySerializer(
        component_name="MeetingRead",
        serializers={KIND_READABLE: MeetingDetailSerializer, KIND_BUSY: BusyMeetingSerializer},
        resource_type_field_name="kind",
    )


@extend_schema_field(meeting_items_schema(many=True))
class MeetingItemsField(serializers.ListField):
    """Documents a list of meeting items; the data comes from `meeting_items`."""


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return full_name(user)


class AttendeeSerializer(serializers.Serializer):
    user = PersonSerializer()
    role = serializers.ChoiceField(choices=AttendeeRole.choices)


class MeetingDetailSerializer(MeetingSummarySerializer):
    """Everything about a meeting the user may read: its sites, attendees and calendar identity."""

    uid = serializers.CharField()
    agenda = serializers.CharField()
    cancel_reason = serializers.CharField()
    organiser = PersonSerializer()
    sites = LegSerializer(many=True, source="conference.site_legs")
    attendees = AttendeeSerializer(many=True, source="attendees.all")
    occurrence_start = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    live = serializers.SerializerMethodField()

    @extend_schema_field(LiveSerializer)
    def get_live(self, meeting: Meeting) -> dict:
        # The viewer's own access (meetings.api.live): `meeting_detail` passes the user.
        return live_data(meeting, self.context["user"])


class CheckResultSerializer(serializers.Serializer):
    """The dry run's answer, in the shape of a 409 `conflict`: the sessions in the way and
    the bridge's overload (empty and null when free), or `occurrences` for a series."""

    ok = serializers.BooleanField()
    sessions = ConflictingSessionSerializer(many=True, required=False)
    capacity = CapacitySummarySerializer(allow_null=True, required=False)
    occurrences = OccurrenceSummarySerializer(many=True, required=False)
    off_days = OffDayChangeSerializer(
        many=True, required=False, help_text=_("For a series: its occurrences on a day off.")
    )


class SeriesBookedSerializer(serializers.Serializer):
    """A booked series: its occurrences, and those skipped for their conflicts."""

    series = SeriesRefSerializer()
    booked = MeetingItemsField()
    skipped = OccurrenceSummarySerializer(many=True)
    off_days = OffDayChangeSerializer(
        many=True, help_text=_("The occurrences on a day off: kept, skipped or moved.")
    )


class MeetingsChangedSerializer(serializers.Serializer):
    """The meetings an action changed, in time order (one unless the scope is "following")."""

    meetings = MeetingItemsField()


def meeting_items(meetings: list[Meeting], user: User) -> list[dict]:
    """Each meeting as lists show it to this user; one query whatever their number."""
    readable = readable_ids(user, meetings)
    return [
        (MeetingSummarySerializer if meeting.pk in readable else BusyMeetingSerializer)(
            meeting
        ).data
        for meeting in meetings
    ]


def meeting_detail(meeting: Meeting, user: User) -> dict:
    if not details_visible(meeting, user):
        return BusyMeetingSerializer(meeting).data
    return MeetingDetailSerializer(meeting, context={"user": user}).data
