"""Demo data for `make run`: the national tree, three offices at two levels, their
bridges, and users for every role.

The Government Office (VPCP, the whole tree) and two provincial offices, Hà Nội (T01)
and the mountain province Lào Cai (T15), each with its own secretariat login and its
own bridge; the central "MCU Quốc gia" is shared with both provinces, "MCU Dự phòng"
is the centre's alone. Technicians serve sites of each province. `thuky.kiemnhiem`
belongs to two offices (VPCP and Hà Nội) and switches between them in the header.

Idempotent: running it again changes nothing, and a demo user who changed
their password keeps it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from accounts.models import Person
from accounts.roles import Role
from conferencing.divisions import CENTRAL_CODE
from conferencing.models import Bridge, Endpoint, Office


@dataclass(frozen=True)
class DemoOffice:
    code: str
    name: str
    jurisdiction: str  # a site code


CENTRAL = DemoOffice("VPCP", "Văn phòng Chính phủ", CENTRAL_CODE)
HANOI = DemoOffice("VPUB-HN", "Văn phòng UBND Thành phố Hà Nội", "T01")
LAOCAI = DemoOffice("VPUB-LC", "Văn phòng UBND tỉnh Lào Cai", "T15")
DEMO_OFFICES = [CENTRAL, HANOI, LAOCAI]


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role | None
    full_name: str  # họ và tên, as written
    is_superuser: bool = False
    offices: tuple[DemoOffice, ...] = ()
    # Sites served as technician: codes, and (province code, first, last) commune ranges
    # in code order, 1-based.
    sites: tuple[str, ...] = ()
    communes: tuple[str, int, int] | None = None


DEMO_USERS = [
    DemoUser("thuky", "thuky-demo-2026", Role.SECRETARIAT, "Nguyễn Thị Lan", offices=(CENTRAL,)),
    DemoUser("thuky.hanoi", "thuky-hanoi-2026", Role.SECRETARIAT, "Phạm Thu Hà", offices=(HANOI,)),
    DemoUser(
        "thuky.laocai",
        "thuky-laocai-2026",
        Role.SECRETARIAT,
        "Giàng A Sơn",
        offices=(LAOCAI,),
    ),
    DemoUser(
        "thuky.kiemnhiem",
        "thuky-kiemnhiem-2026",
        Role.SECRETARIAT,
        "Đỗ Văn Quang",
        offices=(CENTRAL, HANOI),
    ),
    DemoUser(
        "kythuat",
        "kythuat-demo-2026",
        Role.TECHNICIAN,
        "Trần Văn Hùng",
        sites=(CENTRAL_CODE, "T01"),
        communes=("T01", 1, 3),
    ),
    DemoUser(
        "kythuat.hanoi",
        "kythuat-hanoi-2026",
        Role.TECHNICIAN,
        "Vũ Thị Mai",
        communes=("T01", 4, 6),
    ),
    DemoUser(
        "kythuat.laocai",
        "kythuat-laocai-2026",
        Role.TECHNICIAN,
        "Vàng Seo Páo",
        sites=("T15",),
        communes=("T15", 1, 3),
    ),
    DemoUser("daibieu", "daibieu-demo-2026", Role.ATTENDEE, "Lê Quang Minh"),
    DemoUser("admin", "admin-demo-2026", None, "Quản trị hệ thống", is_superuser=True),
]


@dataclass(frozen=True)
class DemoBridge:
    name: str
    dial_in: str
    port_capacity: int
    owner: DemoOffice
    shared_with: tuple[DemoOffice, ...] = ()


DEMO_BRIDGES = [
    DemoBridge("MCU Quốc gia", "sip:mcu-quocgia@vc.gov.vn", 4000, CENTRAL, (HANOI, LAOCAI)),
    DemoBridge("MCU Dự phòng", "sip:mcu-duphong@vc.gov.vn", 400, CENTRAL),
    DemoBridge("MCU Hà Nội", "sip:mcu@vc.hanoi.gov.vn", 600, HANOI),
    DemoBridge("MCU Lào Cai", "sip:mcu@vc.laocai.gov.vn", 200, LAOCAI),
]


def seed_demo() -> dict[str, int]:
    """Import the national tree, then add offices, bridges, demo users and their sites."""
    call_command("import_divisions", verbosity=0)
    with transaction.atomic():
        offices = {demo.code: ensure_office(demo) for demo in DEMO_OFFICES}
        for bridge in DEMO_BRIDGES:
            ensure_bridge(bridge, offices)
        users = [ensure_user(demo, offices) for demo in DEMO_USERS]
    return {
        "endpoints": Endpoint.objects.count(),
        "offices": Office.objects.count(),
        "bridges": Bridge.objects.count(),
        "users": len(users),
    }


def ensure_office(demo: DemoOffice) -> Office:
    # By code: the migration to offices already made the central office of an older demo.
    office, _created = Office.objects.get_or_create(
        code=demo.code,
        defaults={"name": demo.name, "jurisdiction": Endpoint.objects.get(code=demo.jurisdiction)},
    )
    return office


def ensure_bridge(demo: DemoBridge, offices: dict[str, Office]) -> Bridge:
    bridge, _created = Bridge.objects.get_or_create(
        name=demo.name,
        defaults={
            "dial_in": demo.dial_in,
            "port_capacity": demo.port_capacity,
            "owner": offices[demo.owner.code],
        },
    )
    bridge.shared_with.add(*(offices[office.code] for office in demo.shared_with))
    return bridge


def ensure_user(demo: DemoUser, offices: dict[str, Office]):
    user, created = get_user_model().objects.get_or_create(
        username=demo.username,
        defaults={
            "email": f"{demo.username}@demo.giaoban.vn",
            # The Django admin is the superuser's; offices manage on their own pages.
            "is_staff": demo.is_superuser,
            "is_superuser": demo.is_superuser,
        },
    )
    if created:
        user.set_password(demo.password)
        user.save(update_fields=["password"])
        person = Person.objects.get(user=user)
        person.full_name = demo.full_name
        person.save()
    if demo.role:
        user.groups.add(Group.objects.get(name=demo.role.value))
    user.offices.add(*(offices[office.code] for office in demo.offices))
    user.served_endpoints.add(*served_sites(demo))
    return user


def served_sites(demo: DemoUser) -> list[Endpoint]:
    sites = list(Endpoint.objects.filter(code__in=demo.sites))
    if demo.communes:
        province_code, first, last = demo.communes
        province = Endpoint.objects.get(code=province_code)
        communes = Endpoint.objects.within(province, include_self=False).order_by("code")
        sites += list(communes[first - 1 : last])
    return sites
