"""Every variable the configuration reads is documented in the README, and no module
repeats a setting's default (`getattr(settings, NAME, default)`): defaults live in
config/settings.py only."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The environment's readers: config/settings.py and its helpers, bin/s3-create-bucket.
READER_CALL = re.compile(r"env_(?:str|secret|bool|int|list|url)\(\s*f?\"([A-Z0-9_]+)")
# bin/run's own variables: ${NAME:-default} or ${NAME:-}.
SHELL_DEFAULT = re.compile(r"\$\{([A-Z0-9_]+):-")
SETTINGS_GETATTR = re.compile(r"getattr\(\s*settings\s*,")


def read_variables() -> set[str]:
    names: set[str] = set()
    for path in [*(ROOT / "config").glob("*.py"), ROOT / "bin" / "s3-create-bucket"]:
        names.update(READER_CALL.findall(path.read_text(encoding="utf-8")))
    names.update(SHELL_DEFAULT.findall((ROOT / "bin" / "run").read_text(encoding="utf-8")))
    return names


def test_every_variable_read_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    variables = read_variables()
    assert "SECRET_KEY" in variables and "S3_WAIT_SECONDS" in variables
    # RECORDS_RETENTION_DAYS_{kind} is read through an f-string: its prefix is documented.
    missing = sorted(name for name in variables if name not in readme)
    assert missing == []


def test_no_module_repeats_a_settings_default():
    offenders = [
        str(path.relative_to(ROOT))
        for top in (
            "accounts",
            "audit",
            "conferencing",
            "config",
            "integrations",
            "meetings",
            "signatures",
        )
        for path in (ROOT / top).rglob("*.py")
        if SETTINGS_GETATTR.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
