import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from tests.factories import DEMO_PASSWORD, UserFactory


@pytest.fixture
def english(client):
    """Text assertions below are on the English msgids, whatever the .po files say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def nav_links(response) -> list[str]:
    """The hrefs of the main navigation, in order."""
    html = response.content.decode()
    nav = html[html.index('<nav class="main-nav"') : html.index("</nav>", html.index("main-nav"))]
    return [part.split('"', 1)[0] for part in nav.split('href="')[1:]]


def test_home_anonymous_redirects_to_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_home_secretariat_sees_sites_and_import(client_as, alice):
    response = client_as(alice).get(reverse("home"))

    assert response.status_code == 200
    assert nav_links(response) == [
        "/",
        "/meetings/",
        "/calendar/",
        "/meetings/new/",
        "/endpoints/",
        "/endpoints/import/",
        "/bridges/",
        "/documents/templates/invitation/",
        "/offices/",
        "/working-days/",
        "/people/",
        "/tasks/",
        "/audit/",
    ]
    assert response.context["user_roles"] == ["Thư ký"]


def test_home_technician_sees_sessions_console_and_sites(client_as, bob):
    response = client_as(bob).get(reverse("home"))

    assert response.status_code == 200
    assert nav_links(response) == [
        "/",
        "/meetings/",
        "/meetings/console/",
        "/calendar/",
        "/endpoints/",
    ]
    assert b"/endpoints/import/" not in response.content


def test_home_attendee_sees_sessions_and_sites(client_as, carol):
    response = client_as(carol).get(reverse("home"))

    assert response.status_code == 200
    assert nav_links(response) == ["/", "/meetings/", "/calendar/", "/endpoints/"]
    assert b"/endpoints/import/" not in response.content


def test_home_without_role_shows_no_entry_points(client_as, mallory, english):
    response = client_as(mallory).get(reverse("home"))

    assert response.status_code == 200
    assert nav_links(response) == ["/"]
    assert b"Your account has no role yet." in response.content


def test_home_staff_sees_administration_link(client_as, db):
    staff = UserFactory(username="sam", is_staff=True, roles=[Role.ATTENDEE])

    response = client_as(staff).get(reverse("home"))

    assert nav_links(response) == ["/", "/meetings/", "/calendar/", "/endpoints/", "/admin/"]


def test_home_greets_user_by_name(client_as, alice, english):
    response = client_as(alice).get(reverse("home"))

    assert b"Hello, Alice" in response.content


def test_login_page_has_standard_fields_and_submit(client, db):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_username"' in html
    assert 'id="id_password"' in html
    assert 'id="login-submit"' in html


def test_login_with_valid_credentials_redirects_home(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_with_wrong_password_shows_error(client, alice, english):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == [
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    ]
    assert "_auth_user_id" not in client.session


def test_logout_get_is_refused(client_as, alice):
    client = client_as(alice)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_logout_post_signs_out_and_goes_to_login(client_as, alice):
    client = client_as(alice)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_page_has_post_logout_form_and_user_menu(client_as, alice, english):
    response = client_as(alice).get(reverse("home"))

    html = response.content.decode()
    assert '<form method="post" action="/logout/">' in html
    assert 'href="/password/"' in html
    assert "Secretariat" in html


def test_password_change_anonymous_redirects_to_login(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/password/"


def test_password_change_changes_password(client_as, carol):
    client = client_as(carol)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "a-much-longer-passphrase-7",
            "new_password2": "a-much-longer-passphrase-7",
        },
    )

    carol.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/password/done/"
    assert carol.check_password("a-much-longer-passphrase-7") is True


def test_password_change_done_renders(client_as, carol, english):
    response = client_as(carol).get(reverse("password_change_done"))

    assert response.status_code == 200
    assert b"Your password was changed." in response.content


def test_language_default_is_vietnamese(client, db):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert '<option value="vi" lang="vi" selected>' in html


def test_language_switch_to_english_renders_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    page = client.get(reverse("login"))

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert '<html lang="en">' in page.content.decode()
    assert "<h1>Log in</h1>" in page.content.decode()


def test_language_switcher_form_works_without_script(client, db):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert '<form class="language-form" method="post" action="/i18n/setlang/">' in html
    assert '<select name="language" id="language-select">' in html
    assert 'id="language-submit"' in html


def test_login_page_in_vietnamese_by_default(client, db):
    response = client.get(reverse("login"))

    assert "<h1>Đăng nhập</h1>" in response.content.decode()


def test_pages_load_only_local_stylesheet_and_no_inline_style(client_as, alice):
    response = client_as(alice).get(reverse("home"))

    html = response.content.decode()
    assert '<link rel="stylesheet" href="/static/css/app.css">' in html
    assert "style=" not in html
    assert "<style" not in html
