from tests.signatures.fixtures import (  # noqa: F401 — the signer of the signed-letter tests
    authority,
    holder,
    signing,
    trusted,
)
