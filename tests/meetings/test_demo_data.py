from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from accounts.roles import Role, roles_of
from conferencing.models import Bridge, Endpoint, Level
from meetings.demo_data import DEMO_USERS


def sign_in(username: str, password: str):
    """Authenticate as the login page does: the sign-in lockout needs the request."""
    return authenticate(RequestFactory().post("/login/"), username=username, password=password)


def test_seed_demo_builds_the_national_tree_bridges_and_one_user_per_role(db, capsys):
    call_command("seed_demo")

    assert Endpoint.objects.count() == 3356
    assert Endpoint.objects.at_level(Level.PROVINCE).count() == 34
    assert Bridge.objects.count() == 2
    for demo in DEMO_USERS:
        user = sign_in(demo.username, demo.password)
        assert user is not None
        assert roles_of(user) == ({demo.role} if demo.role else set())
    assert "thuky / thuky-demo-2026" in capsys.readouterr().out


def test_seed_demo_assigns_the_technician_to_a_handful_of_sites(db):
    call_command("seed_demo")

    sites = Endpoint.objects.filter(technicians__username="kythuat")
    assert sorted(sites.values_list("code", flat=True))[:2] == ["T01", "TW"]
    assert sites.count() == 5
    hanoi = Endpoint.objects.get(code="T01")
    assert sites.within(hanoi).count() == 4


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo")
    before = list(Endpoint.objects.values_list("code", "path", "updated_at"))

    call_command("seed_demo")

    assert list(Endpoint.objects.values_list("code", "path", "updated_at")) == before
    assert Bridge.objects.count() == 2


def test_seed_demo_keeps_a_demo_password_the_user_changed(db):
    call_command("seed_demo")
    secretary = sign_in("thuky", "thuky-demo-2026")
    secretary.set_password("a-new-secret-2026")
    secretary.save()

    call_command("seed_demo")

    assert sign_in("thuky", "a-new-secret-2026") is not None
    assert Role.SECRETARIAT in roles_of(sign_in("thuky", "a-new-secret-2026"))
