"""Who may watch a conference's readiness: a question conferencing asks and meetings answers.

Whether a user may watch a session's board depends on the meeting behind the
conference (its confidentiality, its organiser and attendees), which belongs to
`meetings`; and `conferencing` never imports `meetings`. So the board socket asks
here, and `meetings` registers its rule when the app registry is ready
(MeetingsConfig.ready). Until a rule is registered every board is refused: a
misconfigured start-up shows nothing rather than everything (docs/authority.md).
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

User = AbstractBaseUser | AnonymousUser
# (user, conference id) → may the user watch that conference's readiness?
WatchRule = Callable[[User, int], bool]


def refuse(user: User, conference_id: int) -> bool:
    return False


# The one rule in force; a dict so that register() needs no `global`.
_registry: dict[str, WatchRule] = {"watch": refuse}


def register(rule: WatchRule) -> None:
    """Make `rule` the one every readiness surface of conferencing asks."""
    _registry["watch"] = rule


def registered() -> WatchRule:
    return _registry["watch"]


def may_watch(user: User, conference_id: int) -> bool:
    """Anonymous users never watch, whatever the rule; the rule refuses a conference that
    does not exist exactly as one the user may not watch."""
    if not user.is_authenticated:
        return False
    return _registry["watch"](user, conference_id)
