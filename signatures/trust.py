"""The trust roots the deployer supplies (SIGNATURE_TRUST_ROOTS: a PEM bundle), read once
per version of the file. Without it no chain reaches a root: every signature is
"untrusted" at best."""

import functools
import logging
from pathlib import Path

from asn1crypto import pem, x509
from django.conf import settings

logger = logging.getLogger(__name__)


def trust_roots() -> list[x509.Certificate]:
    path = settings.SIGNATURE_TRUST_ROOTS
    if not path:
        return []
    try:
        version = Path(path).stat().st_mtime_ns
    except OSError as error:
        logger.error("SIGNATURE_TRUST_ROOTS: cannot read %s: %s", path, error)
        return []
    return list(_read_bundle(path, version))


@functools.lru_cache(maxsize=4)
def _read_bundle(path: str, version: int) -> tuple[x509.Certificate, ...]:
    # `version` (the file's mtime) is part of the cache key only: a replaced bundle is read again.
    roots = []
    data = Path(path).read_bytes()
    blocks = pem.unarmor(data, multiple=True) if pem.detect(data) else [("", {}, data)]
    for kind, _headers, der in blocks:
        if kind not in ("", "CERTIFICATE", "TRUSTED CERTIFICATE"):
            continue
        try:
            certificate = x509.Certificate.load(der)
            certificate.native  # parse it whole now, not halfway through a validation  # noqa: B018
        except ValueError as error:
            logger.error(
                "SIGNATURE_TRUST_ROOTS: a certificate in %s is unreadable: %s", path, error
            )
            continue
        roots.append(certificate)
    return tuple(roots)
