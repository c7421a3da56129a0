"""Who may watch which part of a conference's readiness: a question conferencing asks and
meetings answers.

Whether a user may watch a session's board depends on the meeting behind the
conference (its confidentiality, its organiser and attendees), which belongs to
`meetings`; and `conferencing` never imports `meetings`. So the board socket asks
here, and `meetings` registers its rule when the app registry is ready
(MeetingsConfig.ready). Until a rule is registered every board is refused: a
misconfigured start-up shows nothing rather than everything (docs/authority.md).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class BoardPart:
    """The part of a board a watcher sees: the sites under `within` (a site path, the
    office's jurisdiction), or every site when `within` is None."""

    within: str | None = None

    def shows(self, site_path: str) -> bool:
        return self.within is None or site_path.startswith(self.within)

    @property
    def is_whole(self) -> bool:
        return self.within is None


WHOLE_BOARD = BoardPart()

# (user, conference id) → the part of that conference's board the user watches, or None.
WatchRule = Callable[[User, int], BoardPart | None]


def refuse(user: User, conference_id: int) -> BoardPart | None:
    return None


# The one rule in force; a dict so that register() needs no `global`.
_registry: dict[str, WatchRule] = {"watch": refuse}


def register(rule: WatchRule) -> None:
    """Make `rule` the one every readiness surface of conferencing asks."""
    _registry["watch"] = rule


def registered() -> WatchRule:
    return _registry["watch"]


def board_part(user: User, conference_id: int) -> BoardPart | None:
    """Anonymous users never watch, whatever the rule; the rule refuses a conference that
    does not exist exactly as one the user may not watch."""
    if not user.is_authenticated:
        return None
    return _registry["watch"](user, conference_id)


def may_watch(user: User, conference_id: int) -> bool:
    return board_part(user, conference_id) is not None
