"""The OpenAPI description of the headers httpapi's mechanisms read and write, for
views to list in their `extend_schema`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_(
        "1-255 printable ASCII characters, new for each thing to create. Sent again with "
        "the same body within 24 hours, the first answer comes back (with "
        "Idempotent-Replayed: true) and nothing is created twice. Only successful answers "
        "are kept: after a 4xx or 5xx the same key may be sent with a corrected body."
    ),
)
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[201, 202],
    description=_("The path of what was created."),
)
REPLAYED = OpenApiParameter(
    "Idempotent-Replayed",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[201, 202],
    description=_('"true" when this is the stored answer to an earlier request with the key.'),
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_(
        "The ETag the session had when you read it: the change runs only if it still has "
        "it, else 412 and nothing is changed. `*` or no header: whatever its state."
    ),
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("The ETag you hold: 304 without a body if it is still current."),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 304],
    description=_("The session's current revision, for If-Match and If-None-Match."),
)
KEY_PARAMETERS = [IDEMPOTENCY_KEY, LOCATION, REPLAYED]
KEY_RESPONSES = {
    409: OpenApiResponse(
        description=_(
            "Code idempotency_key_in_use: a request with this Idempotency-Key is still "
            "running (or conflict, for the operation's own conflicts)."
        )
    ),
    422: OpenApiResponse(
        description=_(
            "Code idempotency_key_reused: the Idempotency-Key was used for another request."
        )
    ),
}
PRECONDITION_FAILED = OpenApiResponse(
    description=_("Code precondition_failed: the If-Match ETag is stale; nothing was changed.")
)
