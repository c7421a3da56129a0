"""Benchmark: import 5,000 people (CSV) into an empty database, then again unchanged.

    .venv/bin/python bench/people_import.py [--people N]

The world: TW and 34 provinces of 100 communes each (3,435 sites), the Government
Office and one office per province. The file: 5,000 people with Vietnamese names (họ và
tên), e-mail, phone, username, role (technicians with one or two communes of their
province, secretariat staff, attendees) and their province's office code, imported by a
secretariat member of the Government Office acting for it (people.scope decides, as on
the page). One leg on SQLite (a fresh file), one on PostgreSQL (a throwaway database,
BENCH_DATABASE, default `giaoban_bench_people`, created and dropped here on the server of
DATABASE_URL, default postgres://postgres@127.0.0.1:5432). Goal: at most 5 s each way.

The LDAP sign-in figure comes from bench/ldap_sign_in.py when it exists (run as a child,
its last line's `ldap_sign_in_p50_ms`); null otherwise. Prints human-readable lines, then
one JSON object as the last line.
"""

import sys

# As in bench/import_endpoints.py: the project root first on sys.path, not bench/.
sys.path[:] = [__file__.rsplit("/", 2)[0]] + [
    entry for entry in sys.path if entry != __file__.rpartition("/")[0]
]

import argparse
import json
import os
import random
import subprocess
import time
from collections.abc import Callable

from bench import _legs

BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "giaoban_bench_people")
LEG_SETTINGS = {"DEBUG": "1"}
GOAL_S = 5.0
PEOPLE = 5000
PROVINCES = 34
COMMUNES = 100
LDAP_BENCH = _legs.ROOT / "bench" / "ldap_sign_in.py"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
FAMILY += ["Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Mai"]
MIDDLE_MEN = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Tiến"]
MIDDLE_WOMEN = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Bích", "Kim", "Phương"]
GIVEN_MEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong"]
GIVEN_MEN += ["Quân", "Sơn", "Tuấn", "Việt", "Đạt", "Thắng", "Trung", "Hiếu", "Toàn"]
GIVEN_WOMEN = ["Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo"]
GIVEN_WOMEN += ["Thủy", "Trang", "Yến", "Huyền", "Ngân", "Oanh", "Vân", "Giang", "Tâm"]


def main() -> int:
    if sys.argv[1:2] == ["--leg"]:
        print(json.dumps(run_leg(int(os.environ.get("BENCH_PEOPLE", PEOPLE)))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=PEOPLE)
    options = parser.parse_args()
    settings = {**LEG_SETTINGS, "BENCH_PEOPLE": str(options.people)}
    sqlite = _legs.sqlite_leg(__file__, settings)
    postgres = _legs.postgres_leg(__file__, settings, BENCH_DATABASE)
    for leg in (sqlite, postgres):
        if leg is None:
            continue
        print(
            f"{leg['vendor']:10} "
            f"import {leg['import_s']:.2f} s ({leg['queries_import']} queries), "
            f"re-import {leg['reimport_s']:.2f} s ({leg['queries_reimport']} queries), "
            f"{leg['people']} people, {leg['sites']} sites, {leg['offices']} offices"
        )
    slowest = max(
        (leg[key] for leg in (sqlite, postgres) if leg for key in ("import_s", "reimport_s")),
        default=0.0,
    )
    print(f"goal: at most {GOAL_S:.0f} s each way: {'met' if slowest <= GOAL_S else 'MISSED'}")
    ldap = ldap_sign_in_p50_ms()
    print(f"LDAP sign-in p50: {'not measured' if ldap is None else f'{ldap} ms'}")
    legs = [leg for leg in (sqlite, postgres) if leg]
    print(
        json.dumps(
            {
                "import_s_sqlite": sqlite and sqlite["import_s"],
                "reimport_s_sqlite": sqlite and sqlite["reimport_s"],
                "import_s_pg": postgres and postgres["import_s"],
                "reimport_s_pg": postgres and postgres["reimport_s"],
                # The larger of the two databases' counts (they differ only in batching).
                "queries_import": max((leg["queries_import"] for leg in legs), default=None),
                "queries_reimport": max((leg["queries_reimport"] for leg in legs), default=None),
                "people": legs[0]["people"] if legs else 0,
                "ldap_sign_in_p50_ms": ldap,
            }
        )
    )
    return 0


def ldap_sign_in_p50_ms() -> float | None:
    """bench/ldap_sign_in.py's p50, if that benchmark exists and reports one."""
    if not LDAP_BENCH.exists():
        return None
    done = subprocess.run(
        [sys.executable, str(LDAP_BENCH)],
        cwd=_legs.ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-2000:])
        print(f"bench/ldap_sign_in.py failed with status {done.returncode}")
        return None
    try:
        return json.loads(lines[-1]).get("ldap_sign_in_p50_ms")
    except json.JSONDecodeError:
        return None


def people_csv(count: int, seed: int = 14) -> bytes:
    """`count` people spread over the provinces, as a province's spreadsheet holds them."""
    chance = random.Random(seed)
    lines = ["Họ và tên,Email,Điện thoại,Tên đăng nhập,Vai trò,Mã đơn vị,Mã điểm cầu"]
    for n in range(count):
        province = n % PROVINCES + 1
        if chance.random() < 0.5:
            middle, given = chance.choice(MIDDLE_MEN), chance.choice(GIVEN_MEN)
        else:
            middle, given = chance.choice(MIDDLE_WOMEN), chance.choice(GIVEN_WOMEN)
        name = f"{chance.choice(FAMILY)} {middle} {given}"
        username = f"nv{n:05d}.t{province:02d}"
        email = f"{username}@t{province:02d}.gov.vn"
        phone = f"09{chance.randrange(10**8):08d}"
        pick = chance.random()
        if pick < 0.7:
            role = "Kỹ thuật viên"
            communes = chance.sample(range(1, COMMUNES + 1), chance.choice((1, 2)))
            sites = ";".join(f"X{province:02d}{c:03d}" for c in communes)
        elif pick < 0.75:
            role, sites = "Thư ký", ""
        else:
            role, sites = "Đại biểu", ""
        lines.append(f"{name},{email},{phone},{username},{role},VPUB-T{province:02d},{sites}")
    return ("\n".join(lines) + "\n").encode()


def build_world():
    """TW, the provinces and their communes (bulk inserts), the offices and the importer."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.roles import Role
    from conferencing.models import Endpoint, Level, Office, path_for

    centre = Endpoint.objects.create(code="TW", name="Trung ương", level=Level.CENTRAL)
    provinces = Endpoint.objects.bulk_create(
        Endpoint(
            code=f"T{p:02d}",
            name=f"Tỉnh {p:02d}",
            level=Level.PROVINCE,
            parent=centre,
            path=path_for(f"T{p:02d}", centre.path),
        )
        for p in range(1, PROVINCES + 1)
    )
    if any(province.pk is None for province in provinces):
        provinces = list(Endpoint.objects.filter(level=Level.PROVINCE).order_by("code"))
    Endpoint.objects.bulk_create(
        Endpoint(
            code=f"X{p:02d}{c:03d}",
            name=f"Xã {c:03d} tỉnh {p:02d}",
            level=Level.COMMUNE,
            parent=province,
            path=path_for(f"X{p:02d}{c:03d}", province.path),
        )
        for p, province in enumerate(provinces, start=1)
        for c in range(1, COMMUNES + 1)
    )
    government = Office.objects.create(code="VPCP", name="Văn phòng Chính phủ", jurisdiction=centre)
    Office.objects.bulk_create(
        Office(code=f"VPUB-{province.code}", name=f"VP UBND {province.name}", jurisdiction=province)
        for province in provinces
    )
    importer = get_user_model().objects.create_user("vpcp.thuky", "thuky@chinhphu.vn")
    importer.groups.add(Group.objects.get_or_create(name=Role.SECRETARIAT.value)[0])
    government.members.add(importer)
    return importer, government


def run_leg(count: int) -> dict:
    """In the child: migrate the empty database, build the world, import twice, check."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from conferencing.models import Endpoint, Office
    from people.people_import import import_people, scope_for

    call_command("migrate", verbosity=0)
    importer, government = build_world()
    data = people_csv(count)

    def run():
        # The scope is read at every run, as the worker reads it for each job.
        fresh = get_user_model().objects.get(pk=importer.pk)
        return import_people(data, actor=fresh, scope=scope_for(fresh, government))

    first, first_s, first_queries = measured(run, connection)
    again, again_s, again_queries = measured(run, connection)
    assert first.created == count and not first.errors, first.errors[:5]
    assert again.unchanged == count and again.created == again.updated == 0, again
    return {
        "import_s": round(first_s, 3),
        "reimport_s": round(again_s, 3),
        "queries_import": first_queries,
        "queries_reimport": again_queries,
        "people": get_user_model().objects.count() - 1,
        "sites": Endpoint.objects.count(),
        "offices": Office.objects.count(),
        "vendor": connection.vendor,
    }


def measured[T](action: Callable[[], T], connection) -> tuple[T, float, int]:
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - started
    return result, elapsed, queries


if __name__ == "__main__":
    sys.exit(main())
