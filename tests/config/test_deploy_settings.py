"""`manage.py check --deploy` is clean with the production variables of README: Production."""

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k9#Qv2!xR7mZp4@Lw8$Tn6^Hc3&Jd5*Fg1(Bs0)Ya-Ue+Io=Pr;Ku:Nl,Vm.Wq",
    "ALLOWED_HOSTS": "giaoban.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://giaoban.example.gov.vn",
    "BEHIND_PROXY": "true",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SMTP_HOST": "smtp.example.gov.vn",
    "LOG_LEVEL": "WARNING",
}


def check_deploy(environment: dict[str, str], var_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": str(var_dir),
            **environment,
        },
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_variables_reports_no_issue(tmp_path):
    completed = check_deploy(PRODUCTION, tmp_path)

    assert completed.stderr == ""
    assert completed.stdout == "System check identified no issues (0 silenced).\n"
    assert completed.returncode == 0


def test_check_deploy_without_https_variables_names_what_is_missing(tmp_path):
    environment = {
        name: value
        for name, value in PRODUCTION.items()
        if name not in {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    }

    completed = check_deploy(environment, tmp_path)

    assert completed.returncode == 1
    assert "security.W004" in completed.stderr
    assert "security.W008" in completed.stderr
