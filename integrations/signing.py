"""Standard Webhooks signatures (https://www.standardwebhooks.com/, "Signature scheme").

A secret is "whsec_" followed by the base64 of 32 random bytes; the signature of one
attempt is `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` keyed with the
decoded bytes. Written here rather than taken from the `standardwebhooks` package,
which would bring httpx and three more packages for these few lines; tests hold it to
the specification's published example.
"""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def key_of(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header of one attempt."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver checks (tests, the README's snippet): one of the space-separated
    signatures matches. The receiver also refuses a timestamp far from its clock."""
    expected = signature(secret, headers["webhook-id"], int(headers["webhook-timestamp"]), body)
    return any(
        hmac.compare_digest(expected, given) for given in headers["webhook-signature"].split()
    )
