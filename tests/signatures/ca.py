"""A test certificate authority made with `cryptography`: a root, an intermediate and
signers under it, written as the files a deployer would give (PEM roots, PKCS#12)."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

ORGANISATION = "Văn phòng Chính phủ"


@dataclass(frozen=True)
class Authority:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    roots_file: Path  # the PEM bundle a deployer would name in SIGNATURE_TRUST_ROOTS


@dataclass(frozen=True)
class Holder:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    chain: list[x509.Certificate]
    pkcs12_file: Path
    password: str

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    *,
    authority: bool,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    usage = dict.fromkeys(
        [
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ],
        False,
    )
    usage.update(
        {"key_cert_sign": True, "crl_sign": True}
        if authority
        else {"digital_signature": True, "content_commitment": True}
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )


def make_authority(directory: Path, name: str = "Giao Ban Test Root CA") -> Authority:
    directory.mkdir(parents=True, exist_ok=True)
    key = _key()
    subject = _name(name, ORGANISATION)
    certificate = _certificate(subject, key, subject, key, authority=True)
    roots_file = directory / "roots.pem"
    roots_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return Authority(certificate, key, roots_file)


def issue_signer(
    authority: Authority,
    directory: Path,
    common_name: str = "Nguyễn Văn A",
    organisation: str = ORGANISATION,
    password: str = "mật-khẩu-thử",
) -> Holder:
    """A signer certified by an intermediate of `authority`, its PKCS#12 file (key,
    certificate, intermediate) protected by `password`."""
    directory.mkdir(parents=True, exist_ok=True)
    intermediate_key = _key()
    intermediate = _certificate(
        _name("Giao Ban Test Signing CA", ORGANISATION),
        intermediate_key,
        authority.certificate.subject,
        authority.key,
        authority=True,
    )
    key = _key()
    certificate = _certificate(
        _name(common_name, organisation),
        key,
        intermediate.subject,
        intermediate_key,
        authority=False,
    )
    pkcs12_file = directory / "signer.p12"
    pkcs12_file.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer",
            key,
            certificate,
            [intermediate],
            serialization.BestAvailableEncryption(password.encode()),
        )
    )
    return Holder(certificate, key, [intermediate], pkcs12_file, password)
