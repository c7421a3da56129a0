"""The site tree and bridge of the meeting API's tests, for booking with a key."""

from tests.meetings.api.conftest import bridge, dave, tree  # noqa: F401
