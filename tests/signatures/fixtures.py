"""Fixtures of the signature tests, imported by the test modules that need them (the
records integration tests too): a test CA, a signer under it as a PKCS#12 file, one
under a CA nobody trusts, and a SoftHSM2 token holding the signer's key."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from tests.signatures.ca import Authority, Holder, issue_signer, make_authority

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN_LABEL = "giaoban-test"
KEY_LABEL = "office-signer"
TOKEN_PIN = "246810"


@dataclass(frozen=True)
class Token:
    module: str
    label: str
    key_label: str
    pin_file: Path


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
    """A SoftHSM2 token in a directory of this run (SOFTHSM2_CONF names its config for the
    whole run: the PKCS#11 library reads it once, when it is first loaded), holding the
    signer's key (softhsm2-util) and certificate (pkcs11-tool) under one label, and the
    CA that issued it."""
    if not SOFTHSM_MODULE.exists() or not shutil.which("pkcs11-tool"):
        pytest.fail("SoftHSM2 and OpenSC are needed: apt-get install softhsm2 opensc")
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    config = directory / "softhsm2.conf"
    config.write_text(
        f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(config)
    (directory / "key.pem").write_bytes(holder.key_pem)
    (directory / "cert.der").write_bytes(holder.certificate_der)
    (directory / "issuer.der").write_bytes(holder.chain[0].public_bytes(Encoding.DER))
    pin_file = directory / "pin"
    pin_file.write_text(TOKEN_PIN)
    key_id = ["--id", "01"]
    softhsm = ["softhsm2-util", "--token", TOKEN_LABEL, "--pin", TOKEN_PIN]
    pkcs11_tool = [
        *("pkcs11-tool", "--module", str(SOFTHSM_MODULE), "--token-label", TOKEN_LABEL),
        *("--login", "--pin", TOKEN_PIN, "--type", "cert"),
    ]
    for command in (
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            TOKEN_LABEL,
            "--so-pin",
            "13579",
            "--pin",
            TOKEN_PIN,
        ],
        [*softhsm, "--import", str(directory / "key.pem"), "--label", KEY_LABEL, *key_id],
        [
            *pkcs11_tool,
            "--write-object",
            str(directory / "cert.der"),
            "--label",
            KEY_LABEL,
            *key_id,
        ],
        [
            *pkcs11_tool,
            "--write-object",
            str(directory / "issuer.der"),
            "--label",
            "issuing-ca",
            "--id",
            "02",
        ],
    ):
        subprocess.run(command, check=True, capture_output=True, env=os.environ)
    return Token(str(SOFTHSM_MODULE), TOKEN_LABEL, KEY_LABEL, pin_file)
