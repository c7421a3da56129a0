"""Fixtures of the signature tests, imported by the test modules that need them (the
records integration tests too): a test CA, a signer under it as a PKCS#12 file, one
under a CA nobody trusts, and a SoftHSM2 token holding the signer's key."""

import pytest

from tests.signatures.ca import Authority, Holder, issue_signer, make_authority
from tests.signatures.softhsm import Token, make_token, softhsm_available

TOKEN_LABEL = "giaoban-test"
KEY_LABEL = "office-signer"
TOKEN_PIN = "246810"


@pytest.fixture(scope="session")
def authority(tmp_path_factory) -> Authority:
    return make_authority(tmp_path_factory.mktemp("trusted-ca"))


@pytest.fixture(scope="session")
def holder(authority, tmp_path_factory) -> Holder:
    return issue_signer(authority, tmp_path_factory.mktemp("trusted-signer"))


@pytest.fixture(scope="session")
def stranger(tmp_path_factory) -> Holder:
    """A signer whose CA is not among the configured trust roots."""
    directory = tmp_path_factory.mktemp("stranger")
    return issue_signer(
        make_authority(directory / "ca", name="Unknown CA"),
        directory / "signer",
        common_name="Trần Thị B",
        organisation="Công ty Lạ",
    )


def use_pkcs12(settings, signer: Holder) -> None:
    settings.SIGNING_PKCS11_MODULE = ""
    settings.SIGNING_PKCS12_FILE = str(signer.pkcs12_file)
    settings.SIGNING_PKCS12_PASSWORD = signer.password


@pytest.fixture
def trusted(settings, authority) -> Authority:
    """SIGNATURE_TRUST_ROOTS names the test CA's root."""
    settings.SIGNATURE_TRUST_ROOTS = str(authority.roots_file)
    return authority


@pytest.fixture
def signing(settings, holder, trusted) -> Holder:
    """The office signs with the test CA's signer (PKCS#12); its root is trusted."""
    use_pkcs12(settings, holder)
    return holder


@pytest.fixture(scope="session")
def softhsm_token(holder, tmp_path_factory) -> Token:
    """A SoftHSM2 token of this run (tests/signatures/softhsm.py) with the signer's key."""
    if not softhsm_available():
        pytest.fail("SoftHSM2 and OpenSC are needed: apt-get install softhsm2 opensc")
    return make_token(tmp_path_factory.mktemp("softhsm"), holder, TOKEN_LABEL, KEY_LABEL, TOKEN_PIN)
