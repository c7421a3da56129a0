"""The trust roots the deployer supplies (SIGNATURE_TRUST_ROOTS: a PEM bundle), read once
per version of the file. Without it no chain reaches a root: every signature is
"untrusted" at best.

A report stores the fingerprint of the roots it was checked against (`fingerprint`):
when the deployer changes the bundle, a verdict that depended on the old roots is known
to be stale (signatures.report.SignatureReport.is_stale)."""

import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem, x509
from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrustBundle:
    roots: tuple[x509.Certificate, ...]
    # sha256 over the sorted DER of the roots: the same set of roots in another order or
    # with other PEM headers and comments is the same fingerprint.
    fingerprint: str


NO_ROOTS = TrustBundle((), hashlib.sha256().hexdigest())


def trust_bundle() -> TrustBundle:
    """The roots and their fingerprint, read together so that they always match."""
    path = settings.SIGNATURE_TRUST_ROOTS
    if not path:
        return NO_ROOTS
    try:
        version = Path(path).stat().st_mtime_ns
    except OSError as error:
        logger.error("SIGNATURE_TRUST_ROOTS: cannot read %s: %s", path, error)
        return NO_ROOTS
    return _read_bundle(path, version)


def trust_roots() -> list[x509.Certificate]:
    return list(trust_bundle().roots)


def fingerprint() -> str:
    """The fingerprint of the roots configured now."""
    return trust_bundle().fingerprint


def fingerprint_of(roots: tuple[x509.Certificate, ...] | list[x509.Certificate]) -> str:
    digest = hashlib.sha256()
    for der in sorted(root.dump() for root in roots):
        digest.update(der)
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _read_bundle(path: str, version: int) -> TrustBundle:
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
    return TrustBundle(tuple(roots), fingerprint_of(roots))
