"""Fixtures of the record upload pages (recordings and documents)."""

from collections.abc import Iterator

import pytest

from accounts.roles import Role
from tests.factories import UserFactory
from tests.fixtures.browser import daphne_on_test_database, serving


@pytest.fixture(scope="module")
def s3_daphne(django_db_setup, seaweedfs) -> Iterator[str]:
    """A Daphne child of its own whose settings put records in SeaweedFS (S3 mode)."""
    with serving(
        daphne_on_test_database(),
        DJANGO_SETTINGS_MODULE="config.test_settings",
        S3_ENDPOINT_URL=seaweedfs.endpoint_url,
        S3_BUCKET=seaweedfs.bucket,
        S3_ACCESS_KEY=seaweedfs.access_key,
        S3_SECRET_KEY=seaweedfs.secret_key,
        S3_REGION=seaweedfs.region,
    ) as base_url:
        yield base_url


@pytest.fixture
def secretary(db):
    return UserFactory(username="thuky", full_name="Lan", roles=[Role.SECRETARIAT])
