import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import Role
from conferencing.models import Bridge, Endpoint, Level

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
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs) -> None:
        if create and extracted:
            # get_or_create: a transactional test's flush removes the migration-made groups.
            self.groups.add(
                *(Group.objects.get_or_create(name=role.value)[0] for role in extracted)
            )
        if create:
            self.save()


class EndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endpoint
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"EP{n:04d}")
    name = factory.LazyAttribute(lambda endpoint: f"Điểm cầu {endpoint.code}")
    level = Level.PROVINCE
    parent = None


class BridgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bridge
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"MCU {n}")
    dial_in = factory.Sequence(lambda n: f"sip:mcu{n}@vc.example.vn")
    port_capacity = 40
