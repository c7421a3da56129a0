import hashlib
import uuid
from datetime import datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import Role
from conferencing.models import Bridge, Endpoint, Level, Office, path_for
from conferencing.site_selection import SiteSelection
from meetings.booking import BookingRequest, Details, Slot, book
from meetings.models import Meeting

DEMO_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def full_name(self, create: bool, extracted: str | None, **kwargs) -> None:
        """`UserFactory(full_name="Nguyễn Thị Lan")`: one field, as written."""
        if create and extracted is not None:
            person = self.person
            person.full_name = extracted
            person.save()

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs) -> None:
        if create and extracted:
            # get_or_create: a transactional test's flush removes the migration-made groups.
            self.groups.add(
                *(Group.objects.get_or_create(name=role.value)[0] for role in extracted)
            )
        if create:
            self.save()

    @factory.post_generation
    def offices(self, create: bool, extracted: list[Office] | None, **kwargs) -> None:
        """Secretariat staff join the central office unless told their offices:
        `UserFactory(roles=[Role.SECRETARIAT], offices=[hanoi_office])`."""
        if not create:
            return
        if extracted is None and self.groups.filter(name=Role.SECRETARIAT.value).exists():
            extracted = [central_office()]
        if extracted:
            self.offices.add(*extracted)


class EndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endpoint
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"EP{n:04d}")
    name = factory.LazyAttribute(lambda endpoint: f"Điểm cầu {endpoint.code}")
    level = Level.PROVINCE
    parent = None


def centre() -> Endpoint:
    """The root of the test tree, TW (site_tree grows under it)."""
    return EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)


class OfficeFactory(factory.django.DjangoModelFactory):
    """`OfficeFactory(code="VPUB-T01", jurisdiction=sites["T01"])`."""

    class Meta:
        model = Office
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"VP{n:03d}")
    name = factory.LazyAttribute(lambda office: f"Văn phòng {office.code}")
    jurisdiction = factory.LazyFunction(centre)


def central_office() -> Office:
    """The Government Office, whose jurisdiction is the root TW."""
    return OfficeFactory(code="VPCP", name="Văn phòng Chính phủ", jurisdiction=centre())


def office_of(site: Endpoint, code: str, *members, name: str = "") -> Office:
    """An office whose jurisdiction is `site`, with these secretariat members:
    `office_of(sites["T01"], "VP-HN", hanoi_secretary)`."""
    office = OfficeFactory(code=code, name=name or f"Văn phòng {site.name}", jurisdiction=site)
    office.members.add(*members)
    return office


class BridgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bridge
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"MCU {n}")
    dial_in = factory.Sequence(lambda n: f"sip:mcu{n}@vc.example.vn")
    port_capacity = 40
    owner = factory.LazyFunction(central_office)


# -- Booking: sites, requests and booked sessions (booking domain tests) -------------------------

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(days_ahead: int, hour: int, minute: int = 0) -> datetime:
    """An aware Asia/Ho_Chi_Minh wall-clock time, `days_ahead` days after today there."""
    today = timezone.localdate(timezone=LOCAL_ZONE)
    return datetime.combine(today + timedelta(days=days_ahead), dt_time(hour, minute), LOCAL_ZONE)


def site_tree(provinces: int = 2, communes: int = 3) -> dict[str, Endpoint]:
    """TW at the centre; provinces T01, T02…; communes X0101, X0102… under each."""
    sites = {"TW": centre()}
    for p in range(1, provinces + 1):
        province = EndpointFactory(code=f"T{p:02d}", level=Level.PROVINCE, parent=sites["TW"])
        sites[province.code] = province
        for c in range(1, communes + 1):
            commune = EndpointFactory(code=f"X{p:02d}{c:02d}", level=Level.COMMUNE, parent=province)
            sites[commune.code] = commune
    return sites


def bulk_communes(parent: Endpoint, count: int, prefix: str = "B") -> list[Endpoint]:
    """`count` commune sites under `parent` in one INSERT (paths set here: no save())."""
    return Endpoint.objects.bulk_create(
        Endpoint(
            code=f"{prefix}{n:05d}",
            name=f"Xã {prefix}{n:05d}",
            level=Level.COMMUNE,
            parent=parent,
            path=path_for(f"{prefix}{n:05d}", parent.path),
        )
        for n in range(count)
    )


class SlotFactory(factory.Factory):
    class Meta:
        model = Slot

    start = factory.LazyFunction(lambda: local_time(7, 8))
    end = factory.LazyAttribute(lambda slot: slot.start + timedelta(hours=2))
    setup_minutes = 60


class DetailsFactory(factory.Factory):
    class Meta:
        model = Details

    title = factory.Sequence(lambda n: f"Giao ban {n}")


class BookingRequestFactory(factory.Factory):
    """`BookingRequestFactory(bridge_id=bridge.pk, sites=SiteSelection(sites=("T01",)),
    host_code="T01", slot__start=local_time(7, 8))`."""

    class Meta:
        model = BookingRequest

    details = factory.SubFactory(DetailsFactory)
    slot = factory.SubFactory(SlotFactory)
    bridge_id = factory.LazyFunction(lambda: BridgeFactory().pk)
    sites = SiteSelection(sites=("T01",))
    host_code = "T01"


def booked(user, **request) -> Meeting:
    """A session booked through the domain, as the secretariat would: `booked(alice, ...)`
    with BookingRequestFactory's arguments."""
    return book(BookingRequestFactory(**request), user)


def stored_counts() -> dict[str, int]:
    """What a refused booking must leave untouched."""
    from audit.models import AuditEntry
    from conferencing.models import Conference, Leg

    return {
        "conferences": Conference.objects.count(),
        "legs": Leg.objects.count(),
        "meetings": Meeting.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }


# -- Readiness: sessions whose check window is open now, technicians of sites --------------------


def open_session(
    user,
    sites: tuple[str, ...] = ("T01",),
    host_code: str = "T01",
    starts_in: timedelta = timedelta(minutes=30),
    setup_minutes: int = 60,
    **request,
) -> Meeting:
    """A session booked relative to the real clock: by default it starts in 30 minutes
    with a 60-minute setup window, so its readiness window opened 30 minutes ago."""
    return booked(
        user,
        sites=SiteSelection(sites=sites),
        host_code=host_code,
        slot__start=timezone.now() + starts_in,
        slot__setup_minutes=setup_minutes,
        **request,
    )


def start_now(meeting: Meeting, started_ago: timedelta = timedelta(minutes=5)) -> Meeting:
    """Make a booked session one that is running (booking refuses the past): the
    conference and its legs' windows are moved so it started `started_ago` ago."""
    from conferencing.models import Conference, Leg

    conference = meeting.conference
    length = conference.end - conference.start
    start = timezone.now() - started_ago
    Conference.objects.filter(pk=conference.pk).update(start=start, end=start + length)
    Leg.objects.filter(conference=conference).update(
        reserved_from=start - timedelta(minutes=conference.setup_minutes),
        reserved_until=start + length,
    )
    conference.refresh_from_db()
    return meeting


def end_now(meeting: Meeting, ended_ago: timedelta = timedelta(hours=1)) -> Meeting:
    """Make a booked session one that is over: it ended `ended_ago` ago."""
    conference = meeting.conference
    return start_now(meeting, started_ago=conference.end - conference.start + ended_ago)


def serve(user, *codes: str) -> None:
    """Make `user` a technician of the sites with these codes."""
    for endpoint in Endpoint.objects.filter(code__in=codes):
        endpoint.technicians.add(user)


# -- Records: documents and recordings of a meeting (records tests) -----------------------------

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class RecordFactory(factory.django.DjangoModelFactory):
    """`RecordFactory(meeting=meeting, kind=RecordKind.MINUTES)`: a meeting is required."""

    class Meta:
        model = "meetings.Record"

    kind = "agenda"
    title = factory.Sequence(lambda n: f"Tài liệu {n}")


class RecordVersionFactory(factory.django.DjangoModelFactory):
    """A version row (no object in storage: see `stored_version`); size and SHA-256 are
    those of `content`, the number the record's next."""

    class Meta:
        model = "meetings.RecordVersion"

    class Params:
        content = PDF_BYTES

    record = factory.SubFactory(RecordFactory)
    number = factory.LazyAttribute(lambda version: version.record.versions.count() + 1)
    key = factory.LazyAttribute(
        lambda version: f"records/{version.record.meeting.uid}/{uuid.uuid4().hex}"
    )
    original_name = "Biên bản họp giao ban.pdf"
    size = factory.LazyAttribute(lambda version: len(version.content))
    content_type = "application/pdf"
    sha256 = factory.LazyAttribute(lambda version: hashlib.sha256(version.content).hexdigest())
    status = "available"
    uploaded_by = factory.SubFactory(UserFactory)
    published_at = factory.LazyAttribute(
        lambda version: timezone.now() if version.status == "published" else None
    )


def stored_version(content: bytes = PDF_BYTES, **fields):
    """A version whose object is in the configured record storage with these bytes."""
    from meetings.records import storage as record_storage

    version = RecordVersionFactory(content=content, **fields)
    record_storage.save_stream(version.key, [content], content_type=version.content_type)
    return version
