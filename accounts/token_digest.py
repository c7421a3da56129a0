"""The one way a secret link or token is kept: its SHA-256, never the secret itself.

The secrets are random (secrets.token_urlsafe, 32 bytes): a plain hash is enough to look
them up, and a stolen table gives nothing to sign in with. Compare digests with
hmac.compare_digest.
"""

import hashlib


def digest(secret: str) -> str:
    """Hex SHA-256 of the secret's UTF-8 (a lone surrogate from a URL cannot raise)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
