"""Every account has its person, whose full name is shown as written."""

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template

from accounts.models import Person
from accounts.names import full_name
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_account_gets_its_person_with_the_family_name_first():
    user = get_user_model().objects.create_user("lan", first_name="Lan", last_name="Nguyễn Thị")

    assert Person.objects.get(user=user).full_name == "Nguyễn Thị Lan"


def test_the_full_name_is_shown_as_written_never_reversed():
    user = UserFactory(username="lan", full_name="Nguyễn Thị Lan")

    assert full_name(user) == "Nguyễn Thị Lan"
    rendered = Template("{{ user|person_name }} · {{ user|person_initial }}").render(
        Context({"user": user})
    )
    assert rendered == "Nguyễn Thị Lan · L"


def test_without_a_name_the_username_is_shown():
    assert full_name(UserFactory(username="kythuat7")) == "kythuat7"


def test_the_search_key_follows_the_name_username_and_email():
    user = UserFactory(username="dang.hung", full_name="Đặng Văn Hùng")
    assert (
        Person.objects.get(user=user).search_key == "dang van hung dang.hung dang.hung@example.vn"
    )

    user.email = "HUNG@Tinh.gov.vn"
    user.save()

    assert Person.objects.get(user=user).search_key.endswith("hung@tinh.gov.vn")


def test_signing_in_does_not_rewrite_the_person(django_assert_num_queries):
    user = UserFactory()
    user.last_login = None
    with django_assert_num_queries(1):
        user.save(update_fields=["last_login"])
