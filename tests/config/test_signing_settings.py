"""The signer and the trust roots come from the environment (README: Signing documents):
secrets from files, one signer at most, a PKCS#11 signer with its labels, paths that
exist; a bad value stops start-up naming the variable."""

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SIGNING_PKCS12_FILE, s.SIGNING_PKCS12_PASSWORD, s.SIGNING_PKCS11_PIN, "
    "s.SIGNATURE_TRUST_ROOTS, sep='|')"
)


def settings_with(environment: dict[str, str], var_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "VAR_DIR": str(var_dir),
            **environment,
        },
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_pkcs12_signer_with_password_file(tmp_path):
    (tmp_path / "office.p12").write_bytes(b"pkcs12")
    (tmp_path / "password").write_text("mật khẩu\n")
    (tmp_path / "roots.pem").write_text("roots")

    completed = settings_with(
        {
            "SIGNING_PKCS12_FILE": str(tmp_path / "office.p12"),
            "SIGNING_PKCS12_PASSWORD_FILE": str(tmp_path / "password"),
            "SIGNATURE_TRUST_ROOTS": str(tmp_path / "roots.pem"),
        },
        tmp_path,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == (
        f"{tmp_path / 'office.p12'}|mật khẩu||{tmp_path / 'roots.pem'}"
    )


def test_two_signers_refused(tmp_path):
    (tmp_path / "office.p12").write_bytes(b"pkcs12")
    (tmp_path / "module.so").write_bytes(b"")

    completed = settings_with(
        {
            "SIGNING_PKCS12_FILE": str(tmp_path / "office.p12"),
            "SIGNING_PKCS11_MODULE": str(tmp_path / "module.so"),
        },
        tmp_path,
    )

    assert completed.returncode != 0
    assert "SIGNING_PKCS12_FILE and SIGNING_PKCS11_MODULE: set one signer" in completed.stderr


def test_pkcs11_signer_needs_its_labels(tmp_path):
    (tmp_path / "module.so").write_bytes(b"")

    completed = settings_with(
        {"SIGNING_PKCS11_MODULE": str(tmp_path / "module.so"), "SIGNING_PKCS11_KEY_LABEL": "k"},
        tmp_path,
    )

    assert completed.returncode != 0
    assert "SIGNING_PKCS11_TOKEN_LABEL: required with SIGNING_PKCS11_MODULE" in completed.stderr


def test_missing_files_named(tmp_path):
    completed = settings_with({"SIGNATURE_TRUST_ROOTS": str(tmp_path / "none.pem")}, tmp_path)

    assert completed.returncode != 0
    assert "SIGNATURE_TRUST_ROOTS: no file at" in completed.stderr


def test_unreadable_pin_file_named(tmp_path):
    completed = settings_with({"SIGNING_PKCS11_PIN_FILE": str(tmp_path / "none")}, tmp_path)

    assert completed.returncode != 0
    assert "SIGNING_PKCS11_PIN_FILE: cannot read" in completed.stderr
