from channels.generic.websocket import WebsocketConsumer

# Close code in the private range (4000-4999): "no such socket endpoint".
UNKNOWN_PATH_CLOSE_CODE = 4404


class UnknownPathConsumer(WebsocketConsumer):
    """Refuses sockets opened on paths nothing serves, instead of leaving them hanging."""

    def connect(self) -> None:
        # Accept first: a close before accepting is an HTTP 403 to the browser,
        # which then reports 1006 and never sees our code.
        self.accept()
        self.close(code=UNKNOWN_PATH_CLOSE_CODE)
