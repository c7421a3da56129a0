"""Demo data for `make run`: the national tree, two bridges and one user per role.

Idempotent: running it again changes nothing, and a demo user who changed
their password keeps it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from accounts.roles import Role
from conferencing.models import Bridge, Endpoint


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role | None
    first_name: str
    last_name: str
    is_superuser: bool = False


DEMO_USERS = [
    DemoUser("thuky", "thuky-demo-2026", Role.SECRETARIAT, "Lan", "Nguyễn Thị"),
    DemoUser("kythuat", "kythuat-demo-2026", Role.TECHNICIAN, "Hùng", "Trần Văn"),
    DemoUser("daibieu", "daibieu-demo-2026", Role.ATTENDEE, "Minh", "Lê Quang"),
    DemoUser("admin", "admin-demo-2026", None, "Quản trị", "", is_superuser=True),
]

DEMO_BRIDGES = [
    {"name": "MCU Quốc gia", "dial_in": "sip:mcu-quocgia@vc.gov.vn", "port_capacity": 4000},
    {"name": "MCU Dự phòng", "dial_in": "sip:mcu-duphong@vc.gov.vn", "port_capacity": 400},
]

# The technician serves the central site, Hà Nội and its first communes.
TECHNICIAN_SITE_CODES = ["TW", "T01"]
TECHNICIAN_COMMUNES_OF = "T01"
TECHNICIAN_COMMUNE_COUNT = 3


def seed_demo() -> dict[str, int]:
    """Import the national tree, then add bridges, demo users and site assignments."""
    call_command("import_divisions", verbosity=0)
    with transaction.atomic():
        for bridge in DEMO_BRIDGES:
            Bridge.objects.get_or_create(name=bridge["name"], defaults=bridge)
        users = {demo.username: ensure_user(demo) for demo in DEMO_USERS}
        technician = users["kythuat"]
        technician.served_endpoints.add(*technician_sites())
    return {
        "endpoints": Endpoint.objects.count(),
        "bridges": Bridge.objects.count(),
        "users": len(users),
    }


def ensure_user(demo: DemoUser):
    user, created = get_user_model().objects.get_or_create(
        username=demo.username,
        defaults={
            "first_name": demo.first_name,
            "last_name": demo.last_name,
            "email": f"{demo.username}@demo.giaoban.vn",
            "is_staff": demo.is_superuser or demo.role == Role.SECRETARIAT,
            "is_superuser": demo.is_superuser,
        },
    )
    if created:
        user.set_password(demo.password)
        user.save(update_fields=["password"])
    if demo.role:
        user.groups.add(Group.objects.get(name=demo.role.value))
    return user


def technician_sites() -> list[Endpoint]:
    sites = list(Endpoint.objects.filter(code__in=TECHNICIAN_SITE_CODES))
    province = Endpoint.objects.get(code=TECHNICIAN_COMMUNES_OF)
    communes = Endpoint.objects.within(province, include_self=False).order_by("code")
    return sites + list(communes[:TECHNICIAN_COMMUNE_COUNT])
