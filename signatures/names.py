"""The names a certificate gives its holder, as people read them."""

from asn1crypto import x509


def subject_names(certificate: x509.Certificate | None) -> tuple[str, str]:
    """(common name, organisation) of the certificate's subject; "" for what it lacks."""
    if certificate is None:
        return "", ""
    subject = certificate.subject.native
    return _one(subject.get("common_name")), _one(subject.get("organization_name"))


def _one(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value or "")
