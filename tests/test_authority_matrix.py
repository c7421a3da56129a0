"""The role-and-scope matrix: every URL, API operation and WebSocket path, asked by
every persona about objects inside and outside their jurisdiction.

It lives at the top of tests/ rather than under one app's folder because it spans
all of them (accounts, conferencing, meetings, calendar, config): it mirrors the URL
resolver, not a module.

Where the rows come from (so that a new URL cannot escape the table):
- the web: every pattern of `django.urls.get_resolver()` outside /api/v1/, asked with
  GET and POST;
- the API: every (path, method) of the OpenAPI schema (drf_spectacular);
- the sockets: every route of `config.websocket_routes` but the catch-all.
`test_the_table_covers_every_url_operation_and_socket` fails until a new one has rows.

The world: sites TW → T01 (Hà Nội) → X0101…, TW → T02 (the other province) → X0201…;
offices VPCP (central, TW), VPUB-T01 (Hà Nội), VPUB-T02 (the other province), a bridge
each. Sessions: "national" (owned by the centre, host TW, sites TW, T01, X0101, T02,
X0201), "hanoi" (owned by Hà Nội, host T01, sites T01, X0101, X0102) and "secret"
(confidential, owned by Hà Nội, organised by its secretariat, host T01, sites T01,
X0101). Each has a record with one version, a recording upload and a document upload
made by the owning secretariat. "invited" is invited to "national" and "secret".

The personas are the issue's eleven and a twelfth column, "two_token": the member of
two offices through an API token (people.ApiToken, read and write) made for VPCP while
its session acts for Hà Nội, so the token's office, not the session's, is what the API
and the sockets act for. It is sent as `Authorization: Bearer …`: the API and the
readiness sockets take it (a socket with no Origin, as a program opens it); pages take
no token and answer it as an anonymous visitor.

Answer links (the accept / decline links of the invitation e-mails): "answer_link" is
"invited"'s link about "secret", whose token is the credential (anyone holding it sees
the page as "invited" would, and posting nothing is refused as a bad answer);
"forged_answer_link" is one signed with another key's salt: 404 for everyone, as for a
token that does not exist.

People's tokens and service accounts: "hanoi_token" is the Hà Nội secretariat's own
token, "service_token" a token of "hanoi_service", Hà Nội's service account;
"central_service" is the central office's.

Each cell is a literal: an HTTP status, "login" (302 to the sign-in page), or a
WebSocket close code (4403) / "open". Never computed from the authority modules.
Zero leaks: every refused cell about an object (403, 404, 4403) is asked
again with ids that do not exist, and must answer the same way (same status, same
body for a 403 or 404 once the CSRF token and the asked path are set aside).
"""

import csv
import io
import json
import re
from dataclasses import dataclass

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.http import urlsafe_base64_encode
from drf_spectacular.generators import SchemaGenerator

from accounts.roles import Role
from conferencing import readiness_board
from conferencing.jurisdiction import SESSION_KEY
from conferencing.models import EndpointImportJob
from conferencing.site_selection import SiteSelection
from config.asgi import application
from config.websocket_routes import websocket_urlpatterns
from integrations import signing as webhook_signing
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from meetings.calendar import answers, feed_tokens
from meetings.calendar.models import FeedKind, SentInvitation
from meetings.conclusions.models import ConclusionItem, ConclusionNotice, NoticeState, Task
from meetings.followup import actions as followup_actions
from meetings.models import Classification
from meetings.records.models import RecordingUpload, RecordKind, UploadMode
from people import api_tokens, invitations, service_accounts
from people.models import PeopleImportJob, TokenScope
from tests.conferencing.websocket_helpers import headers_for
from tests.factories import (
    BridgeFactory,
    DetailsFactory,
    OfficeFactory,
    RecordFactory,
    UserFactory,
    booked,
    central_office,
    local_time,
    serve,
    site_tree,
    stored_version,
)

PERSONAS = (
    "central",  # secretariat of the central office (VPCP, TW)
    "hanoi",  # secretariat of Hà Nội's office (T01)
    "other",  # secretariat of the other province's office (T02)
    "two",  # secretariat of VPCP and Hà Nội, acting for Hà Nội (chosen in the session)
    "root",  # the superuser
    "tech_hn",  # technician of X0101, a Hà Nội commune
    "tech_host",  # technician of TW, the national session's host site
    "tech_other",  # technician of X0201, a commune of the other province
    "invited",  # attendee invited to "national" and "secret"
    "uninvited",  # attendee of nothing
    "anon",  # not signed in
    "two_token",  # "two" through an API token made for VPCP (its session acts for Hà Nội)
)

MISSING = 999_999
MISSING_CODE = "NOSUCHSITE"
MISSING_TOKEN = "x" * 43
# Refusals that must not depend on whether the object exists. (405, 401 and the sign-in
# redirect are answered before any object is looked up.)
REFUSED = {"403", "404", "4403"}

# URL patterns left out of the matrix, each with the reason.
SKIPPED = {
    # Django's own admin: is_staff and model permissions, checked by Django.
    "admin/": "Django admin (staff permissions, Django's own checks)",
}

# Which objects a route is asked about, by the parameters in it.
MEETINGS = ("national", "hanoi", "secret")
SITES = ("T01", "T02")
BRIDGES = ("central_bridge", "hanoi_bridge", "other_bridge")
FEEDS = ("hanoi_personal", "central_organisation", "other_organisation")
JOBS = ("central_job", "hanoi_job")
PEOPLE_JOBS = ("central_people_job", "hanoi_people_job")
OFFICES = ("central_office", "hanoi_office", "other_office")
INVITATIONS = ("invitation",)
PEOPLE = ("hanoi_person", "other_person")
RESET_LINKS = ("reset_link",)
ANSWER_LINKS = ("answer_link", "forged_answer_link")
TOKENS = ("hanoi_token", "service_token")
SERVICE_ACCOUNTS = ("central_service", "hanoi_service")
WEBHOOKS = ("central_webhook", "hanoi_webhook")
# Tasks of a centre's session's published notice (assigned by the centre) to Hà Nội and
# to the other province; each has one progress report with an evidence file.
TASKS = ("hanoi_task", "other_task")
# The kind of an official document in the wording pages' address (an unknown one is 404).
DOCUMENT_KINDS = ("invitation_kind",)
NONE = ("-",)


def objects_for(route: str) -> tuple[str, ...]:
    if "task_id" in route:
        return TASKS
    if "webhooks/{id}" in route:
        return WEBHOOKS
    if "token_id" in route or "tokens/{id}" in route:
        return TOKENS
    if "account_id" in route:
        return SERVICE_ACCOUNTS
    if "meeting_id" in route or "meetings/{id}" in route or "legs/{leg_id}" in route:
        return MEETINGS
    if re.search(
        r"(record-versions|records|recording-uploads|document-uploads)/(\{id\}|<int:pk>)", route
    ):
        return MEETINGS
    if "bridges/{id}" in route or "bridge_id" in route:
        return BRIDGES
    if "office_id" in route or "offices/{id}" in route:
        return OFFICES
    if "person_id" in route:
        return PEOPLE
    if "{code}" in route or "<str:code>" in route:
        return SITES
    if re.search(r"people/imports?/(<int:job_id>|\{id\})", route):
        return PEOPLE_JOBS
    if "endpoints/imports/{id}" in route:
        return JOBS
    if "invitation/<str:token>" in route:
        return INVITATIONS
    if "<uidb64>/<token>" in route:
        return RESET_LINKS
    if "answer/<str:token>" in route:
        return ANSWER_LINKS
    if "feed_id" in route or "<str:token>" in route or "calendar/feeds/{id}" in route:
        return FEEDS
    if "job_id" in route:
        return JOBS
    if "<str:kind>" in route:
        return DOCUMENT_KINDS
    return NONE


# The titles of the sessions, and who must never be shown them, on any page, API
# answer, feed or export (a feed shows what its owner may see, whoever holds its token).
HIDDEN_TITLES = {
    "Phiên mật": {
        "central",
        "other",
        "two",
        "root",
        "tech_hn",
        "tech_host",
        "tech_other",
        "uninvited",
        "anon",
        "two_token",
    },
    "Giao ban Hà Nội": {"other", "root", "tech_host", "tech_other", "invited", "uninvited", "anon"},
    "Phiên toàn quốc": {"root", "uninvited", "anon"},
}
FEED_OWNERS = {
    "hanoi_personal": "hanoi",
    "central_organisation": "central",
    "other_organisation": "other",
}
# An answer link's page, likewise, shows what the invitation's holder may see.
ANSWER_LINK_OWNERS = {"answer_link": "invited"}

# fmt: off
# Each row: (method, route, object) -> one cell per persona, in PERSONAS order:
#          cen   hn    oth   two   root  t_hn  t_hst t_oth inv   unin  anon  token
TABLE: dict[tuple[str, str, str], str] = {
    # --- pages (URL resolver) ---
    # The people pages: the superuser and an office's secretariat; a person outside the
    # acting office's jurisdiction answers as a missing one.
    ('GET', 'people/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'people/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'people/new/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'people/new/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('GET', 'people/assign-sites/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'people/assign-sites/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('GET', 'people/<int:person_id>/', 'hanoi_person'):
        '200   200   404   200   200   403   403   403   403   403   login login',
    ('GET', 'people/<int:person_id>/', 'other_person'):
        '200   404   200   404   200   403   403   403   403   403   login login',
    ('POST', 'people/<int:person_id>/', 'hanoi_person'):
        '302   302   404   302   302   403   403   403   403   403   login login',
    ('POST', 'people/<int:person_id>/', 'other_person'):
        '302   404   302   404   302   403   403   403   403   403   login login',
    ('GET', 'people/<int:person_id>/active/', 'hanoi_person'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'people/<int:person_id>/active/', 'other_person'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'people/<int:person_id>/active/', 'hanoi_person'):
        '302   302   404   302   302   403   403   403   403   403   login login',
    ('POST', 'people/<int:person_id>/active/', 'other_person'):
        '302   404   302   404   302   403   403   403   403   403   login login',
    ('GET', 'people/<int:person_id>/invite/', 'hanoi_person'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'people/<int:person_id>/invite/', 'other_person'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'people/<int:person_id>/invite/', 'hanoi_person'):
        '302   302   404   302   302   403   403   403   403   403   login login',
    ('POST', 'people/<int:person_id>/invite/', 'other_person'):
        '302   404   302   404   302   403   403   403   403   403   login login',
    ('GET', 'people/<int:person_id>/unlock/', 'hanoi_person'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'people/<int:person_id>/unlock/', 'other_person'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'people/<int:person_id>/unlock/', 'hanoi_person'):
        '302   302   404   302   302   403   403   403   403   403   login login',
    ('POST', 'people/<int:person_id>/unlock/', 'other_person'):
        '302   404   302   404   302   403   403   403   403   403   login login',
    # Asking for a reset link, and the link's pages: no sign-in needed (the link is the key).
    ('GET', 'password/reset/', '-'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('POST', 'password/reset/', '-'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('GET', 'password/reset/<uidb64>/<token>/', 'reset_link'):
        '302   302   302   302   302   302   302   302   302   302   302   302',
    ('POST', 'password/reset/<uidb64>/<token>/', 'reset_link'):
        '302   302   302   302   302   302   302   302   302   302   302   302',
    ('GET', 'password/reset/complete/', '-'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('POST', 'password/reset/complete/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'password/reset/sent/', '-'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('POST', 'password/reset/sent/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    # One's own profile and sessions: every signed-in person, about themselves only.
    ('GET', 'profile/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'profile/', '-'):
        '405   405   405   405   405   405   405   405   405   405   login login',
    ('GET', 'profile/sign-out-everywhere/', '-'):
        '405   405   405   405   405   405   405   405   405   405   login login',
    ('POST', 'profile/sign-out-everywhere/', '-'):
        'login login login login login login login login login login login login',
    # The second factor (off in the matrix: SECOND_FACTOR_REQUIRED is false for the suite);
    # a person without an authenticator is sent to enrol one.
    ('GET', 'second-factor/', '-'):
        '302   302   302   302   302   302   302   302   302   302   login login',
    ('POST', 'second-factor/', '-'):
        '302   302   302   302   302   302   302   302   302   302   login login',
    ('GET', 'second-factor/enrol/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'second-factor/enrol/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('GET', 'second-factor/recovery-codes/', '-'):
        '405   405   405   405   405   405   405   405   405   405   login login',
    ('POST', 'second-factor/recovery-codes/', '-'):
        '302   302   302   302   302   302   302   302   302   302   login login',
    ('GET', 'second-factor/remove/', '-'):
        '405   405   405   405   405   405   405   405   405   405   login login',
    ('POST', 'second-factor/remove/', '-'):
        '302   302   302   302   302   302   302   302   302   302   login login',
    # Anyone holding the link sets the invited person's password: no sign-in needed.
    ('GET', 'people/invitation/<str:token>/', 'invitation'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('POST', 'people/invitation/<str:token>/', 'invitation'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    # People import: the acting office's jobs (every one for the superuser).
    ('GET', 'people/import/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'people/import/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('GET', 'people/import/<int:job_id>/', 'central_people_job'):
        '200   404   404   404   200   403   403   403   403   403   login login',
    ('GET', 'people/import/<int:job_id>/', 'hanoi_people_job'):
        '404   200   404   200   200   403   403   403   403   403   login login',
    ('POST', 'people/import/<int:job_id>/', 'central_people_job'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'people/import/<int:job_id>/', 'hanoi_people_job'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'people/import/<int:job_id>/status.json', 'central_people_job'):
        '200   404   404   404   200   403   403   403   403   403   login login',
    ('GET', 'people/import/<int:job_id>/status.json', 'hanoi_people_job'):
        '404   200   404   200   200   403   403   403   403   403   login login',
    ('POST', 'people/import/<int:job_id>/status.json', 'central_people_job'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'people/import/<int:job_id>/status.json', 'hanoi_people_job'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'people/import/<int:job_id>/rejected.csv', 'central_people_job'):
        '200   404   404   404   200   403   403   403   403   403   login login',
    ('GET', 'people/import/<int:job_id>/rejected.csv', 'hanoi_people_job'):
        '404   200   404   200   200   403   403   403   403   403   login login',
    ('POST', 'people/import/<int:job_id>/rejected.csv', 'central_people_job'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'people/import/<int:job_id>/rejected.csv', 'hanoi_people_job'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    # An office's service accounts: the office and the offices above manage them (people.scope).
    ('GET', 'people/service-accounts/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'people/service-accounts/', '-'):
        '400   400   400   400   400   403   403   403   403   403   login login',
    ('GET', 'people/service-accounts/<int:account_id>/', 'central_service'):
        '200   404   404   404   200   403   403   403   403   403   login login',
    ('GET', 'people/service-accounts/<int:account_id>/', 'hanoi_service'):
        '200   200   404   200   200   403   403   403   403   403   login login',
    ('POST', 'people/service-accounts/<int:account_id>/', 'central_service'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'people/service-accounts/<int:account_id>/', 'hanoi_service'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'people/service-accounts/<int:account_id>/tokens/', 'central_service'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'people/service-accounts/<int:account_id>/tokens/', 'hanoi_service'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'people/service-accounts/<int:account_id>/tokens/', 'central_service'):
        '400   404   404   404   400   403   403   403   403   403   login login',
    ('POST', 'people/service-accounts/<int:account_id>/tokens/', 'hanoi_service'):
        '400   400   404   400   400   403   403   403   403   403   login login',
    ('GET', 'people/service-accounts/tokens/<int:token_id>/revoke/', 'hanoi_token'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'people/service-accounts/tokens/<int:token_id>/revoke/', 'service_token'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'people/service-accounts/tokens/<int:token_id>/revoke/', 'hanoi_token'):
        '404   404   404   404   404   403   403   403   403   403   login login',
    ('POST', 'people/service-accounts/tokens/<int:token_id>/revoke/', 'service_token'):
        '302   302   404   302   302   403   403   403   403   403   login login',
    ('GET', 'api-tokens/', '-'):
        '302   302   302   302   302   302   302   302   302   302   302   302',
    ('POST', 'api-tokens/', '-'):
        '302   302   302   302   302   302   302   302   302   302   302   302',
    # A person's own API tokens (people.api_tokens): another's token answers as a missing one.
    ('GET', 'profile/tokens/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'profile/tokens/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'profile/tokens/new/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'profile/tokens/new/', '-'):
        '400   400   400   400   400   400   400   400   400   400   login login',
    ('GET', 'profile/tokens/<int:token_id>/revoke/', 'hanoi_token'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'profile/tokens/<int:token_id>/revoke/', 'service_token'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'profile/tokens/<int:token_id>/revoke/', 'hanoi_token'):
        '404   302   404   404   404   404   404   404   404   404   login login',
    ('POST', 'profile/tokens/<int:token_id>/revoke/', 'service_token'):
        '404   404   404   404   404   404   404   404   404   404   login login',
    ('GET', 'audit/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'audit/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    # The archive's search (meetings.search.query scopes the results, not the page).
    ('GET', 'search/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'search/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', '', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', '', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'api/v1/docs/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'api/v1/docs/', '-'):
        '405   405   405   405   405   405   405   405   405   405   login login',
    ('GET', 'api/v1/schema/', '-'):
        '200   200   200   200   200   200   200   200   200   200   401   200',
    ('POST', 'api/v1/schema/', '-'):
        '405   405   405   405   405   405   405   405   405   405   401   405',
    ('GET', 'bridges/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'bridges/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'bridges/<int:bridge_id>/edit/', 'central_bridge'):
        '200   404   404   404   200   403   403   403   403   403   login login',
    ('GET', 'bridges/<int:bridge_id>/edit/', 'hanoi_bridge'):
        '404   200   404   200   200   403   403   403   403   403   login login',
    ('GET', 'bridges/<int:bridge_id>/edit/', 'other_bridge'):
        '404   404   200   404   200   403   403   403   403   403   login login',
    ('POST', 'bridges/<int:bridge_id>/edit/', 'central_bridge'):
        '200   404   404   404   200   403   403   403   403   403   login login',
    ('POST', 'bridges/<int:bridge_id>/edit/', 'hanoi_bridge'):
        '404   200   404   200   200   403   403   403   403   403   login login',
    ('POST', 'bridges/<int:bridge_id>/edit/', 'other_bridge'):
        '404   404   200   404   200   403   403   403   403   403   login login',
    # A bridge's port use: whoever may manage (edit) it; others answer as for a missing one.
    ('GET', 'bridges/<int:bridge_id>/use/', 'central_bridge'):
        '200   404   404   404   200   403   403   403   403   403   login login',
    ('GET', 'bridges/<int:bridge_id>/use/', 'hanoi_bridge'):
        '404   200   404   200   200   403   403   403   403   403   login login',
    ('GET', 'bridges/<int:bridge_id>/use/', 'other_bridge'):
        '404   404   200   404   200   403   403   403   403   403   login login',
    ('POST', 'bridges/<int:bridge_id>/use/', 'central_bridge'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'bridges/<int:bridge_id>/use/', 'hanoi_bridge'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'bridges/<int:bridge_id>/use/', 'other_bridge'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'bridges/new/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'bridges/new/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('GET', 'calendar/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'calendar/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'calendar/feed/<str:token>.ics', 'central_organisation'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('GET', 'calendar/feed/<str:token>.ics', 'hanoi_personal'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('GET', 'calendar/feed/<str:token>.ics', 'other_organisation'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('POST', 'calendar/feed/<str:token>.ics', 'central_organisation'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'calendar/feed/<str:token>.ics', 'hanoi_personal'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'calendar/feed/<str:token>.ics', 'other_organisation'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'calendar/meetings/<int:meeting_id>.ics', 'hanoi'):
        '200   200   404   200   404   200   404   404   404   404   login login',
    ('GET', 'calendar/meetings/<int:meeting_id>.ics', 'national'):
        '200   200   200   200   404   200   200   200   200   404   login login',
    ('GET', 'calendar/meetings/<int:meeting_id>.ics', 'secret'):
        '200   200   404   200   404   200   404   404   200   404   login login',
    ('POST', 'calendar/meetings/<int:meeting_id>.ics', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'calendar/meetings/<int:meeting_id>.ics', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'calendar/meetings/<int:meeting_id>.ics', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    # An answer link: its token is the credential (no sign-in); a forged one is not found.
    ('GET', 'calendar/answer/<str:token>/', 'answer_link'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('POST', 'calendar/answer/<str:token>/', 'answer_link'):
        '400   400   400   400   400   400   400   400   400   400   400   400',
    ('GET', 'calendar/answer/<str:token>/', 'forged_answer_link'):
        '404   404   404   404   404   404   404   404   404   404   404   404',
    ('POST', 'calendar/answer/<str:token>/', 'forged_answer_link'):
        '404   404   404   404   404   404   404   404   404   404   404   404',
    ('GET', 'calendar/preferences/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'calendar/preferences/', '-'):
        '302   302   302   302   302   302   302   302   302   302   login login',
    ('GET', 'calendar/subscriptions/<int:feed_id>/revoke/', 'central_organisation'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'calendar/subscriptions/<int:feed_id>/revoke/', 'hanoi_personal'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'calendar/subscriptions/<int:feed_id>/revoke/', 'other_organisation'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'calendar/subscriptions/<int:feed_id>/revoke/', 'central_organisation'):
        '302   404   404   404   404   404   404   404   404   404   login login',
    ('POST', 'calendar/subscriptions/<int:feed_id>/revoke/', 'hanoi_personal'):
        '404   302   404   404   404   404   404   404   404   404   login login',
    ('POST', 'calendar/subscriptions/<int:feed_id>/revoke/', 'other_organisation'):
        '404   404   302   404   404   404   404   404   404   404   login login',
    ('GET', 'calendar/subscriptions/<int:feed_id>/rotate/', 'central_organisation'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'calendar/subscriptions/<int:feed_id>/rotate/', 'hanoi_personal'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'calendar/subscriptions/<int:feed_id>/rotate/', 'other_organisation'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'calendar/subscriptions/<int:feed_id>/rotate/', 'central_organisation'):
        '201   404   404   404   404   404   404   404   404   404   login login',
    ('POST', 'calendar/subscriptions/<int:feed_id>/rotate/', 'hanoi_personal'):
        '404   201   404   404   404   404   404   404   404   404   login login',
    ('POST', 'calendar/subscriptions/<int:feed_id>/rotate/', 'other_organisation'):
        '404   404   201   404   404   404   404   404   404   404   login login',
    ('GET', 'calendar/subscriptions/new/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'calendar/subscriptions/new/', '-'):
        '400   400   400   400   400   400   400   400   400   400   login login',
    ('GET', 'endpoints/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'endpoints/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'endpoints/<str:code>/', 'T01'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('GET', 'endpoints/<str:code>/', 'T02'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'endpoints/<str:code>/', 'T01'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'endpoints/<str:code>/', 'T02'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'endpoints/<str:code>/active/', 'T01'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'endpoints/<str:code>/active/', 'T02'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'endpoints/<str:code>/active/', 'T01'):
        '302   302   404   302   302   403   403   403   403   403   login login',
    ('POST', 'endpoints/<str:code>/active/', 'T02'):
        '302   404   302   404   302   403   403   403   403   403   login login',
    ('GET', 'endpoints/<str:code>/edit/', 'T01'):
        '200   200   404   200   200   403   403   403   403   403   login login',
    ('GET', 'endpoints/<str:code>/edit/', 'T02'):
        '200   404   200   404   200   403   403   403   403   403   login login',
    ('POST', 'endpoints/<str:code>/edit/', 'T01'):
        '200   200   404   200   200   403   403   403   403   403   login login',
    ('POST', 'endpoints/<str:code>/edit/', 'T02'):
        '200   404   200   404   200   403   403   403   403   403   login login',
    ('GET', 'endpoints/<str:code>/technicians/', 'T01'):
        '200   200   404   200   200   403   403   403   403   403   login login',
    ('GET', 'endpoints/<str:code>/technicians/', 'T02'):
        '200   404   200   404   200   403   403   403   403   403   login login',
    ('POST', 'endpoints/<str:code>/technicians/', 'T01'):
        '302   302   404   302   302   403   403   403   403   403   login login',
    ('POST', 'endpoints/<str:code>/technicians/', 'T02'):
        '302   404   302   404   302   403   403   403   403   403   login login',
    ('GET', 'endpoints/export.csv', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'endpoints/export.csv', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'endpoints/import/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'endpoints/import/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('GET', 'endpoints/import/<int:job_id>/', 'central_job'):
        '200   404   404   404   200   403   403   403   403   403   login login',
    ('GET', 'endpoints/import/<int:job_id>/', 'hanoi_job'):
        '404   200   404   200   200   403   403   403   403   403   login login',
    ('POST', 'endpoints/import/<int:job_id>/', 'central_job'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'endpoints/import/<int:job_id>/', 'hanoi_job'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'endpoints/import/<int:job_id>/status.json', 'central_job'):
        '200   404   404   404   200   403   403   403   403   403   login login',
    ('GET', 'endpoints/import/<int:job_id>/status.json', 'hanoi_job'):
        '404   200   404   200   200   403   403   403   403   403   login login',
    ('POST', 'endpoints/import/<int:job_id>/status.json', 'central_job'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'endpoints/import/<int:job_id>/status.json', 'hanoi_job'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'endpoints/new/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('POST', 'endpoints/new/', '-'):
        '200   200   200   200   200   403   403   403   403   403   login login',
    ('GET', 'healthz', '-'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('POST', 'healthz', '-'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('GET', 'i18n/setlang/', '-'):
        '302   302   302   302   302   302   302   302   302   302   302   302',
    ('POST', 'i18n/setlang/', '-'):
        '302   302   302   302   302   302   302   302   302   302   302   302',
    ('GET', 'login/', '-'):
        '302   302   302   302   302   302   302   302   302   302   200   200',
    ('POST', 'login/', '-'):
        '302   302   302   302   302   302   302   302   302   302   200   200',
    ('GET', 'logout/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'logout/', '-'):
        'login login login login login login login login login login login login',
    # Single sign-on, not configured here: its start and callback are not found; its
    # sign-out signs anyone out, as logout/ does (tests/people/test_oidc_sign_in.py).
    ('GET', 'oidc/authenticate/', '-'):
        '404   404   404   404   404   404   404   404   404   404   404   404',
    ('POST', 'oidc/authenticate/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'oidc/callback/', '-'):
        '404   404   404   404   404   404   404   404   404   404   404   404',
    ('POST', 'oidc/callback/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'oidc/logout/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'oidc/logout/', '-'):
        'login login login login login login login login login login login login',
    ('GET', 'meetings/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'meetings/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/', 'hanoi'):
        '200   200   404   200   404   200   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/', 'national'):
        '200   200   200   200   404   200   200   200   200   404   login login',
    ('GET', 'meetings/<int:meeting_id>/', 'secret'):
        '200   200   404   200   404   200   404   404   200   404   login login',
    ('POST', 'meetings/<int:meeting_id>/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/board/', 'hanoi'):
        '200   200   404   200   404   404   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/board/', 'national'):
        '200   200   200   200   404   404   200   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/board/', 'secret'):
        '404   200   404   404   404   404   404   404   404   404   login login',
    ('POST', 'meetings/<int:meeting_id>/board/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/board/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/board/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    # One site of the board (its panel): as the board, but the other province's office,
    # which watches its own part of the national session, finds no Hà Nội commune there.
    ('GET', 'meetings/<int:meeting_id>/board/legs/<int:leg_id>/', 'hanoi'):
        '200   200   404   200   404   404   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/board/legs/<int:leg_id>/', 'national'):
        '200   200   404   200   404   404   200   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/board/legs/<int:leg_id>/', 'secret'):
        '404   200   404   404   404   404   404   404   404   404   login login',
    ('POST', 'meetings/<int:meeting_id>/board/legs/<int:leg_id>/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/board/legs/<int:leg_id>/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/board/legs/<int:leg_id>/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/cancel/', 'hanoi'):
        '404   200   404   200   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/cancel/', 'national'):
        '200   404   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/cancel/', 'secret'):
        '404   200   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/cancel/', 'hanoi'):
        '404   200   404   200   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/cancel/', 'national'):
        '200   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/cancel/', 'secret'):
        '404   200   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/readiness.csv', 'hanoi'):
        '200   200   404   200   404   404   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/readiness.csv', 'national'):
        '200   200   200   200   404   404   200   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/readiness.csv', 'secret'):
        '404   200   404   404   404   404   404   404   404   404   login login',
    ('POST', 'meetings/<int:meeting_id>/readiness.csv', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/readiness.csv', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/readiness.csv', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/readiness/', 'hanoi'):
        '200   200   404   200   404   404   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/readiness/', 'national'):
        '200   200   200   200   404   404   200   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/readiness/', 'secret'):
        '404   200   404   404   404   404   404   404   404   404   login login',
    ('POST', 'meetings/<int:meeting_id>/readiness/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/readiness/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/readiness/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/records/', 'hanoi'):
        '404   302   404   302   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/', 'national'):
        '302   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/', 'secret'):
        '404   302   404   404   403   403   403   403   403   403   login login',
    # The invitation letter (meetings.official): whoever manages the session, as its records.
    ('GET', 'meetings/<int:meeting_id>/invitation-letter/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/invitation-letter/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/invitation-letter/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/invitation-letter/', 'hanoi'):
        '404   302   404   302   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/invitation-letter/', 'national'):
        '302   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/invitation-letter/', 'secret'):
        '404   302   404   404   403   403   403   403   403   403   login login',
    # An office's document wording and its preview: the office the secretary acts for (no
    # office in the address); an unknown kind is 404.
    ('GET', 'documents/templates/<str:kind>/', 'invitation_kind'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('POST', 'documents/templates/<str:kind>/', 'invitation_kind'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('GET', 'documents/templates/<str:kind>/preview.pdf', 'invitation_kind'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('POST', 'documents/templates/<str:kind>/preview.pdf', 'invitation_kind'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/records/<int:record_id>/hold/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/<int:record_id>/hold/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/<int:record_id>/hold/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/records/<int:record_id>/hold/', 'hanoi'):
        '404   302   404   302   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/<int:record_id>/hold/', 'national'):
        '302   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/<int:record_id>/hold/', 'secret'):
        '404   302   404   404   403   403   403   403   403   403   login login',
    # The conclusion notice (meetings.conclusions): the owning office's secretariat drafts
    # and acts; nobody else sees a notice before it is published (none is, here). POST
    # without the editor's forms is refused (400); an action on a session without a notice
    # is 404, as one that does not exist.
    ('GET', 'meetings/<int:meeting_id>/conclusions/', 'hanoi'):
        '404   200   404   200   404   404   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/conclusions/', 'national'):
        '200   404   404   404   404   404   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/conclusions/', 'secret'):
        '404   200   404   404   404   404   404   404   404   404   login login',
    ('POST', 'meetings/<int:meeting_id>/conclusions/', 'hanoi'):
        '404   400   404   400   404   404   404   404   404   404   login login',
    ('POST', 'meetings/<int:meeting_id>/conclusions/', 'national'):
        '400   404   404   404   404   404   404   404   404   404   login login',
    ('POST', 'meetings/<int:meeting_id>/conclusions/', 'secret'):
        '404   400   404   404   404   404   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/conclusions/act/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/conclusions/act/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/conclusions/act/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/conclusions/act/', 'hanoi'):
        '404   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/conclusions/act/', 'national'):
        '404   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/conclusions/act/', 'secret'):
        '404   404   404   404   403   403   403   403   403   403   login login',
    # Approving minutes: GET is the confirmation page (a refused approval, such as one of
    # a version that is not submitted, goes back to the session page), POST approves.
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/approve/', 'hanoi'):
        '404   302   404   302   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/approve/', 'national'):
        '302   404   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/approve/', 'secret'):
        '404   302   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/approve/', 'hanoi'):
        '404   302   404   302   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/approve/', 'national'):
        '302   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/approve/', 'secret'):
        '404   302   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/file/', 'hanoi'):
        '200   200   404   200   404   200   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/file/', 'national'):
        '200   200   200   200   404   200   200   200   200   404   login login',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/file/', 'secret'):
        '404   200   404   404   404   404   404   404   200   404   login login',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/file/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/file/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/file/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/return/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/return/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/return/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/return/', 'hanoi'):
        '404   302   404   302   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/return/', 'national'):
        '302   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/return/', 'secret'):
        '404   302   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/submit/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/submit/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/submit/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/submit/', 'hanoi'):
        '404   302   404   302   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/submit/', 'national'):
        '302   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/submit/', 'secret'):
        '404   302   404   404   403   403   403   403   403   403   login login',
    # The signature page of a PDF version: exactly whoever may download it.
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/signatures/', 'hanoi'):
        '200   200   404   200   404   200   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/signatures/', 'national'):
        '200   200   200   200   404   200   200   200   200   404   login login',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/signatures/', 'secret'):
        '404   200   404   404   404   404   404   404   200   404   login login',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/signatures/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/signatures/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/signatures/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/watch/', 'hanoi'):
        '404   404   404   404   404   404   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/watch/', 'national'):
        '404   404   404   404   404   404   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/watch/', 'secret'):
        '404   404   404   404   404   404   404   404   404   404   login login',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/watch/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/watch/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/records/versions/<int:version_id>/watch/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/reschedule/', 'hanoi'):
        '404   200   404   200   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/reschedule/', 'national'):
        '200   404   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/reschedule/', 'secret'):
        '404   200   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/reschedule/', 'hanoi'):
        '404   200   404   200   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/reschedule/', 'national'):
        '200   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/reschedule/', 'secret'):
        '404   200   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/site-list/', 'hanoi'):
        '200   200   404   200   404   200   404   404   404   404   login login',
    ('GET', 'meetings/<int:meeting_id>/site-list/', 'national'):
        '200   200   200   200   404   200   200   200   200   404   login login',
    ('GET', 'meetings/<int:meeting_id>/site-list/', 'secret'):
        '404   200   404   404   404   404   404   404   200   404   login login',
    ('POST', 'meetings/<int:meeting_id>/site-list/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/site-list/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/site-list/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/sites/', 'hanoi'):
        '404   200   404   200   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/sites/', 'national'):
        '200   404   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/sites/', 'secret'):
        '404   200   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/sites/', 'hanoi'):
        '404   200   404   200   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/sites/', 'national'):
        '200   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/sites/', 'secret'):
        '404   200   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/reschedule/check/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/reschedule/check/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/reschedule/check/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/reschedule/check/', 'hanoi'):
        '404   200   404   200   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/reschedule/check/', 'national'):
        '200   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/reschedule/check/', 'secret'):
        '404   200   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/<int:meeting_id>/sites/check/', 'hanoi'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/sites/check/', 'national'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/<int:meeting_id>/sites/check/', 'secret'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/<int:meeting_id>/sites/check/', 'hanoi'):
        '404   200   404   200   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/sites/check/', 'national'):
        '200   404   404   404   403   403   403   403   403   403   login login',
    ('POST', 'meetings/<int:meeting_id>/sites/check/', 'secret'):
        '404   200   404   404   403   403   403   403   403   403   login login',
    ('GET', 'meetings/sites/count/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/sites/count/', '-'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    # The site pickers' suggestions: the acting office's jurisdiction only (test_site_search).
    ('GET', 'meetings/sites/search/', '-'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('POST', 'meetings/sites/search/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/check/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/check/', '-'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('GET', 'meetings/console/', '-'):
        '403   403   403   403   403   200   200   200   403   403   login login',
    ('POST', 'meetings/console/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/console/report/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'meetings/console/report/', '-'):
        '403   403   403   403   403   302   302   302   403   403   login login',
    # The acting office's month at a glance: its secretariat only (its own sessions).
    ('GET', 'meetings/month/', '-'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('POST', 'meetings/month/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'meetings/new/', '-'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('POST', 'meetings/new/', '-'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('GET', 'meetings/week/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'meetings/week/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'offices/', '-'):
        '200   403   403   403   200   403   403   403   403   403   login login',
    ('POST', 'offices/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'offices/<int:office_id>/deactivate/', 'central_office'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'offices/<int:office_id>/deactivate/', 'hanoi_office'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'offices/<int:office_id>/deactivate/', 'other_office'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'offices/<int:office_id>/deactivate/', 'central_office'):
        '302   403   403   403   302   403   403   403   403   403   login login',
    ('POST', 'offices/<int:office_id>/deactivate/', 'hanoi_office'):
        '302   403   403   403   302   403   403   403   403   403   login login',
    ('POST', 'offices/<int:office_id>/deactivate/', 'other_office'):
        '302   403   403   403   302   403   403   403   403   403   login login',
    ('GET', 'offices/<int:office_id>/edit/', 'central_office'):
        '200   403   403   403   200   403   403   403   403   403   login login',
    ('GET', 'offices/<int:office_id>/edit/', 'hanoi_office'):
        '200   403   403   403   200   403   403   403   403   403   login login',
    ('GET', 'offices/<int:office_id>/edit/', 'other_office'):
        '200   403   403   403   200   403   403   403   403   403   login login',
    ('POST', 'offices/<int:office_id>/edit/', 'central_office'):
        '200   403   403   403   200   403   403   403   403   403   login login',
    ('POST', 'offices/<int:office_id>/edit/', 'hanoi_office'):
        '200   403   403   403   200   403   403   403   403   403   login login',
    ('POST', 'offices/<int:office_id>/edit/', 'other_office'):
        '200   403   403   403   200   403   403   403   403   403   login login',
    ('GET', 'offices/act/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'offices/act/', '-'):
        '303   303   303   303   303   303   303   303   303   303   login login',
    ('GET', 'offices/new/', '-'):
        '200   403   403   403   200   403   403   403   403   403   login login',
    ('POST', 'offices/new/', '-'):
        '200   403   403   403   200   403   403   403   403   403   login login',
    # The working-day calendar: the central office's secretariat acting for it, nobody else.
    ('GET', 'working-days/', '-'):
        '200   403   403   403   403   403   403   403   403   403   login login',
    ('POST', 'working-days/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'working-days/announce/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'working-days/announce/', '-'):
        '200   403   403   403   403   403   403   403   403   403   login login',
    ('GET', 'working-days/remove/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'working-days/remove/', '-'):
        '302   403   403   403   403   403   403   403   403   403   login login',
    ('GET', 'working-days/import/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'working-days/import/', '-'):
        '200   403   403   403   403   403   403   403   403   403   login login',
    ('GET', 'password/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'password/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('GET', 'password/done/', '-'):
        '200   200   200   200   200   200   200   200   200   200   login login',
    ('POST', 'password/done/', '-'):
        '405   405   405   405   405   405   405   405   405   405   login login',
    ('GET', 'readyz', '-'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    ('POST', 'readyz', '-'):
        '200   200   200   200   200   200   200   200   200   200   200   200',
    # --- API operations (OpenAPI schema) ---
    # The audit trail: the /audit/ page's entries (meetings.trail.scope).
    ('GET', '/api/v1/audit/', '-'):
        '200   200   200   200   200   403   403   403   403   403   401   200',
    # The archive's search: every role may search (asked without `q`: 400, after 401/403).
    ('GET', '/api/v1/search/', '-'):
        '400   400   400   400   400   400   400   400   400   400   401   400',
    ('GET', '/api/v1/bridges/', '-'):
        '200   200   200   200   200   200   200   200   200   200   401   200',
    ('GET', '/api/v1/bridges/{id}/', 'central_bridge'):
        '200   404   404   404   200   404   404   404   404   404   401   200',
    ('GET', '/api/v1/bridges/{id}/', 'hanoi_bridge'):
        '404   200   404   200   200   404   404   404   404   404   401   404',
    ('GET', '/api/v1/bridges/{id}/', 'other_bridge'):
        '404   404   200   404   200   404   404   404   404   404   401   404',
    # One's own calendar feeds (meetings.calendar.feed_tokens): another's answers as a missing one.
    ('GET', '/api/v1/calendar/feeds/', '-'):
        '200   200   200   200   200   200   200   200   200   200   401   200',
    ('POST', '/api/v1/calendar/feeds/', '-'):
        '400   400   400   400   400   400   400   400   400   400   401   400',
    ('DELETE', '/api/v1/calendar/feeds/{id}/', 'central_organisation'):
        '204   404   404   404   404   404   404   404   404   404   401   404',
    ('DELETE', '/api/v1/calendar/feeds/{id}/', 'hanoi_personal'):
        '404   204   404   404   404   404   404   404   404   404   401   404',
    ('DELETE', '/api/v1/calendar/feeds/{id}/', 'other_organisation'):
        '404   404   204   404   404   404   404   404   404   404   401   404',
    ('POST', '/api/v1/calendar/feeds/{id}/rotate/', 'central_organisation'):
        '201   404   404   404   404   404   404   404   404   404   401   404',
    ('POST', '/api/v1/calendar/feeds/{id}/rotate/', 'hanoi_personal'):
        '404   201   404   404   404   404   404   404   404   404   401   404',
    ('POST', '/api/v1/calendar/feeds/{id}/rotate/', 'other_organisation'):
        '404   404   201   404   404   404   404   404   404   404   401   404',
    ('GET', '/api/v1/document-uploads/{id}/', 'hanoi'):
        '404   200   404   404   403   403   403   403   403   403   401   404',
    ('GET', '/api/v1/document-uploads/{id}/', 'national'):
        '200   404   404   404   403   403   403   403   403   403   401   404',
    ('GET', '/api/v1/document-uploads/{id}/', 'secret'):
        '404   200   404   404   403   403   403   403   403   403   401   404',
    ('DELETE', '/api/v1/document-uploads/{id}/', 'hanoi'):
        '404   204   404   404   403   403   403   403   403   403   401   404',
    ('DELETE', '/api/v1/document-uploads/{id}/', 'national'):
        '204   404   404   404   403   403   403   403   403   403   401   404',
    ('DELETE', '/api/v1/document-uploads/{id}/', 'secret'):
        '404   204   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/document-uploads/{id}/complete/', 'hanoi'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/document-uploads/{id}/complete/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/document-uploads/{id}/complete/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('PUT', '/api/v1/document-uploads/{id}/parts/{number}/', 'hanoi'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('PUT', '/api/v1/document-uploads/{id}/parts/{number}/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   404',
    ('PUT', '/api/v1/document-uploads/{id}/parts/{number}/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/document-uploads/{id}/sign/', 'hanoi'):
        '404   409   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/document-uploads/{id}/sign/', 'national'):
        '409   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/document-uploads/{id}/sign/', 'secret'):
        '404   409   404   404   403   403   403   403   403   403   401   404',
    ('GET', '/api/v1/endpoints/', '-'):
        '200   200   200   200   200   200   200   200   200   200   401   200',
    # The site import: the web import page's permission and jobs (the acting office's).
    ('POST', '/api/v1/endpoints/imports/', '-'):
        '415   415   415   415   415   403   403   403   403   403   401   415',
    ('GET', '/api/v1/endpoints/imports/{id}/', 'central_job'):
        '200   404   404   404   200   403   403   403   403   403   401   200',
    ('GET', '/api/v1/endpoints/imports/{id}/', 'hanoi_job'):
        '404   200   404   200   200   403   403   403   403   403   401   404',
    ('GET', '/api/v1/endpoints/{code}/', 'T01'):
        '200   200   200   200   200   200   200   200   200   200   401   200',
    ('GET', '/api/v1/endpoints/{code}/', 'T02'):
        '200   200   200   200   200   200   200   200   200   200   401   200',
    # A readiness report from a machine: technicians only, about a leg of a site they
    # serve (X0101's leg: tech_hn), as on the socket; `{}` is a 400 for them.
    ('POST', '/api/v1/legs/{leg_id}/reports/', 'hanoi'):
        '403   403   403   403   403   400   404   404   403   403   401   403',
    ('POST', '/api/v1/legs/{leg_id}/reports/', 'national'):
        '403   403   403   403   403   400   404   404   403   403   401   403',
    ('POST', '/api/v1/legs/{leg_id}/reports/', 'secret'):
        '403   403   403   403   403   400   404   404   403   403   401   403',
    ('GET', '/api/v1/meetings/', '-'):
        '200   200   200   200   200   200   200   200   200   200   401   200',
    ('POST', '/api/v1/meetings/', '-'):
        '400   400   400   400   403   403   403   403   403   403   401   400',
    ('POST', '/api/v1/meetings/check/', '-'):
        '400   400   400   400   403   403   403   403   403   403   401   400',
    ('GET', '/api/v1/meetings/{id}/', 'hanoi'):
        '200   200   404   200   404   200   404   404   404   404   401   200',
    ('GET', '/api/v1/meetings/{id}/', 'national'):
        '200   200   200   200   404   200   200   200   200   404   401   200',
    ('GET', '/api/v1/meetings/{id}/', 'secret'):
        '200   200   404   200   404   200   404   404   200   404   401   200',
    # Editing a session's details: as its other changes (the owning office's secretariat,
    # a confidential one only if invited); `{}` is a 400 for them.
    ('PATCH', '/api/v1/meetings/{id}/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('PATCH', '/api/v1/meetings/{id}/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('PATCH', '/api/v1/meetings/{id}/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    # Attendees: read as the session's records (whoever may read its details), changed as
    # the session. The attendee asked about is "invited", who does not attend "hanoi":
    # removing them from it is a 404 even for its office.
    ('GET', '/api/v1/meetings/{meeting_id}/attendees/', 'hanoi'):
        '200   200   404   200   404   200   404   404   404   404   401   200',
    ('GET', '/api/v1/meetings/{meeting_id}/attendees/', 'national'):
        '200   200   200   200   404   200   200   200   200   404   401   200',
    ('GET', '/api/v1/meetings/{meeting_id}/attendees/', 'secret'):
        '404   200   404   404   404   404   404   404   200   404   401   404',
    # The legs a socket client watches: the board page's rule (meetings.visibility.board_part).
    ('GET', '/api/v1/meetings/{meeting_id}/legs/', 'hanoi'):
        '200   200   404   200   404   404   404   404   404   404   401   200',
    ('GET', '/api/v1/meetings/{meeting_id}/legs/', 'national'):
        '200   200   200   200   404   404   200   404   404   404   401   200',
    ('GET', '/api/v1/meetings/{meeting_id}/legs/', 'secret'):
        '404   200   404   404   404   404   404   404   404   404   401   404',
    # The readiness report as JSON: the HTML report's rule (meetings.readiness.watching).
    ('GET', '/api/v1/meetings/{meeting_id}/readiness/', 'hanoi'):
        '200   200   404   200   404   404   404   404   404   404   401   200',
    ('GET', '/api/v1/meetings/{meeting_id}/readiness/', 'national'):
        '200   200   200   200   404   404   200   404   404   404   401   200',
    ('GET', '/api/v1/meetings/{meeting_id}/readiness/', 'secret'):
        '404   200   404   404   404   404   404   404   404   404   401   404',
    ('GET', '/api/v1/meetings/{meeting_id}/readiness/sites/', 'hanoi'):
        '200   200   404   200   404   404   404   404   404   404   401   200',
    ('GET', '/api/v1/meetings/{meeting_id}/readiness/sites/', 'national'):
        '200   200   200   200   404   404   200   404   404   404   401   200',
    ('GET', '/api/v1/meetings/{meeting_id}/readiness/sites/', 'secret'):
        '404   200   404   404   404   404   404   404   404   404   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/attendees/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/attendees/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('POST', '/api/v1/meetings/{meeting_id}/attendees/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('PATCH', '/api/v1/meetings/{meeting_id}/attendees/{user_id}/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('PATCH', '/api/v1/meetings/{meeting_id}/attendees/{user_id}/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('PATCH', '/api/v1/meetings/{meeting_id}/attendees/{user_id}/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('DELETE', '/api/v1/meetings/{meeting_id}/attendees/{user_id}/', 'hanoi'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('DELETE', '/api/v1/meetings/{meeting_id}/attendees/{user_id}/', 'national'):
        '204   404   404   404   403   403   403   403   403   403   401   204',
    ('DELETE', '/api/v1/meetings/{meeting_id}/attendees/{user_id}/', 'secret'):
        '404   204   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{id}/cancel/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{id}/cancel/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('POST', '/api/v1/meetings/{id}/cancel/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{id}/reschedule/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{id}/reschedule/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('POST', '/api/v1/meetings/{id}/reschedule/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{id}/sites/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{id}/sites/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('POST', '/api/v1/meetings/{id}/sites/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/document-uploads/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/document-uploads/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('POST', '/api/v1/meetings/{meeting_id}/document-uploads/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/recording-uploads/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/recording-uploads/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('POST', '/api/v1/meetings/{meeting_id}/recording-uploads/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('GET', '/api/v1/meetings/{meeting_id}/records/', 'hanoi'):
        '200   200   404   200   404   200   404   404   404   404   401   200',
    ('GET', '/api/v1/meetings/{meeting_id}/records/', 'national'):
        '200   200   200   200   404   200   200   200   200   404   401   200',
    ('GET', '/api/v1/meetings/{meeting_id}/records/', 'secret'):
        '404   200   404   404   404   404   404   404   200   404   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/records/', 'hanoi'):
        '404   415   404   415   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/records/', 'national'):
        '415   404   404   404   403   403   403   403   403   403   401   415',
    ('POST', '/api/v1/meetings/{meeting_id}/records/', 'secret'):
        '404   415   404   404   403   403   403   403   403   403   401   404',
    # The conclusion notice: no session has one here, so reading is 404 for all; saving
    # the draft is the owning office's (an empty body is refused, 415 as a form).
    ('GET', '/api/v1/meetings/{meeting_id}/conclusions/', 'hanoi'):
        '404   404   404   404   404   404   404   404   404   404   401   404',
    ('GET', '/api/v1/meetings/{meeting_id}/conclusions/', 'national'):
        '404   404   404   404   404   404   404   404   404   404   401   404',
    ('GET', '/api/v1/meetings/{meeting_id}/conclusions/', 'secret'):
        '404   404   404   404   404   404   404   404   404   404   401   404',
    ('PUT', '/api/v1/meetings/{meeting_id}/conclusions/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('PUT', '/api/v1/meetings/{meeting_id}/conclusions/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('PUT', '/api/v1/meetings/{meeting_id}/conclusions/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/submit/', 'hanoi'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/submit/', 'national'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/submit/', 'secret'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/approve/', 'hanoi'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/approve/', 'national'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/approve/', 'secret'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/return/', 'hanoi'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/return/', 'national'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/return/', 'secret'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/sign/', 'hanoi'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/sign/', 'national'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/sign/', 'secret'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/publish/', 'hanoi'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/publish/', 'national'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/meetings/{meeting_id}/conclusions/publish/', 'secret'):
        '404   404   404   404   403   403   403   403   403   403   401   404',
    ('GET', '/api/v1/record-versions/{id}/', 'hanoi'):
        '200   200   404   200   404   200   404   404   404   404   401   200',
    ('GET', '/api/v1/record-versions/{id}/', 'national'):
        '200   200   200   200   404   200   200   200   200   404   401   200',
    ('GET', '/api/v1/record-versions/{id}/', 'secret'):
        '404   200   404   404   404   404   404   404   200   404   401   404',
    ('POST', '/api/v1/record-versions/{id}/approve/', 'hanoi'):
        '404   409   404   409   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/record-versions/{id}/approve/', 'national'):
        '409   404   404   404   403   403   403   403   403   403   401   409',
    ('POST', '/api/v1/record-versions/{id}/approve/', 'secret'):
        '404   409   404   404   403   403   403   403   403   403   401   404',
    ('GET', '/api/v1/record-versions/{id}/download/', 'hanoi'):
        '200   200   404   200   404   200   404   404   404   404   401   200',
    ('GET', '/api/v1/record-versions/{id}/download/', 'national'):
        '200   200   200   200   404   200   200   200   200   404   401   200',
    ('GET', '/api/v1/record-versions/{id}/download/', 'secret'):
        '404   200   404   404   404   404   404   404   200   404   401   404',
    ('POST', '/api/v1/record-versions/{id}/return/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/record-versions/{id}/return/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('POST', '/api/v1/record-versions/{id}/return/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/record-versions/{id}/submit/', 'hanoi'):
        '404   409   404   409   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/record-versions/{id}/submit/', 'national'):
        '409   404   404   404   403   403   403   403   403   403   401   409',
    ('POST', '/api/v1/record-versions/{id}/submit/', 'secret'):
        '404   409   404   404   403   403   403   403   403   403   401   404',
    ('GET', '/api/v1/recording-uploads/{id}/', 'hanoi'):
        '404   200   404   404   403   403   403   403   403   403   401   404',
    ('GET', '/api/v1/recording-uploads/{id}/', 'national'):
        '200   404   404   404   403   403   403   403   403   403   401   404',
    ('GET', '/api/v1/recording-uploads/{id}/', 'secret'):
        '404   200   404   404   403   403   403   403   403   403   401   404',
    ('DELETE', '/api/v1/recording-uploads/{id}/', 'hanoi'):
        '404   204   404   404   403   403   403   403   403   403   401   404',
    ('DELETE', '/api/v1/recording-uploads/{id}/', 'national'):
        '204   404   404   404   403   403   403   403   403   403   401   404',
    ('DELETE', '/api/v1/recording-uploads/{id}/', 'secret'):
        '404   204   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/recording-uploads/{id}/complete/', 'hanoi'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/recording-uploads/{id}/complete/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/recording-uploads/{id}/complete/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('PUT', '/api/v1/recording-uploads/{id}/parts/{number}/', 'hanoi'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('PUT', '/api/v1/recording-uploads/{id}/parts/{number}/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   404',
    ('PUT', '/api/v1/recording-uploads/{id}/parts/{number}/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/recording-uploads/{id}/sign/', 'hanoi'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/recording-uploads/{id}/sign/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/recording-uploads/{id}/sign/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    # The people import's API: multipart only (the matrix posts JSON: 415 once allowed).
    # Offices and their people: the people pages' rule (people.scope), the acting office's
    # jurisdiction; an office outside answers as a missing one.
    ('GET', '/api/v1/offices/', '-'):
        '200   200   200   200   200   403   403   403   403   403   401   200',
    ('GET', '/api/v1/offices/{id}/people/', 'central_office'):
        '200   404   404   404   200   403   403   403   403   403   401   200',
    ('GET', '/api/v1/offices/{id}/people/', 'hanoi_office'):
        '200   200   404   200   200   403   403   403   403   403   401   200',
    ('GET', '/api/v1/offices/{id}/people/', 'other_office'):
        '200   404   200   404   200   403   403   403   403   403   401   200',
    ('POST', '/api/v1/people/imports/', '-'):
        '415   415   415   415   415   403   403   403   403   403   401   415',
    ('GET', '/api/v1/people/imports/{id}/', 'central_people_job'):
        '200   404   404   404   200   403   403   403   403   403   401   200',
    ('GET', '/api/v1/people/imports/{id}/', 'hanoi_people_job'):
        '404   200   404   200   200   403   403   403   403   403   401   404',
    ('POST', '/api/v1/records/{id}/legal-hold/', 'hanoi'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/records/{id}/legal-hold/', 'national'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('POST', '/api/v1/records/{id}/legal-hold/', 'secret'):
        '404   400   404   404   403   403   403   403   403   403   401   404',
    # One's own API tokens through the API (a read-write token may make and revoke them).
    ('GET', '/api/v1/tokens/', '-'):
        '200   200   200   200   200   200   200   200   200   200   401   200',
    ('POST', '/api/v1/tokens/', '-'):
        '400   400   400   400   400   400   400   400   400   400   401   400',
    ('DELETE', '/api/v1/tokens/{id}/', 'hanoi_token'):
        '404   204   404   404   404   404   404   404   404   404   401   404',
    ('DELETE', '/api/v1/tokens/{id}/', 'service_token'):
        '404   404   404   404   404   404   404   404   404   404   401   404',
    # Webhook subscriptions (integrations.subscriptions): the acting office's secretariat,
    # its own office's only; another office's answers as a missing one.
    ('GET', '/api/v1/webhooks/', '-'):
        '200   200   200   200   403   403   403   403   403   403   401   200',
    ('POST', '/api/v1/webhooks/', '-'):
        '400   400   400   400   403   403   403   403   403   403   401   400',
    ('GET', '/api/v1/webhooks/{id}/', 'central_webhook'):
        '200   404   404   404   403   403   403   403   403   403   401   200',
    ('GET', '/api/v1/webhooks/{id}/', 'hanoi_webhook'):
        '404   200   404   200   403   403   403   403   403   403   401   404',
    ('PATCH', '/api/v1/webhooks/{id}/', 'central_webhook'):
        '200   404   404   404   403   403   403   403   403   403   401   200',
    ('PATCH', '/api/v1/webhooks/{id}/', 'hanoi_webhook'):
        '404   200   404   200   403   403   403   403   403   403   401   404',
    ('DELETE', '/api/v1/webhooks/{id}/', 'central_webhook'):
        '204   404   404   404   403   403   403   403   403   403   401   204',
    ('DELETE', '/api/v1/webhooks/{id}/', 'hanoi_webhook'):
        '404   204   404   204   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/webhooks/{id}/rotate-secret/', 'central_webhook'):
        '200   404   404   404   403   403   403   403   403   403   401   200',
    ('POST', '/api/v1/webhooks/{id}/rotate-secret/', 'hanoi_webhook'):
        '404   200   404   200   403   403   403   403   403   403   401   404',
    ('GET', '/api/v1/webhooks/{id}/deliveries/', 'central_webhook'):
        '200   404   404   404   403   403   403   403   403   403   401   200',
    ('GET', '/api/v1/webhooks/{id}/deliveries/', 'hanoi_webhook'):
        '404   200   404   200   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver/', 'central_webhook'):
        '202   404   404   404   403   403   403   403   403   403   401   202',
    ('POST', '/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver/', 'hanoi_webhook'):
        '404   202   404   202   403   403   403   403   403   403   401   404',
    # Conclusion tasks (meetings.followup.access): the assigned office's secretariat and
    # the assigning office's (the centre, and "two_token", which acts for it) see a task;
    # the assigned office reports, the assigning one decides; anyone else's task, or a
    # step one may not take, answers as a missing one. Pages take no token.
    ('GET', 'tasks/', '-'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('POST', 'tasks/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'tasks/follow-up/', '-'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('POST', 'tasks/follow-up/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'tasks/follow-up/export/<slug:fmt>/', '-'):
        '200   200   200   200   403   403   403   403   403   403   login login',
    ('POST', 'tasks/follow-up/export/<slug:fmt>/', '-'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'tasks/<int:task_id>/', 'hanoi_task'):
        '200   200   404   200   403   403   403   403   403   403   login login',
    ('GET', 'tasks/<int:task_id>/', 'other_task'):
        '200   404   200   404   403   403   403   403   403   403   login login',
    ('POST', 'tasks/<int:task_id>/', 'hanoi_task'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'tasks/<int:task_id>/', 'other_task'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'tasks/<int:task_id>/steps/<slug:step>/', 'hanoi_task'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', 'tasks/<int:task_id>/steps/<slug:step>/', 'other_task'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'tasks/<int:task_id>/steps/<slug:step>/', 'hanoi_task'):
        '404   400   404   400   403   403   403   403   403   403   login login',
    ('POST', 'tasks/<int:task_id>/steps/<slug:step>/', 'other_task'):
        '404   404   400   404   403   403   403   403   403   403   login login',
    ('GET', 'tasks/<int:task_id>/evidence/<int:file_id>/', 'hanoi_task'):
        '200   200   404   200   403   403   403   403   403   403   login login',
    ('GET', 'tasks/<int:task_id>/evidence/<int:file_id>/', 'other_task'):
        '200   404   200   404   403   403   403   403   403   403   login login',
    ('POST', 'tasks/<int:task_id>/evidence/<int:file_id>/', 'hanoi_task'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('POST', 'tasks/<int:task_id>/evidence/<int:file_id>/', 'other_task'):
        '405   405   405   405   405   405   405   405   405   405   405   405',
    ('GET', '/api/v1/tasks/', '-'):
        '200   200   200   200   403   403   403   403   403   403   401   200',
    ('GET', '/api/v1/tasks/{task_id}/', 'hanoi_task'):
        '200   200   404   200   403   403   403   403   403   403   401   200',
    ('GET', '/api/v1/tasks/{task_id}/', 'other_task'):
        '200   404   200   404   403   403   403   403   403   403   401   200',
    ('GET', '/api/v1/tasks/{task_id}/events/{event_id}/', 'hanoi_task'):
        '200   200   404   200   403   403   403   403   403   403   401   200',
    ('GET', '/api/v1/tasks/{task_id}/events/{event_id}/', 'other_task'):
        '200   404   200   404   403   403   403   403   403   403   401   200',
    ('POST', '/api/v1/tasks/{task_id}/reports/', 'hanoi_task'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/tasks/{task_id}/reports/', 'other_task'):
        '404   404   400   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/tasks/{task_id}/extension-requests/', 'hanoi_task'):
        '404   400   404   400   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/tasks/{task_id}/extension-requests/', 'other_task'):
        '404   404   400   404   403   403   403   403   403   403   401   404',
    ('POST', '/api/v1/tasks/{task_id}/decisions/', 'hanoi_task'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    ('POST', '/api/v1/tasks/{task_id}/decisions/', 'other_task'):
        '400   404   404   404   403   403   403   403   403   403   401   400',
    # --- WebSocket routes ---
    # The token column is a program's socket: Bearer token, no Origin; it acts for VPCP.
    ('WS', '^ws/conferences/(?P<conference_id>[0-9]{1,18})/board/$', 'hanoi'):
        'open  open  4403  open  4403  4403  4403  4403  4403  4403  4403  open',
    ('WS', '^ws/conferences/(?P<conference_id>[0-9]{1,18})/board/$', 'national'):
        'open  open  open  open  4403  4403  open  4403  4403  4403  4403  open',
    ('WS', '^ws/conferences/(?P<conference_id>[0-9]{1,18})/board/$', 'secret'):
        '4403  open  4403  4403  4403  4403  4403  4403  4403  4403  4403  4403',
    ('WS', '^ws/readiness/$', '-'):
        'open  open  open  open  open  open  open  open  open  open  4403  open',
}
# fmt: on


# --- enumeration ---------------------------------------------------------------------------------


def resolver_routes() -> list[str]:
    def walk(patterns, prefix: str = ""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))


def is_skipped(route: str) -> bool:
    return any(route.startswith(prefix) for prefix in SKIPPED)


def web_routes() -> list[str]:
    """Resolver patterns answered by pages (the API's are the schema's operations)."""
    return [
        route
        for route in resolver_routes()
        if not is_skipped(route)
        and not (route.startswith("api/v1/") and route not in ("api/v1/schema/", "api/v1/docs/"))
    ]


def schema_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


def socket_routes() -> list[str]:
    """Every socket route but the catch-all, which closes any other path with 4404 for
    everyone (tests/config/test_websocket_routes.py)."""
    return [str(route.pattern) for route in websocket_urlpatterns if str(route.pattern) != ""]


def enumerated() -> set[tuple[str, str, str]]:
    keys = {
        (method, route, obj)
        for route in web_routes()
        for method in ("GET", "POST")
        for obj in objects_for(route)
    }
    keys |= {
        (method, path, obj) for method, path in schema_operations() for obj in objects_for(path)
    }
    keys |= {
        ("WS", route, obj)
        for route in socket_routes()
        for obj in (MEETINGS if "conference_id" in route else NONE)
    }
    return keys


SITE_CODES = ("TW", "T01", "X0101", "X0102", "T02", "X0201")


# --- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    users: dict
    meetings: dict
    records: dict
    versions: dict
    recording_uploads: dict
    document_uploads: dict
    bridges: dict
    feeds: dict  # name -> (pk, token)
    jobs: dict
    people_jobs: dict
    offices: dict
    invitations: dict  # name -> the link's raw token
    people: dict  # name -> a person the people pages are asked about
    reset_links: dict  # name -> (uidb64, token) of a password-reset link
    answer_links: dict  # name -> the token of an invitation's answer link
    tokens: dict  # name -> ApiToken pk
    service_accounts: dict  # name -> user pk
    legs: dict  # meeting name -> the pk of its leg of the Hà Nội commune X0101
    webhooks: dict  # name -> (subscription pk, pk of one of its deliveries)
    tasks: dict  # name -> (task pk, pk of its progress report, pk of that report's file)


def an_upload(meeting, owner, kind: str, name: str) -> RecordingUpload:
    return RecordingUpload.objects.create(
        meeting=meeting,
        created_by=owner,
        kind=kind,
        title="Tài liệu",
        original_name="a.pdf" if kind != RecordKind.RECORDING else "a.mp4",
        size=10,
        content_type="application/pdf" if kind != RecordKind.RECORDING else "video/mp4",
        key=f"uploads/matrix-{name}-{kind}",
        mode=UploadMode.APP,
        part_size=10,
        part_count=1,
    )


def build_world() -> World:
    sites = site_tree(provinces=2, communes=2)
    central = central_office()
    hanoi_office = OfficeFactory(
        code="VPUB-T01", name="Văn phòng UBND Hà Nội", jurisdiction=sites["T01"]
    )
    other_office = OfficeFactory(
        code="VPUB-T02", name="Văn phòng UBND tỉnh khác", jurisdiction=sites["T02"]
    )
    secretariat = [Role.SECRETARIAT]
    users = {
        "central": UserFactory(username="m_central", roles=secretariat, offices=[central]),
        "hanoi": UserFactory(username="m_hanoi", roles=secretariat, offices=[hanoi_office]),
        "other": UserFactory(username="m_other", roles=secretariat, offices=[other_office]),
        "two": UserFactory(username="m_two", roles=secretariat, offices=[central, hanoi_office]),
        "root": UserFactory(username="m_root", is_superuser=True, is_staff=True),
        "tech_hn": UserFactory(username="m_tech_hn", roles=[Role.TECHNICIAN]),
        "tech_host": UserFactory(username="m_tech_host", roles=[Role.TECHNICIAN]),
        "tech_other": UserFactory(username="m_tech_other", roles=[Role.TECHNICIAN]),
        "invited": UserFactory(username="m_invited", roles=[Role.ATTENDEE]),
        "uninvited": UserFactory(username="m_uninvited", roles=[Role.ATTENDEE]),
    }
    serve(users["tech_hn"], "X0101")
    serve(users["tech_host"], "TW")
    serve(users["tech_other"], "X0201")
    bridges = {
        "central_bridge": BridgeFactory(name="MCU TW", owner=central),
        "hanoi_bridge": BridgeFactory(name="MCU Hà Nội", owner=hanoi_office),
        "other_bridge": BridgeFactory(name="MCU tỉnh khác", owner=other_office),
    }
    invited = ((users["invited"].pk, "member"),)
    meetings = {
        "national": booked(
            users["central"],
            details=DetailsFactory(title="Phiên toàn quốc", attendees=invited),
            sites=SiteSelection(sites=("TW", "T01", "X0101", "T02", "X0201")),
            host_code="TW",
            slot__start=local_time(7, 8),
            bridge_id=bridges["central_bridge"].pk,
        ),
        "hanoi": booked(
            users["hanoi"],
            details=DetailsFactory(title="Giao ban Hà Nội"),
            sites=SiteSelection(sites=("T01", "X0101", "X0102")),
            host_code="T01",
            slot__start=local_time(8, 8),
            bridge_id=bridges["hanoi_bridge"].pk,
        ),
        "secret": booked(
            users["hanoi"],
            details=DetailsFactory(
                title="Phiên mật", classification=Classification.CONFIDENTIAL, attendees=invited
            ),
            sites=SiteSelection(sites=("T01", "X0101")),
            host_code="T01",
            slot__start=local_time(9, 8),
            bridge_id=bridges["hanoi_bridge"].pk,
        ),
    }
    owners = {"national": users["central"], "hanoi": users["hanoi"], "secret": users["hanoi"]}
    records, versions, recording_uploads, document_uploads = {}, {}, {}, {}
    for name, meeting in meetings.items():
        record = RecordFactory(
            meeting=meeting, kind=RecordKind.AGENDA, title=f"Chương trình {name}"
        )
        records[name] = record
        versions[name] = stored_version(record=record, uploaded_by=owners[name])
        recording_uploads[name] = an_upload(meeting, owners[name], RecordKind.RECORDING, name)
        document_uploads[name] = an_upload(meeting, owners[name], RecordKind.AGENDA, name)
    personal, personal_token = feed_tokens.create(
        users["hanoi"], feed_tokens.FeedScope(kind=FeedKind.PERSONAL)
    )
    organisation, organisation_token = feed_tokens.create(
        users["central"], feed_tokens.FeedScope(kind=FeedKind.ORGANISATION)
    )
    province, province_token = feed_tokens.create(
        users["other"], feed_tokens.FeedScope(kind=FeedKind.ORGANISATION)
    )
    feeds = {
        "hanoi_personal": (personal.pk, personal_token),
        "central_organisation": (organisation.pk, organisation_token),
        "other_organisation": (province.pk, province_token),
    }
    offices = {"central": central, "hanoi": hanoi_office, "other": other_office}
    jobs = {
        f"{name}_job": EndpointImportJob.objects.create(
            created_by=users[name],
            office=offices[name],
            file_name=f"{name}.csv",
            data=b"code,name\n",
        )
        for name in ("central", "hanoi")
    }
    people_jobs = {
        f"{name}_people_job": PeopleImportJob.objects.create(
            created_by=users[name],
            office=offices[name],
            file_name=f"{name}.csv",
            data=b"full_name,email\n",
        )
        for name in ("central", "hanoi")
    }
    service = {
        f"{name}_service": service_accounts.create(
            users[name],
            username=f"m_{name}_service",
            full_name=f"Tích hợp {name}",
            role=Role.SECRETARIAT,
            office_id=offices[name].pk,
        )
        for name in ("central", "hanoi")
    }
    tokens = {
        "hanoi_token": api_tokens.create(users["hanoi"], name="Của tôi", scope=TokenScope.READ),
        "service_token": service_accounts.create_token(
            users["hanoi"],
            service["hanoi_service"],
            name="Cổng",
            scope=TokenScope.READ,
            office_id=hanoi_office.pk,
        ),
    }
    return World(
        users=users,
        meetings=meetings,
        records=records,
        versions=versions,
        recording_uploads=recording_uploads,
        document_uploads=document_uploads,
        bridges=bridges,
        feeds=feeds,
        jobs=jobs,
        people_jobs=people_jobs,
        offices=offices,
        invitations={"invitation": invitations.issue(UserFactory(username="m_newcomer"), None)},
        # The technicians of a Hà Nội commune and of a commune of the other province.
        people={"hanoi_person": users["tech_hn"], "other_person": users["tech_other"]},
        reset_links={"reset_link": reset_link_of(UserFactory(username="m_forgetful"))},
        answer_links=answer_links_of(users["invited"], meetings["secret"]),
        tokens={name: made.token.pk for name, made in tokens.items()},
        service_accounts={name: account.pk for name, account in service.items()},
        legs={
            name: meeting.conference.legs.get(endpoint__code="X0101").pk
            for name, meeting in meetings.items()
        },
        webhooks={
            f"{name}_webhook": webhook_of(offices[name], users[name])
            for name in ("central", "hanoi")
        },
        tasks=tasks_of(users, offices, bridges["central_bridge"]),
    )


def tasks_of(users: dict, offices: dict, bridge) -> dict[str, tuple[int, int, int]]:
    """The centre's session of its own whose published notice assigns a task to Hà Nội
    and one to the other province (the three sessions of the world keep no notice)."""
    meeting = booked(
        users["central"],
        details=DetailsFactory(title="Phiên giao nhiệm vụ"),
        sites=SiteSelection(sites=("TW", "T01", "T02")),
        host_code="TW",
        slot__start=local_time(10, 8),
        bridge_id=bridge.pk,
    )
    return {
        f"{name}_task": task_of(meeting, offices[name], users[name], position)
        for position, name in enumerate(("hanoi", "other"), start=1)
    }


def task_of(meeting, office, reporter, position: int) -> tuple[int, int, int]:
    """A task of the meeting's published notice assigned to `office`, with one progress
    report by `reporter` carrying one evidence file."""
    notice, _made = ConclusionNotice.objects.get_or_create(
        meeting=meeting,
        defaults={
            "state": NoticeState.PUBLISHED,
            "due_on": local_time(7, 8).date(),
            "drafted_by": meeting.organiser,
            "published_at": local_time(7, 8),
            "number_symbol": "1/TB-VPCP",
        },
    )
    deadline = local_time(30, 8).date()
    item = ConclusionItem.objects.create(
        notice=notice,
        position=position,
        text=f"Nhiệm vụ {position}",
        is_task=True,
        deadline_on=deadline,
    )
    item.offices.add(office)
    task = Task.objects.create(item=item, office=office, deadline_on=deadline)
    event = followup_actions.report_progress(
        reporter,
        task,
        percent=10,
        files=[SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.7 matrix", "application/pdf")],
    )
    return task.pk, event.pk, event.evidence.get().pk


def webhook_of(office, user) -> tuple[int, int]:
    """A subscription of the office and one delivery of it (a failed one)."""
    subscription = WebhookSubscription.objects.create(
        office=office,
        url="https://hooks.example.vn/giaoban",
        secret=webhook_signing.new_secret(),
        events=["meeting.booked"],
        created_by=user,
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=f"msg_matrix{office.pk}",
        event_type="meeting.booked",
        payload={},
        status=DeliveryStatus.FAILED,
    )
    return subscription.pk, delivery.pk


def answer_links_of(user, meeting) -> dict[str, str]:
    """The person's answer link to the meeting's e-mailed invitation, and a forged one."""
    SentInvitation.objects.create(uid=meeting.uid, user=user, sequence=0, method="REQUEST")
    forged = signing.TimestampSigner(salt="forged").sign_object([user.pk, meeting.uid, "accepted"])
    return {
        "answer_link": answers.answer_token(user.pk, meeting.uid, "accepted"),
        "forged_answer_link": forged,
    }


def reset_link_of(user) -> tuple[str, str]:
    return urlsafe_base64_encode(str(user.pk).encode()), default_token_generator.make_token(user)


TOKEN = "token:"


def session_cookies(world: World) -> dict[str, str | None]:
    """A signed-in session per persona; "two" acts for Hà Nội (not its first office);
    "two_token" is "two"'s API token, made for VPCP ("token:<key>": no session)."""
    made = api_tokens.create(
        world.users["two"],
        name="Tích hợp",
        scope=TokenScope.READ_WRITE,
        office_id=world.offices["central"].pk,
    )
    cookies: dict[str, str | None] = {"anon": None, "two_token": TOKEN + made.key}
    for name, user in world.users.items():
        client = Client()
        client.force_login(user)
        if name == "two":
            session = client.session
            session[SESSION_KEY] = world.offices["hanoi"].pk
            session.save()
        cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


# --- asking --------------------------------------------------------------------------------------


def concrete(route: str, obj: str, world: World, missing: bool = False) -> str:
    """The path of a route for one object (or for ids that do not exist)."""
    path = route if route.startswith("/") else "/" + route

    def pk(value) -> str:
        return str(MISSING if missing else value)

    if obj in MEETINGS:
        meeting = world.meetings[obj]
        uploads = {
            "record-versions": world.versions[obj].pk,
            "records": world.records[obj].pk,
            "recording-uploads": world.recording_uploads[obj].pk,
            "document-uploads": world.document_uploads[obj].pk,
            "meetings": meeting.pk,
        }
        for segment, value in uploads.items():
            path = path.replace(f"{segment}/{{id}}/", f"{segment}/{pk(value)}/")
            path = path.replace(f"{segment}/<int:pk>/", f"{segment}/{pk(value)}/")
        path = path.replace("<int:meeting_id>", pk(meeting.pk))
        path = path.replace("{meeting_id}", pk(meeting.pk))
        path = path.replace("<int:record_id>", pk(world.records[obj].pk))
        path = path.replace("<int:version_id>", pk(world.versions[obj].pk))
        path = path.replace("<int:leg_id>", pk(world.legs[obj]))
        path = path.replace("{leg_id}", pk(world.legs[obj]))
        # An attendee: "invited", who attends "national" and "secret" (not "hanoi").
        path = path.replace("{user_id}", pk(world.users["invited"].pk))
    elif obj in BRIDGES:
        path = path.replace("{id}", pk(world.bridges[obj].pk))
        path = path.replace("<int:bridge_id>", pk(world.bridges[obj].pk))
    elif obj in OFFICES:
        office = world.offices[obj.removesuffix("_office")]
        path = path.replace("<int:office_id>", pk(office.pk)).replace("{id}", pk(office.pk))
    elif obj in SITES:
        code = MISSING_CODE if missing else obj
        path = path.replace("{code}", code).replace("<str:code>", code)
    elif obj in FEEDS:
        feed_pk, token = world.feeds[obj]
        path = path.replace("<int:feed_id>", pk(feed_pk)).replace("{id}", pk(feed_pk))
        path = path.replace("<str:token>", MISSING_TOKEN if missing else token)
    elif obj in INVITATIONS:
        token = MISSING_TOKEN if missing else world.invitations[obj]
        path = path.replace("<str:token>", token)
    elif obj in ANSWER_LINKS:
        token = MISSING_TOKEN if missing else world.answer_links[obj]
        path = path.replace("<str:token>", token)
    elif obj in RESET_LINKS:
        uid, token = world.reset_links[obj]
        if missing:
            uid, token = urlsafe_base64_encode(str(MISSING).encode()), "x-" + "x" * 32
        path = path.replace("<uidb64>", uid).replace("<token>", token)
    elif obj in JOBS:
        path = path.replace("<int:job_id>", pk(world.jobs[obj].pk))
        path = path.replace("{id}", pk(world.jobs[obj].pk))
    elif obj in PEOPLE:
        path = path.replace("<int:person_id>", pk(world.people[obj].pk))
    elif obj in PEOPLE_JOBS:
        path = path.replace("<int:job_id>", pk(world.people_jobs[obj].pk))
        path = path.replace("{id}", pk(world.people_jobs[obj].pk))
    elif obj in TOKENS:
        path = path.replace("<int:token_id>", pk(world.tokens[obj]))
        path = path.replace("tokens/{id}", f"tokens/{pk(world.tokens[obj])}")
    elif obj in SERVICE_ACCOUNTS:
        path = path.replace("<int:account_id>", pk(world.service_accounts[obj]))
    elif obj in DOCUMENT_KINDS:
        path = path.replace("<str:kind>", "memo" if missing else obj.removesuffix("_kind"))
    elif obj in WEBHOOKS:
        subscription_pk, delivery_pk = world.webhooks[obj]
        path = path.replace("webhooks/{id}", f"webhooks/{pk(subscription_pk)}")
        path = path.replace("{delivery_id}", pk(delivery_pk))
    elif obj in TASKS:
        task_pk, event_pk, file_pk = world.tasks[obj]
        path = path.replace("<int:task_id>", pk(task_pk)).replace("{task_id}", pk(task_pk))
        path = path.replace("{event_id}", pk(event_pk)).replace("<int:file_id>", pk(file_pk))
        path = path.replace("<slug:step>", "progress")
    path = path.replace("<slug:fmt>", "csv")
    path = path.replace("{number}", "1").replace("<int:number>", "1")
    assert "<" not in path and "{" not in path, path
    return path


def outcome(response) -> str:
    if response.status_code != 302:
        return str(response.status_code)
    location = response["Location"]
    if location.startswith(resolve_url(settings.LOGIN_URL)):
        return "login"
    if served_by_the_object_store(location):
        # With S3 storage (the real-services leg) a download answers with a redirect to a
        # presigned URL where local storage streams the file: the same "yes" to the
        # question the matrix asks.
        return "200"
    return "302"


def served_by_the_object_store(location: str) -> bool:
    store = settings.S3_PUBLIC_ENDPOINT_URL or settings.S3_ENDPOINT_URL
    return bool(store) and location.startswith(store.rstrip("/") + "/")


def send(client: Client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    if path.startswith("/api/"):
        if "/parts/" in path:
            return client.generic(method, path, b"x", content_type="application/octet-stream")
        return client.generic(method, path, "{}", content_type="application/json")
    return client.generic(method, path, "", content_type="application/x-www-form-urlencoded")


def ask(cookie: str | None, method: str, path: str):
    """One request in a savepoint rolled back afterwards: a cell never changes the world."""
    client = Client()
    if cookie and cookie.startswith(TOKEN):
        client.defaults["HTTP_AUTHORIZATION"] = "Bearer " + cookie.removeprefix(TOKEN)
    elif cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    with transaction.atomic():
        response = send(client, method, path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    return outcome(response), content


CSRF_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def page(content: bytes, path: str) -> bytes:
    """What a page tells, set aside its CSRF token and the path that was asked."""
    content = CSRF_VALUE.sub(b'name="csrfmiddlewaretoken" value=""', content)
    return content.replace(path.encode(), b"PATH")


def observe(key: tuple[str, str, str], world: World, cookies: dict) -> tuple[str, list[str]]:
    """The row as the system answers it, and the leaks found: refused cells that answer
    differently when the object does not exist."""
    method, route, obj = key
    path = concrete(route, obj, world)
    cells, leaks = [], []
    for persona in PERSONAS:
        cell, content = ask(cookies[persona], method, path)
        cells.append(cell)
        if cell in REFUSED and obj != "-":
            missing_path = concrete(route, obj, world, missing=True)
            missing, missing_content = ask(cookies[persona], method, missing_path)
            same = missing == cell and (
                cell not in ("403", "404")
                or page(missing_content, missing_path) == page(content, path)
            )
            if not same:
                leaks.append(f"{persona}: {cell} for {obj}, {missing} when missing")
        viewer = FEED_OWNERS.get(obj, persona) if "feed/" in route else persona
        viewer = ANSWER_LINK_OWNERS.get(obj, viewer) if "answer/" in route else viewer
        leaks += [
            f"{persona} is shown {title!r}"
            for title, hidden_from in HIDDEN_TITLES.items()
            if viewer in hidden_from and title.encode() in content
        ]
    return " ".join(f"{cell:<5}" for cell in cells).rstrip(), leaks


# Cells where the system is wrong today: the table holds the right answer and the row is
# expected to fail until the code is fixed (strict: it must fail).
KNOWN_LEAKS: dict[tuple[str, str, str], str] = {}

HTTP_KEYS = sorted(key for key in enumerated() if key[0] != "WS")
SOCKET_KEYS = sorted(key for key in enumerated() if key[0] == "WS")


@pytest.fixture(scope="class")
def world(django_db_setup, django_db_blocker):
    """One world for a class of tests, rolled back after it: built once, not per row."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built, session_cookies(built)
        transaction.set_rollback(True)


class TestHttp:
    """Pages and API operations (each cell in a savepoint rolled back after it)."""

    @pytest.mark.parametrize(
        "key",
        [
            pytest.param(key, marks=pytest.mark.xfail(strict=True, reason=KNOWN_LEAKS[key]))
            if key in KNOWN_LEAKS
            else key
            for key in HTTP_KEYS
        ],
        ids=["|".join(key) for key in HTTP_KEYS],
    )
    def test_row(self, world, db, key):
        built, cookies = world

        row, leaks = observe(key, built, cookies)

        assert (row, leaks) == (TABLE.get(key), []), f"{key!r}: {row!r},"

    def test_each_readiness_csv_shows_only_the_watchers_part(self, world, db):
        built, cookies = world
        route = "meetings/<int:meeting_id>/readiness.csv"

        shown = {}
        for meeting, persona in BOARD_SITES:
            _cell, content = ask(cookies[persona], "GET", concrete(route, meeting, built))
            shown[(meeting, persona)] = {code for code in SITE_CODES if code.encode() in content}

        assert shown == BOARD_SITES

    def test_each_site_export_holds_only_the_sites_its_reader_manages(self, world, db):
        _built, cookies = world
        tree = {"TW", "T01", "X0101", "X0102", "T02", "X0201", "X0202"}
        hanoi = {"T01", "X0101", "X0102"}
        expected = {
            "central": tree,
            "hanoi": hanoi,
            "other": {"T02", "X0201", "X0202"},
            "two": hanoi,
            "root": tree,
        }

        exported = {}
        for persona in expected:
            _cell, content = ask(cookies[persona], "GET", "/endpoints/export.csv")
            rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
            exported[persona] = {row[0] for row in list(rows)[1:]}

        assert exported == expected


# --- sockets -------------------------------------------------------------------------------------


def socket_path(route: str, obj: str, world: World, missing: bool = False) -> str:
    path = "/" + route.removeprefix("^").removesuffix("$")
    if obj in MEETINGS:
        conference_id = MISSING if missing else world.meetings[obj].conference_id
        path = re.sub(r"\(\?P<conference_id>[^)]*\)", str(conference_id), path)
    assert "(" not in path, path
    return path


def socket_headers(cookie: str | None) -> list[tuple[bytes, bytes]]:
    """A browser's handshake (Origin, session cookie), or a program's with its token:
    Authorization: Bearer, no Origin, no cookie."""
    if cookie and cookie.startswith(TOKEN):
        bearer = "Bearer " + cookie.removeprefix(TOKEN)
        return [(b"host", b"localhost"), (b"authorization", bearer.encode())]
    return headers_for(cookie)


async def socket_outcome(path: str, cookie: str | None) -> str:
    """ "open" for a socket that stays open, else the code it is closed with."""
    communicator = WebsocketCommunicator(application, path, headers=socket_headers(cookie))
    try:
        connected, code = await communicator.connect(timeout=5)
        if not connected:
            return str(code)
        if await communicator.receive_nothing(timeout=0.3):
            return "open"
        message = await communicator.receive_output(timeout=5)
        if message["type"] == "websocket.close":
            return str(message.get("code", 1000))
        return "open"
    finally:
        await communicator.disconnect(timeout=5)


@pytest.mark.usefixtures("released_connections")
@pytest.mark.django_db(transaction=True)
async def test_sockets():
    """Every socket route, every persona: a refused one is closed with the same code
    whether its conference exists or not."""
    world = await sync_to_async(build_world)()
    cookies = await sync_to_async(session_cookies)(world)
    rows, leaks = {}, []
    for method, route, obj in SOCKET_KEYS:
        cells = []
        for persona in PERSONAS:
            cell = await socket_outcome(socket_path(route, obj, world), cookies[persona])
            cells.append(cell)
            if cell in REFUSED and obj != "-":
                missing = await socket_outcome(
                    socket_path(route, obj, world, missing=True), cookies[persona]
                )
                if missing != cell:
                    leaks.append(f"{persona}: {cell} for {obj}, {missing} when missing")
        rows[(method, route, obj)] = " ".join(f"{cell:<5}" for cell in cells).rstrip()

    assert (rows, leaks) == ({key: TABLE.get(key) for key in SOCKET_KEYS}, [])


# The sites each watcher's board shows (its snapshot's cells): the owning office and the
# host's technicians the whole board, another office whose jurisdiction the session
# touches only its part.
BOARD_SITES = {
    ("national", "central"): {"TW", "T01", "X0101", "T02", "X0201"},
    ("national", "hanoi"): {"T01", "X0101"},
    ("national", "other"): {"T02", "X0201"},
    ("national", "two"): {"T01", "X0101"},
    ("national", "tech_host"): {"TW", "T01", "X0101", "T02", "X0201"},
    ("hanoi", "central"): {"T01", "X0101", "X0102"},
    ("hanoi", "hanoi"): {"T01", "X0101", "X0102"},
    ("hanoi", "two"): {"T01", "X0101", "X0102"},
    ("secret", "hanoi"): {"T01", "X0101"},
}


async def board_sites(path: str, cookie: str | None) -> set[str]:
    """The sites of the board's snapshot (every page of it)."""
    communicator = WebsocketCommunicator(application, path, headers=headers_for(cookie))
    try:
        connected, _code = await communicator.connect(timeout=5)
        assert connected
        sites: set[str] = set()
        legs: list[dict] = []
        while True:
            message = json.loads(await communicator.receive_from(timeout=5))
            if message["type"] != "snapshot":
                continue
            sites |= {cell["site"] for cell in message["content"]["cells"]}
            legs = legs or readiness_board.decode_map(message["content"]["map"])
            if message["content"]["part"] >= message["content"]["parts"]:
                # The map of every leg holds the part's legs only, as the cells do (a
                # small board carries every cell).
                assert len(legs) == len(sites)
                return sites
    finally:
        await communicator.disconnect(timeout=5)


@pytest.mark.usefixtures("released_connections")
@pytest.mark.django_db(transaction=True)
async def test_each_board_shows_only_the_watchers_part():
    world = await sync_to_async(build_world)()
    cookies = await sync_to_async(session_cookies)(world)
    route = next(route for _method, route, obj in SOCKET_KEYS if obj != "-")

    shown = {
        (meeting, persona): await board_sites(socket_path(route, meeting, world), cookies[persona])
        for meeting, persona in BOARD_SITES
    }

    assert shown == BOARD_SITES


# --- the table covers everything -----------------------------------------------------------------


def test_the_table_covers_every_url_operation_and_socket():
    assert sorted(TABLE) == sorted(enumerated())


def test_every_api_url_of_the_resolver_is_an_operation_of_the_schema():
    """The API's rows come from the schema: no API URL may be left out of it."""
    templates = [
        re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for _method, path in schema_operations()
    ]
    api_routes = [
        route
        for route in resolver_routes()
        if route.startswith("api/v1/") and route not in ("api/v1/schema/", "api/v1/docs/")
    ]
    samples = {
        route: "/"
        + re.sub(r"<[^>]+>", "1", re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", route))
        .replace("^", "")
        .replace("$", "")
        for route in api_routes
    }

    outside = [path for path in samples.values() if not any(t.match(path) for t in templates)]

    assert outside == []


def test_only_the_admin_is_left_out():
    skipped = {route.split("/")[0] + "/" for route in resolver_routes() if is_skipped(route)}

    assert skipped == {"admin/"}
