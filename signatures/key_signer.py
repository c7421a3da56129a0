"""A pyHanko signer for a key held in memory, loaded once from a PKCS#12 file.

pyHanko's SimpleSigner keeps the key as DER and parses it again for every signature
(twice, with its size estimate): with cryptography's RSA key checks that was most of a
signature's time (~0.2 s each on a busy machine). This signer implements pyHanko's
public `Signer.async_sign_raw` over a `cryptography` key object parsed once, and answers
the size estimate (`dry_run`) without signing.
"""

from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from pyhanko.sign.signers import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class KeySigner(Signer):
    def __init__(
        self,
        key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
        certificate: asn1_x509.Certificate,
        chain: list[asn1_x509.Certificate],
    ) -> None:
        registry = SimpleCertificateStore()
        registry.register_multiple([certificate, *chain])
        super().__init__(signing_cert=certificate, cert_registry=registry)
        self.key = key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:
            return bytes(self._size())
        digest = HASHES[digest_algorithm]()
        if isinstance(self.key, rsa.RSAPrivateKey):
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo == "rsassa_pss":
                pss = padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
                return self.key.sign(data, pss, digest)
            return self.key.sign(data, padding.PKCS1v15(), digest)
        return self.key.sign(data, ec.ECDSA(digest))

    def _size(self) -> int:
        if isinstance(self.key, rsa.RSAPrivateKey):
            return (self.key.key_size + 7) // 8
        # A DER ECDSA signature: two integers of the curve's size, with their headers.
        return 2 * ((self.key.curve.key_size + 7) // 8) + 9


def load_pkcs12(path: Path, password: str) -> KeySigner | None:
    """The signer of a PKCS#12 file; None when the password or the file is wrong, or its
    key is neither RSA nor EC."""
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(
            path.read_bytes(), password.encode() if password else None
        )
    except ValueError:
        return None
    if certificate is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        return None
    return KeySigner(key, _asn1(certificate), [_asn1(other) for other in others])


def _asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
