# The signature tests' CA, signers and trust roots, for the signature checks of records
# (test_signature_checks.py).
from tests.signatures.fixtures import (  # noqa: F401
    authority,
    holder,
    signing,
    stranger,
    trusted,
)
