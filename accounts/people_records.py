"""Every account has its Person row: made with the account, its search key kept current."""

from typing import Any

from accounts.models import Person


def name_from_parts(first_name: str, last_name: str) -> str:
    """Django's two name fields joined the Vietnamese way: family name ("last") first."""
    return " ".join(part for part in [last_name.strip(), first_name.strip()] if part)


def keep_person(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """Receiver of the user model's post_save."""
    if raw:
        return
    if created:
        Person.objects.get_or_create(
            user=instance,
            defaults={"full_name": name_from_parts(instance.first_name, instance.last_name)},
        )
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"username", "email"} & set(update_fields):
        return  # last_login at every sign-in, is_active, password: the key is unchanged
    person = Person.objects.filter(user=instance).first()
    if person is None:
        Person.objects.create(
            user=instance, full_name=name_from_parts(instance.first_name, instance.last_name)
        )
    else:
        person.user = instance
        person.save(update_fields=["search_key"])
