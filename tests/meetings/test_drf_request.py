"""The one read of DRF's private `Request._request` (recording part uploads) fails
loudly here if a DRF upgrade (pinned in pyproject.toml) moves it."""

from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from meetings.records.api.recording_uploads import http_request


def test_the_django_request_under_drf_s_is_the_one_django_made():
    django_request = APIRequestFactory().put(
        "/api/parts/1", b"\x00" * 10, content_type="application/octet-stream"
    )

    underlying = http_request(Request(django_request))

    assert underlying is django_request
    assert underlying.read() == b"\x00" * 10
