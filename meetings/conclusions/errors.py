"""Refusals of the conclusion notice's actions: a translated message, a stable code and
the field at fault. A wrong moment (ConclusionStateError) is what the API answers 409."""


class ConclusionError(ValueError):
    def __init__(self, message: str, code: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class ConclusionStateError(ConclusionError):
    """The notice is not in a state the action applies to (approving a draft, editing a
    submitted notice, publishing twice), or it changed since it was read."""
