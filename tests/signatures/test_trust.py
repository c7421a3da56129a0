"""The fingerprint of the configured trust roots: what a stored report was checked
against, so that a verdict reached against replaced roots is known to be stale."""

from cryptography.hazmat.primitives import serialization

from signatures import trust
from signatures.report import INVALID, MODIFIED, UNSIGNED, UNTRUSTED, VALID, SignatureReport


def pem(*certificates) -> bytes:
    return b"".join(
        certificate.public_bytes(serialization.Encoding.PEM) for certificate in certificates
    )


def test_the_fingerprint_is_the_same_for_the_same_roots_in_any_order(
    settings, tmp_path, authority, stranger
):
    other_ca = stranger.chain[0]
    one, other = tmp_path / "one.pem", tmp_path / "other.pem"
    one.write_bytes(b"# the national root\n" + pem(authority.certificate, other_ca))
    other.write_bytes(pem(other_ca, authority.certificate))

    settings.SIGNATURE_TRUST_ROOTS = str(one)
    first = trust.fingerprint()
    settings.SIGNATURE_TRUST_ROOTS = str(other)

    assert trust.fingerprint() == first


def test_the_fingerprint_changes_with_the_roots(settings, tmp_path, authority, stranger):
    settings.SIGNATURE_TRUST_ROOTS = str(authority.roots_file)
    before = trust.fingerprint()
    replaced = tmp_path / "roots.pem"
    replaced.write_bytes(pem(stranger.chain[0]))

    settings.SIGNATURE_TRUST_ROOTS = str(replaced)
    after = trust.fingerprint()
    settings.SIGNATURE_TRUST_ROOTS = ""

    assert len({before, after, trust.fingerprint()}) == 3


def test_only_a_verdict_that_turns_on_the_roots_is_stale():
    old, new = "0" * 64, "1" * 64

    stale = {
        status: SignatureReport(status=status, reason=reason, trust_roots=old).is_stale(new)
        for status, reason in ((VALID, ""), (UNTRUSTED, ""), (INVALID, MODIFIED), (UNSIGNED, ""))
    }

    assert stale == {VALID: True, UNTRUSTED: True, INVALID: False, UNSIGNED: False}
    assert SignatureReport(status=VALID, trust_roots=old).is_stale(old) is False
