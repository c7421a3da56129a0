"""Safe retries of a POST that creates: the `Idempotency-Key` request header.

A client that did not hear the answer to a POST sends it again with the same key; it
gets the first answer again instead of creating a second resource:

- same principal, same key, same method, path and body: the stored answer, byte for
  byte (status, body, Location, ETag, Content-Type), with `Idempotent-Replayed: true`;
- same key, another body, method or path: 422 `idempotency_key_reused`, nothing run;
- same key while the first request is still running: 409 `idempotency_key_in_use`;
- a key that is not 1-255 printable ASCII characters: 400 `idempotency_key_invalid`;
- no header: the request runs as it always did.

Keys belong to a principal: the user, and the API token when one authenticated the
request (the browser's session is token 0). Another principal's key of the same text is
another key, so a replay, which may carry a secret (a new API token), only ever goes
back to whoever got it first.

Only successful answers (2xx, 3xx) are kept. A 4xx or 5xx wrote nothing (one
transaction per action), so its key is released and the client may correct the request
and send it again with the same key. Stripe keeps 4xx answers too; here a rejected
request leaves nothing to protect, and a kept 400 would forbid the obvious fix.

A key is kept RETENTION (24 h) from its first use; after that the same key is new
again. `purge_expired` removes old rows (httpapi/tasks.py runs it hourly).

The claim is a row inserted first, in its own short transaction, under a unique
constraint on (user, token, key): of two requests with one key, PostgreSQL lets one
insert and the other waits for the commit and then fails, so they can never both run.
The answer is written after the action's own transaction committed; if the process dies
between the two, the key answers 409 until it expires (the action may have happened:
the client must look, not blindly create again).
"""

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from httpapi.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETENTION = timedelta(hours=24)
KEPT_HEADERS = ("Content-Type", "Location", "ETag")
MAX_KEY_LENGTH = 255


class IdempotencyKeyInvalid(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Idempotency-Key must be 1 to 255 printable ASCII characters.")
    default_code = "idempotency_key_invalid"


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used for another request; use a new key.")
    default_code = "idempotency_key_reused"


class IdempotencyKeyInUse(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "A request with this Idempotency-Key is still being processed; try again shortly."
    )
    default_code = "idempotency_key_in_use"


def is_valid_key(key: str) -> bool:
    return 1 <= len(key) <= MAX_KEY_LENGTH and all(" " <= char <= "~" for char in key)


def request_fingerprint(request: Request) -> str:
    """SHA-256 of the method, the path with its query and the body in a canonical form:
    JSON with sorted keys whatever the client's spacing and key order; form and
    multipart fields sorted, each uploaded file by its name and its own SHA-256 (a
    multipart boundary changes from one send to the next)."""
    canonical = {
        "method": request.method,
        "path": request.get_full_path(),
        "body": canonical_body(request.data),
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def canonical_body(data: Any) -> Any:
    if hasattr(data, "lists"):  # a QueryDict: form or multipart fields and files
        return sorted(
            [name, [canonical_value(value) for value in values]] for name, values in data.lists()
        )
    return data


def canonical_value(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    return value


def principal_of(request: Request) -> tuple[int, int]:
    """(user id, token id): the token is whatever authenticated the request (an API
    token's row), 0 for a browser session."""
    token_id = getattr(request.auth, "pk", None)
    return request.user.pk, token_id if isinstance(token_id, int) else 0


def claim(request: Request, key: str) -> IdempotencyRecord | HttpResponse:
    """The new running record for this key, or the stored answer to replay. Raises
    IdempotencyKeyReused or IdempotencyKeyInUse."""
    user_id, token_id = principal_of(request)
    fingerprint = request_fingerprint(request)
    for _attempt in range(2):
        try:
            # Its own transaction (a savepoint inside one): the row stands, committed,
            # while the action runs, and a second request with the key fails to insert.
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    user_id=user_id,
                    token_id=token_id,
                    key=key,
                    method=request.method or "",
                    path=request.get_full_path(),
                    request_sha256=fingerprint,
                )
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(
            user_id=user_id, token_id=token_id, key=key
        ).first()
        if existing is None:
            continue  # released by its request meanwhile: claim it again
        if existing.created_at < timezone.now() - RETENTION:
            IdempotencyRecord.objects.filter(pk=existing.pk).delete()
            continue
        if existing.request_sha256 != fingerprint:
            raise IdempotencyKeyReused
        if existing.status_code is None:
            raise IdempotencyKeyInUse
        return replay(existing)
    raise IdempotencyKeyInUse


def replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code)
    for name, value in record.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def keeps(response: HttpResponseBase) -> bool:
    return response.status_code < status.HTTP_400_BAD_REQUEST


def complete(record: IdempotencyRecord, response: HttpResponseBase) -> None:
    record.status_code = response.status_code
    record.body = response.content  # type: ignore[attr-defined]
    record.headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    record.save(update_fields=["status_code", "body", "headers"])


def release(record: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk).delete()


def idempotent(handler: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorate a DRF view's POST handler (`post`, or a viewset's `create`) to honour
    `Idempotency-Key` (this module's docstring). It runs after authentication, so the
    principal is known; the answer kept is the one the client gets, rendered."""

    @functools.wraps(handler)
    def run(view: Any, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not is_valid_key(key):
            raise IdempotencyKeyInvalid
        claimed = claim(request, key)
        if isinstance(claimed, HttpResponse):
            return claimed
        try:
            response = handler(view, request, *args, **kwargs)
        except BaseException:
            release(claimed)
            raise
        if not keeps(response):
            release(claimed)
            return response
        response = view.finalize_response(request, response, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        complete(claimed, response)
        return response

    return run


def purge_expired(now: Any = None) -> int:
    """Delete the records older than RETENTION; how many."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
