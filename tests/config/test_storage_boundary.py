"""Only the storage boundary (meetings/records/storage.py and storage_multipart.py)
reaches the object store: no other module imports boto3, django-storages or Django's
storages (the readiness probe asks the boundary too)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOUNDARY = {
    ROOT / "meetings" / "records" / "storage.py",
    ROOT / "meetings" / "records" / "storage_multipart.py",
}
STORE_MODULES = ("boto3", "botocore", "storages", "django.core.files.storage")
# config/settings.py builds the clients' timeouts (botocore's Config), reaching nothing.
SETTINGS_ONLY = {(ROOT / "config" / "settings.py", "botocore.config")}


def store_imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return [
        name
        for name in names
        if name.startswith(STORE_MODULES) and (path, name) not in SETTINGS_ONLY
    ]


def test_only_the_boundary_imports_the_store_clients():
    offenders = {
        str(path.relative_to(ROOT)): found
        for top in ("accounts", "audit", "conferencing", "config", "meetings")
        for path in (ROOT / top).rglob("*.py")
        if path not in BOUNDARY and "migrations" not in path.parts
        if (found := store_imports(path))
    }
    assert offenders == {}
