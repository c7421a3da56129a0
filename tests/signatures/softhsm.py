"""A SoftHSM2 token in a directory of its own, holding a signer's key and certificate and
the CA that issued it: the PKCS#12 signer's twin on a PKCS#11 token."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding

from tests.signatures.ca import Holder

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")


@dataclass(frozen=True)
class Token:
    module: str
    label: str
    key_label: str
    pin_file: Path


def softhsm_available() -> bool:
    return SOFTHSM_MODULE.exists() and shutil.which("pkcs11-tool") is not None


def make_token(directory: Path, holder: Holder, label: str, key_label: str, pin: str) -> Token:
    """Sets SOFTHSM2_CONF for this process: the PKCS#11 library reads it once, when it is
    first loaded, so one process has one token directory. The key goes in with
    softhsm2-util, the certificates with OpenSC's pkcs11-tool."""
    (directory / "tokens").mkdir(parents=True)
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
    pin_file.write_text(pin)
    tool = [
        *("pkcs11-tool", "--module", str(SOFTHSM_MODULE), "--token-label", label),
        *("--login", "--pin", pin, "--type", "cert"),
    ]
    commands = [
        ["softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", "13579"],
        ["softhsm2-util", "--import", str(directory / "key.pem"), "--token", label],
        [*tool, "--write-object", str(directory / "cert.der")],
        [*tool, "--write-object", str(directory / "issuer.der")],
    ]
    commands[0].extend(["--pin", pin])
    commands[1].extend(["--label", key_label, "--id", "01", "--pin", pin])
    commands[2].extend(["--label", key_label, "--id", "01"])
    commands[3].extend(["--label", "issuing-ca", "--id", "02"])
    for command in commands:
        subprocess.run(command, check=True, capture_output=True, env=os.environ)
    return Token(str(SOFTHSM_MODULE), label, key_label, pin_file)
