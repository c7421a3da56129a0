import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from accounts.roles import Role, roles_of
from conferencing.jurisdiction import offices_of, usable_bridges
from conferencing.models import Bridge, Endpoint, Level, Office
from conferencing.site_selection import SiteSelection
from meetings.booking import BookingError, book
from meetings.demo_data import DEMO_USERS
from tests.factories import BookingRequestFactory


def sign_in(username: str, password: str):
    """Authenticate as the login page does: the sign-in lockout needs the request."""
    return authenticate(RequestFactory().post("/login/"), username=username, password=password)


def served_codes(username: str) -> list[str]:
    return sorted(
        Endpoint.objects.filter(technicians__username=username).values_list("code", flat=True)
    )


def test_seed_demo_builds_the_national_tree_offices_bridges_and_users_of_every_role(db, capsys):
    call_command("seed_demo")

    assert Endpoint.objects.count() == 3356
    assert Endpoint.objects.at_level(Level.PROVINCE).count() == 34
    assert Office.objects.count() == 3
    assert Bridge.objects.count() == 4
    for demo in DEMO_USERS:
        user = sign_in(demo.username, demo.password)
        assert user is not None
        assert roles_of(user) == ({demo.role} if demo.role else set())
    out = capsys.readouterr().out
    assert "thuky / thuky-demo-2026" in out
    assert "thuky.hanoi / thuky-hanoi-2026" in out


def test_seed_demo_gives_each_office_its_jurisdiction_and_its_secretariat(db):
    call_command("seed_demo")

    offices = Office.objects.order_by("code")
    assert [(o.code, o.name, o.jurisdiction.code) for o in offices] == [
        ("VPCP", "Văn phòng Chính phủ", "TW"),
        ("VPUB-HN", "Văn phòng UBND Thành phố Hà Nội", "T01"),
        ("VPUB-LC", "Văn phòng UBND tỉnh Lào Cai", "T15"),
    ]
    assert Endpoint.objects.get(code="T01").name == "Thành phố Hà Nội"
    assert Endpoint.objects.get(code="T15").name == "Tỉnh Lào Cai"
    members = {o.code: sorted(o.members.values_list("username", flat=True)) for o in offices}
    assert members == {
        "VPCP": ["thuky", "thuky.kiemnhiem"],
        "VPUB-HN": ["thuky.hanoi", "thuky.kiemnhiem"],
        "VPUB-LC": ["thuky.laocai"],
    }


def test_seed_demo_member_of_two_offices_acts_for_the_central_one_by_default(db):
    call_command("seed_demo")

    both = sign_in("thuky.kiemnhiem", "thuky-kiemnhiem-2026")

    assert [office.code for office in offices_of(both)] == ["VPCP", "VPUB-HN"]


def test_seed_demo_shares_the_national_bridge_with_both_provinces_only(db):
    call_command("seed_demo")

    def usable(code: str) -> list[str]:
        office = Office.objects.get(code=code)
        return sorted(usable_bridges(office).values_list("name", flat=True))

    assert usable("VPCP") == ["MCU Dự phòng", "MCU Quốc gia"]
    assert usable("VPUB-HN") == ["MCU Hà Nội", "MCU Quốc gia"]
    assert usable("VPUB-LC") == ["MCU Lào Cai", "MCU Quốc gia"]


def test_seed_demo_assigns_technicians_to_communes_of_each_province(db):
    call_command("seed_demo")

    hanoi, laocai = Endpoint.objects.get(code="T01"), Endpoint.objects.get(code="T15")
    central = served_codes("kythuat")
    assert central[:2] == ["T01", "TW"]
    assert len(central) == 5
    assert Endpoint.objects.filter(code__in=central).within(hanoi).count() == 4
    hanoi_communes = Endpoint.objects.filter(code__in=served_codes("kythuat.hanoi"))
    assert hanoi_communes.count() == 3
    assert hanoi_communes.within(hanoi, include_self=False).count() == 3
    assert not set(central) & set(served_codes("kythuat.hanoi"))
    mountain = Endpoint.objects.filter(code__in=served_codes("kythuat.laocai"))
    assert mountain.count() == 4
    assert mountain.within(laocai).count() == 4


def test_seed_demo_offices_book_their_own_level_only(db):
    call_command("seed_demo")
    national = Bridge.objects.get(name="MCU Quốc gia")

    hanoi_session = book(
        BookingRequestFactory(
            bridge_id=national.pk, sites=SiteSelection(subtrees=("T01",)), host_code="T01"
        ),
        get_user_model().objects.get(username="thuky.hanoi"),
    )
    with pytest.raises(BookingError) as refused:
        book(
            BookingRequestFactory(
                bridge_id=Bridge.objects.get(name="MCU Lào Cai").pk,
                sites=SiteSelection(sites=("T01",)),
                host_code="T01",
            ),
            get_user_model().objects.get(username="thuky.laocai"),
        )

    assert hanoi_session.owner_office.code == "VPUB-HN"
    assert (
        hanoi_session.conference.legs.count()
        == 1 + Endpoint.objects.get(code="T01").children.count()
    )
    assert refused.value.field == "host"


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo")
    before = list(Endpoint.objects.values_list("code", "path", "updated_at"))
    shares = list(Bridge.shared_with.through.objects.values_list("bridge_id", "office_id"))

    call_command("seed_demo")

    assert list(Endpoint.objects.values_list("code", "path", "updated_at")) == before
    assert Bridge.objects.count() == 4
    assert Office.objects.count() == 3
    assert list(Bridge.shared_with.through.objects.values_list("bridge_id", "office_id")) == shares


def test_seed_demo_keeps_a_demo_password_the_user_changed(db):
    call_command("seed_demo")
    secretary = sign_in("thuky", "thuky-demo-2026")
    secretary.set_password("a-new-secret-2026")
    secretary.save()

    call_command("seed_demo")

    assert sign_in("thuky", "a-new-secret-2026") is not None
    assert Role.SECRETARIAT in roles_of(sign_in("thuky", "a-new-secret-2026"))
