"""The fixtures of the meeting API's and the people's tests, for creating with a key."""

from tests.meetings.api.conftest import bridge, dave, tree  # noqa: F401
from tests.people.conftest import sites  # noqa: F401
