from tests.signatures.fixtures import (  # noqa: F401 — fixtures of this package
    authority,
    holder,
    signing,
    softhsm_token,
    stranger,
    trusted,
)
