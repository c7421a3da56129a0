"""What validating a PDF found, in a shape that is stored as JSON on a record version.

The document's status is one of four words:
  "unsigned"  no signature (or no readable PDF without any sign of one);
  "valid"     every signature intact, cryptographically valid, its certificate chained
              to a configured trust root, and nothing changed after the last signature;
  "untrusted" as valid, but a chain does not reach a configured root;
  "invalid"   a signature is broken, the document was changed after signing, or a
              signed-looking file could not be checked (`reason` says which).
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

UNSIGNED = "unsigned"
VALID = "valid"
UNTRUSTED = "untrusted"
INVALID = "invalid"
STATUSES = (UNSIGNED, VALID, UNTRUSTED, INVALID)

# Why a document is "invalid" (or "unsigned" without being read), as stable codes: the
# display translates them, the JSON keeps them.
BROKEN = "broken"  # a signature's digest or cryptography does not hold
MODIFIED = "modified"  # the document was changed after it was signed
UNREADABLE = "unreadable"  # not a PDF we can read
TOO_LARGE = "too_large"  # over SIGNATURE_VALIDATION_MAX_BYTES: not read
TIMEOUT = "timeout"  # checking took longer than SIGNATURE_VALIDATION_SECONDS
TOO_MANY = "too_many_signatures"


@dataclass(frozen=True)
class SignatureInfo:
    """One signature of the document."""

    signer_name: str
    organisation: str
    signed_at: datetime | None
    intact: bool  # the signed bytes hash to the signed digest
    valid: bool  # intact, and the signature itself verifies with the signer's key
    trusted: bool  # the signer's chain reaches a configured trust root
    covers_whole_document: bool  # nothing but later signatures was added after it
    modification: str = ""  # pyHanko's modification level after this signature, if any


@dataclass(frozen=True)
class SignatureReport:
    status: str
    reason: str = ""
    signatures: list[SignatureInfo] = field(default_factory=list)
    # The fingerprint of the trust roots the signatures were checked against
    # (signatures.trust.fingerprint); "" when none were (unsigned, not read) or for a
    # report stored before fingerprints were kept.
    trust_roots: str = ""

    @property
    def signer(self) -> SignatureInfo | None:
        """The last signature (the one that covers the document as it is), if any."""
        return self.signatures[-1] if self.signatures else None

    def is_stale(self, current_roots: str) -> bool:
        """Whether the verdict depends on trust roots other than `current_roots`.

        Only "valid" and "untrusted" turn on the roots: a broken or modified document
        stays invalid whatever the deployer trusts, and an unsigned one has nothing to
        trust. A report without a fingerprint was checked against roots nobody knows."""
        return self.status in (VALID, UNTRUSTED) and self.trust_roots != current_roots

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for signature in data["signatures"]:
            signed_at = signature["signed_at"]
            signature["signed_at"] = signed_at.isoformat() if signed_at else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SignatureReport":
        return cls(
            status=data["status"],
            reason=data.get("reason", ""),
            trust_roots=data.get("trust_roots", ""),
            signatures=[
                SignatureInfo(
                    **{
                        **signature,
                        "signed_at": datetime.fromisoformat(signature["signed_at"])
                        if signature.get("signed_at")
                        else None,
                    }
                )
                for signature in data.get("signatures", [])
            ],
        )
