"""What the idempotency tests share."""

from httpapi.models import IdempotencyRecord


def error_code(response) -> str:
    """The stable code of an API error, whichever way the body carries it."""
    body = response.json()
    return body.get("code") or response.data["detail"].code


def keys() -> list[tuple[str, int | None]]:
    return list(IdempotencyRecord.objects.values_list("key", "status_code"))
