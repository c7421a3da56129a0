"""Two pairs of eyes: whoever submits a document for approval may not approve it.

The rule knows nothing of minutes: it is asked with who submitted, who approves and
the office that owns the document, so every later document that needs approval
(a conclusion notice, an invitation letter) asks it the same way. The one exception
is an office that has said it has a single secretary (Office.single_secretary): there
the submitter may approve, and the approval's audit entry says the exception was used.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from conferencing.models import Office

# The audit entry's key that records the single-secretary exception.
SINGLE_SECRETARY_EXCEPTION = "single_secretary_exception"


@dataclass(frozen=True)
class Verdict:
    """The rule's answer: `refusal` is the reason the approval is refused (None when it
    may go ahead); `exception_used` is true when it goes ahead only because the office
    has a single secretary."""

    refusal: str | None = None
    exception_used: bool = False

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    def audit(self) -> dict[str, bool]:
        """What the approval's audit entry adds: the exception, when it was used."""
        return {SINGLE_SECRETARY_EXCEPTION: True} if self.exception_used else {}


def second_pair_of_eyes(
    submitted_by_id: int | None, approver: AbstractBaseUser, office: Office
) -> Verdict:
    """May `approver` approve what `submitted_by_id` submitted for `office`? No query:
    the office is the document's owner, already read."""
    if submitted_by_id is None or submitted_by_id != approver.pk:
        return Verdict()
    if office.single_secretary:
        return Verdict(exception_used=True)
    return Verdict(
        refusal=_(
            "You submitted this version yourself: another member of the office must "
            "approve it (two pairs of eyes)."
        )
    )
