"""The office's signer, as the environment configures it (README: Signing documents):
a PKCS#12 file and its password, or a key on a PKCS#11 token (USB token, HSM).

The PKCS#12 signer is loaded once per file version (decrypting the key takes ~0.15 s);
a PKCS#11 session is opened for each signature and closed after, so a token pulled out
and put back, or a PIN changed, takes effect at the next signature.
"""

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko.sign.signers import Signer, SimpleSigner


class SigningError(Exception):
    """Signing could not be done; `message` is translated, for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def configured() -> bool:
    return bool(settings.SIGNING_PKCS12_FILE or settings.SIGNING_PKCS11_MODULE)


@contextlib.contextmanager
def open_signer() -> Iterator[Signer]:
    """The configured signer, for the time of one signature. SigningError when none is
    configured or it cannot be opened (a wrong password or PIN, a missing token)."""
    if settings.SIGNING_PKCS11_MODULE:
        with _pkcs11_signer() as signer:
            yield signer
    elif settings.SIGNING_PKCS12_FILE:
        path = Path(settings.SIGNING_PKCS12_FILE)
        try:
            version = path.stat().st_mtime_ns
        except OSError as error:
            raise SigningError(_("The signing certificate file cannot be read.")) from error
        yield _pkcs12_signer(str(path), version, settings.SIGNING_PKCS12_PASSWORD)
    else:
        raise SigningError(_("No signing certificate is configured."))


@functools.lru_cache(maxsize=4)
def _pkcs12_signer(path: str, version: int, password: str) -> SimpleSigner:
    # `version` (the file's mtime) is part of the cache key only: a replaced file is read again.
    signer = SimpleSigner.load_pkcs12(path, passphrase=password.encode() if password else None)
    if signer is None:  # pyHanko logs why and answers None (a wrong password, a bad file)
        raise SigningError(_("The signing certificate file or its password is wrong."))
    return signer


@contextlib.contextmanager
def _pkcs11_signer() -> Iterator[Signer]:
    try:
        session = open_pkcs11_session(
            settings.SIGNING_PKCS11_MODULE,
            token_criteria=TokenCriteria(label=settings.SIGNING_PKCS11_TOKEN_LABEL),
            user_pin=settings.SIGNING_PKCS11_PIN or None,
        )
    except Exception as error:  # python-pkcs11 raises a family of its own per cause
        raise SigningError(
            _("The signing token cannot be opened: %(error)s") % {"error": type(error).__name__}
        ) from error
    try:
        yield PKCS11Signer(
            session,
            key_label=settings.SIGNING_PKCS11_KEY_LABEL,
            cert_label=settings.SIGNING_PKCS11_KEY_LABEL,
            # Every certificate on the token: the issuing CAs a token carries beside the
            # signer's go into the signature, so a verifier can build the chain.
            other_certs_to_pull=None,
        )
    finally:
        session.close()
