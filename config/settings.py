"""Settings, read from the environment only (README: Configuration)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY: required unless DEBUG is true")
    SECRET_KEY = "insecure-debug-only-key"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for origin in CSRF_TRUSTED_ORIGINS:
    if not origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS: {origin!r} must start with http:// or https://"
        )

INSTALLED_APPS = [
    "daphne",
    # Django's admin on a site that refuses a session without its second factor.
    "accounts.admin_apps.VerifiedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    # Its table is empty since people 0003 carried its keys into people.ApiToken (hashed);
    # it stays installed for the migrations that read it.
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "audit",
    "conferencing",
    "meetings",
    "meetings.records",
    "meetings.calendar",
    "meetings.readiness",
    "meetings.official",
    "meetings.conclusions",
    "meetings.followup",
    "meetings.search",
    "people",
    "httpapi",
    "signatures",
    "workdays",
    # Webhooks (integrations/): above every app it listens to; only config imports it.
    "integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session's second factor (django-otp) ...
    "django_otp.middleware.OTPMiddleware",
    # ... which those who need one must pass before any other page (accounts/second_factor.py).
    "accounts.second_factor_middleware.SecondFactorMiddleware",
    "conferencing.acting_office.ActingOfficeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes requires: it turns a sign-in refused for lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "accounts.context_processors.roles",
                "conferencing.context_processors.offices",
                "people.context_processors.people",
                "people.context_processors.single_sign_on",
            ],
            # {{ user|person_name }}: the full name as written, in every template.
            "builtins": ["accounts.templatetags.people_names"],
        },
    },
]

DATABASES = {"default": database_from_url("DATABASE_URL", VAR_DIR / "giaoban.sqlite3")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT: PostgreSQL compiles queries whose estimated cost is high, such as a
    # calendar feed's 10,000 rows with per-row subqueries, and compiling took up to a
    # second where the query itself takes 0.2 s.
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channel layer: in-memory for one process; with REDIS_URL, the Redis pub/sub
# layer: one PUBLISH per group_send whatever the group size, and the readiness
# protocol resyncs clients from a snapshot after any gap (README: Architecture).
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 1000, 1),
                    }
                ],
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Cache (calendar events' text, feed rate limits): this process's memory by default;
# with REDIS_URL, Redis, shared by every process. The cache only saves work: when it
# fails, feeds are built uncached and rate limits counted in "local", this process's
# memory (meetings/feeds.py). Short socket timeouts, so a hung Redis costs a feed a
# second or two, never a hang.
CACHE_CONNECT_TIMEOUT_S = 1.0
CACHE_READ_TIMEOUT_S = 1.0
LOCAL_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "giaoban-local",
}
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "giaoban",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_CONNECT_TIMEOUT_S,
                "socket_timeout": CACHE_READ_TIMEOUT_S,
            },
        },
        "local": LOCAL_CACHE,
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "giaoban",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 50_000, 100)},
        },
        "local": LOCAL_CACHE,
    }

# The address people reach the web interface at: links in calendar events and e-mails.
SITE_URL = env_url("SITE_URL", ("http", "https")) or "http://127.0.0.1:8000"
# Requests per hour one calendar feed URL may make before it gets 429.
CALENDAR_FEED_RATE_LIMIT = env_int("CALENDAR_FEED_RATE_LIMIT", 60, 1)

S3_ENDPOINT_URL = env_url("S3_ENDPOINT_URL", ("http", "https"))
# Every call to the object store gives up after S3_MAX_ATTEMPTS tries of at most
# S3_CONNECT_TIMEOUT seconds to connect and S3_READ_TIMEOUT seconds without a byte:
# a hung store fails a request (503/504), never hangs it.
S3_CONNECT_TIMEOUT = env_int("S3_CONNECT_TIMEOUT", 5, 1)
S3_READ_TIMEOUT = env_int("S3_READ_TIMEOUT", 30, 1)
S3_MAX_ATTEMPTS = env_int("S3_MAX_ATTEMPTS", 3, 1)
S3_PUBLIC_ENDPOINT_URL = env_url("S3_PUBLIC_ENDPOINT_URL", ("http", "https"))
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
if S3_ENDPOINT_URL:
    S3_OPTIONS = {
        "endpoint_url": S3_ENDPOINT_URL,
        "bucket_name": env_str("S3_BUCKET"),
        "access_key": env_secret("S3_ACCESS_KEY"),
        "secret_key": env_secret("S3_SECRET_KEY"),
        "region_name": env_str("S3_REGION", "us-east-1"),
        "addressing_style": "path",
        "signature_version": "s3v4",
        "file_overwrite": False,
        "querystring_expire": 300,
        # django-storages' own client, for whatever opens the default storage directly (a
        # shell, test fixtures), with the same timeouts as meetings/records/storage.py's,
        # through which the app and the readiness probe reach the store.
        "client_config": Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            connect_timeout=S3_CONNECT_TIMEOUT,
            read_timeout=S3_READ_TIMEOUT,
            retries={"total_max_attempts": S3_MAX_ATTEMPTS, "mode": "standard"},
        ),
    }
    for option, variable in [
        ("bucket_name", "S3_BUCKET"),
        ("access_key", "S3_ACCESS_KEY"),
        ("secret_key", "S3_SECRET_KEY"),
    ]:
        if not S3_OPTIONS[option]:
            raise ImproperlyConfigured(f"{variable}: required when S3_ENDPOINT_URL is set")
    DEFAULT_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# A session's conclusion notice is due this many working days after the session ended
# (meetings.conclusions.deadlines).
CONCLUSION_NOTICE_WORKING_DAYS = env_int("CONCLUSION_NOTICE_WORKING_DAYS", 5, 1)

# Records (docs/records.md). An upload over FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary
# file, never memory: documents are streamed from it to storage chunk by chunk.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
RECORDS_MAX_DOCUMENT_BYTES = env_int("RECORDS_MAX_DOCUMENT_BYTES", 100 * 1024 * 1024, 1)
# Life of a presigned download link (S3 mode); a watched recording's link lives longer,
# since the player asks for more of the file whenever the viewer seeks.
RECORDS_LINK_SECONDS = env_int("RECORDS_LINK_SECONDS", 300, 1)
RECORDS_PLAYBACK_LINK_SECONDS = env_int("RECORDS_PLAYBACK_LINK_SECONDS", 4 * 3600, 1)
# Days a version is kept before `manage.py purge_records` removes its file; 0 (None
# here): kept for ever. Minutes are the lasting record of a session and are never purged
# by default; recordings, the bulk of the storage, are kept five years.
RECORDS_RETENTION_DAYS: dict[str, int | None] = {
    kind: env_int(f"RECORDS_RETENTION_DAYS_{kind.upper()}", default, 0) or None
    for kind, default in [("agenda", 3650), ("minutes", 0), ("recording", 1825), ("other", 3650)]
}

# E-mail: SMTP when SMTP_HOST is set, else one file per message under var/mail.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Giao Ban <no-reply@giaoban.local>")
SMTP_HOST = env_str("SMTP_HOST")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("SMTP_PORT", 587, 1),
                "username": env_str("SMTP_USER"),
                "password": env_secret("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": VAR_DIR / "mail"},
        }
    }

# Queues: "default" (readiness notices, imports), "calendar" (invitation e-mails, which
# can fan out to thousands of addresses), "records" (hashing recordings, sweeping
# abandoned uploads) and "search" (the text of documents, for the archive's search);
# bin/run runs one worker for the first two, another for records and search.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "calendar", "records", "webhooks", "search"],
    }
}

# Recordings (meetings/records/uploads.py): the largest accepted, and how long an
# untouched upload lives before the periodic sweep aborts it.
RECORDS_MAX_RECORDING_BYTES = env_int("RECORDS_MAX_RECORDING_BYTES", 50 * 1024**3, 1)
RECORDS_UPLOAD_ABANDON_HOURS = env_int("RECORDS_UPLOAD_ABANDON_HOURS", 24, 1)
# Not from the environment: the sweep of abandoned uploads re-enqueues itself this many
# seconds after each run (meetings/records/tasks.py); hourly is ample for a 24 h limit.
RECORDS_UPLOAD_CLEANUP_SECONDS = 3600

# Digital signatures (signatures/, README "Signing documents"). The office signs with a
# PKCS#12 file or with a key on a PKCS#11 token, never both; without either, nothing is
# signed. Passwords and PINs are secrets: NAME or NAME_FILE.
SIGNING_PKCS12_FILE = env_str("SIGNING_PKCS12_FILE")
SIGNING_PKCS12_PASSWORD = env_secret("SIGNING_PKCS12_PASSWORD")
SIGNING_PKCS11_MODULE = env_str("SIGNING_PKCS11_MODULE")
SIGNING_PKCS11_TOKEN_LABEL = env_str("SIGNING_PKCS11_TOKEN_LABEL")
SIGNING_PKCS11_KEY_LABEL = env_str("SIGNING_PKCS11_KEY_LABEL")
SIGNING_PKCS11_PIN = env_secret("SIGNING_PKCS11_PIN")
if SIGNING_PKCS12_FILE and SIGNING_PKCS11_MODULE:
    raise ImproperlyConfigured(
        "SIGNING_PKCS12_FILE and SIGNING_PKCS11_MODULE: set one signer, not both"
    )
for _path_variable, _path in [
    ("SIGNING_PKCS12_FILE", SIGNING_PKCS12_FILE),
    ("SIGNING_PKCS11_MODULE", SIGNING_PKCS11_MODULE),
]:
    if _path and not Path(_path).is_file():
        raise ImproperlyConfigured(f"{_path_variable}: no file at {_path!r}")
if SIGNING_PKCS11_MODULE:
    for _label_variable in ("SIGNING_PKCS11_TOKEN_LABEL", "SIGNING_PKCS11_KEY_LABEL"):
        if not globals()[_label_variable]:
            raise ImproperlyConfigured(f"{_label_variable}: required with SIGNING_PKCS11_MODULE")
# A PEM bundle of the roots a signature's chain must reach to be "trusted" (deployer-supplied).
SIGNATURE_TRUST_ROOTS = env_str("SIGNATURE_TRUST_ROOTS")
if SIGNATURE_TRUST_ROOTS and not Path(SIGNATURE_TRUST_ROOTS).is_file():
    raise ImproperlyConfigured(f"SIGNATURE_TRUST_ROOTS: no file at {SIGNATURE_TRUST_ROOTS!r}")
# Bounds on checking an uploaded PDF: bigger files are not read ("invalid", too large), and
# a check is stopped after this many seconds ("invalid", timeout).
SIGNATURE_VALIDATION_MAX_BYTES = env_int("SIGNATURE_VALIDATION_MAX_BYTES", 50 * 1024 * 1024, 1)
SIGNATURE_VALIDATION_SECONDS = env_int("SIGNATURE_VALIDATION_SECONDS", 30, 1)
# The signature page checks a PDF again on display, inside the web request, where no timer
# can stop it: only files up to this size (bigger ones show the check made when stored).
SIGNATURE_DISPLAY_CHECK_MAX_BYTES = env_int(
    "SIGNATURE_DISPLAY_CHECK_MAX_BYTES", 10 * 1024 * 1024, 0
)

# Webhooks (integrations/, README "Webhooks"). A subscription's URL must be https unless
# WEBHOOKS_ALLOW_HTTP, and may not resolve to a private, loopback or link-local address
# unless WEBHOOKS_ALLOW_PRIVATE_NETWORKS (both on when DEBUG, off in production).
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", DEBUG)
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = env_bool("WEBHOOKS_ALLOW_PRIVATE_NETWORKS", DEBUG)
# One attempt: connecting within this, the whole answer within the total.
WEBHOOKS_CONNECT_TIMEOUT_SECONDS = env_int("WEBHOOKS_CONNECT_TIMEOUT_SECONDS", 5, 1)
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10, 1)
# Waits before the 2nd, 3rd, … attempt, then the last one again, until this many hours
# after the first attempt; then the delivery has failed for good.
_retry_waits = env_list("WEBHOOKS_RETRY_SECONDS", "5,30,120,600,1800,3600,7200")
if not _retry_waits or not all(wait.isdigit() and int(wait) > 0 for wait in _retry_waits):
    raise ImproperlyConfigured(
        f"WEBHOOKS_RETRY_SECONDS: whole seconds above 0, comma-separated, got {_retry_waits}"
    )
WEBHOOKS_RETRY_SECONDS = [int(wait) for wait in _retry_waits]
WEBHOOKS_RETRY_HOURS = env_int("WEBHOOKS_RETRY_HOURS", 24, 1)
# This many deliveries failed for good in a row disable a subscription (as does one
# answer 410 Gone); its office's secretariat is told by e-mail.
WEBHOOKS_DISABLE_AFTER_FAILURES = env_int("WEBHOOKS_DISABLE_AFTER_FAILURES", 5, 1)

# /readyz answers within this many seconds whatever hangs: a check still running then
# is reported as "timeout" (config/health.py).
READYZ_BUDGET_SECONDS = env_int("READYZ_BUDGET_SECONDS", 3, 1)

# The server process moves objects that lived this long out of the garbage collector's
# full collections (config/gc_pacing.py); 0 turns it off.
GC_FREEZE_SECONDS = env_int("GC_FREEZE_SECONDS", 10, 0)

# The largest request body the server (config/serve.py) accepts; a bigger one is refused
# with 413 before it is read. Above a recording part (meetings/records/uploads.py,
# MIN_PART_SIZE = 8 MiB), which is the largest body the app takes in one request.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 16 * 1024 * 1024, 1024)

# The password policy of local accounts (the directory keeps its own): Django's validators,
# whose messages Django translates into Vietnamese, with the minimum length from the environment.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10, 8)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in lockout (django-axes): after SIGN_IN_FAILURE_LIMIT wrong passwords for one account
# from one address, that account is refused from that address for SIGN_IN_LOCKOUT_MINUTES
# (0: until unlocked, `manage.py unlock_sign_in`). By account AND address, so a guesser
# cannot lock a colleague out from elsewhere, and cannot rotate accounts to go on guessing.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PersonModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, 1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15, 0)) or None
# A right password before the limit forgets the earlier mistakes of that account and address.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The address as axes resolves it below, an IPv6 one widened to its /64 (a guesser holds
# 2^64 of them): accounts/client_address.py.
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.lockout_address"
# The client's address: REMOTE_ADDR only, unless BEHIND_PROXY says one reverse proxy of ours
# appends the address it saw to X-Forwarded-For; then the right-most entry counts (the
# left ones are whatever the client sent). Never AXES_IPWARE_PROXY_COUNT=1: it made the
# address NULL and the lockout fell back to username only (STACK.md).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# django-ipware 8's default ("modern") algorithm prefers a public address to a private one
# wherever it stands in X-Forwarded-For: a client on a private network (most government
# intranets) could forge "8.8.8.1, " and be counted as 8.8.8.1, a new address each time.
# The "legacy" algorithm takes the right-most valid entry, as the proxy appended it.
IPWARE_ALGORITHM = "legacy"
if BEHIND_PROXY:
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A browser session lasts SESSION_HOURS from sign-in (a working day by default), then the
# person signs in again.
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 12, 1) * 3600
# A password-reset link (accounts/password_reset.py) works once, for this long.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_MINUTES", 60, 5) * 60
# Reset e-mails sent to one address in an hour at most (accounts/password_reset.py):
# anyone may ask for any address, and must not fill a mailbox with them.
PASSWORD_RESET_EMAILS_PER_HOUR = env_int("PASSWORD_RESET_EMAILS_PER_HOUR", 3, 1)
# The second factor (django-otp, TOTP with recovery codes; accounts/second_factor.py):
# secretariat staff and superusers must pass it after their password before any page, the
# admin or a readiness socket; others may enrol from their profile. Off: nobody is asked.
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", True)
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "Giao Ban"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy HH:mm and 3.356 (config/formats/): Django's "vi" formats spell dates out.
FORMAT_MODULE_PATH = ["config.formats"]
# Counts read 3.356 in Vietnamese; identifiers rendered into attributes and URLs must then
# say |unlocalize (tests/config/test_number_grouping.py looks for the usual suspects).
USE_THOUSAND_SEPARATOR = True

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if S3_ENDPOINT_URL:
    # A recording watched in the browser plays from a presigned URL on the S3 host.
    _s3_public = urlsplit(S3_PUBLIC_ENDPOINT_URL or S3_ENDPOINT_URL)
    SECURE_CSP["media-src"] = [CSP.SELF, f"{_s3_public.scheme}://{_s3_public.netloc}"]
    # The recording upload page PUTs parts straight to the bucket (and reads their ETag).
    SECURE_CSP["connect-src"] = [CSP.SELF, f"{_s3_public.scheme}://{_s3_public.netloc}"]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
# HTTPS (README: Production). Behind the proxy, its X-Forwarded-Proto tells Django the
# request came over HTTPS, so links, redirects and secure cookies are right; trusted only
# when BEHIND_PROXY says the proxy sets it (a client could send it too).
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Probes call the process straight over HTTP: a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

REST_FRAMEWORK = {
    # Every operation documents the errors it can answer, as problems (httpapi.problem_schema).
    "DEFAULT_SCHEMA_CLASS": "httpapi.problem_schema.ProblemAutoSchema",
    # Token first: its WWW-Authenticate header turns "not signed in" into 401 (not 403)
    # for every client; the browser's session still works through the second class.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # A person's or a service account's API token (Bearer, or Token as before),
        # acting for the office the token was made for (people.api_tokens).
        "people.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's inline scripts would break under the CSP, and
    # /api/v1/docs/ documents everything.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # An unexpected exception is a JSON 500 in the API's error shape, not an HTML page.
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Giao Ban API",
    # In the reader's language, like the operations' help texts (the schema is built per request).
    "DESCRIPTION": _("Booking, readiness and records of multi-level video conferences"),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Not public (README: API): the schema maps every endpoint and field; integrators hold a
    # token, people a session. The docs page is behind login_required in config/urls.py.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from the installed sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # 3.1 writes a nullable reference as oneOf [$ref, null]; 3.0's `nullable` beside an allOf
    # has no type to widen, so validators refuse the null it means to allow.
    "OAS_VERSION": "3.1.0",
    # One name per choice set, stable whatever else the schema grows.
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "conferencing.api.serializers.LEVEL_CHOICES",
        "LegRoleEnum": "conferencing.models.LegRole",
        "AttendeeRoleEnum": "meetings.models.AttendeeRole",
        "MeetingStatusEnum": "meetings.models.MeetingStatus",
        "ClassificationEnum": "meetings.models.Classification",
        "RecordStatusEnum": "meetings.records.models.RecordStatus",
        "RecordKindEnum": "meetings.records.models.RecordKind",
        "TokenScopeEnum": "people.models.TokenScope",
        "ScopeEnum": "meetings.api.serializers.SCOPES",
        "UploadStatusEnum": "meetings.records.models.UploadStatus",
        "ImportJobStatusEnum": "conferencing.models.ImportJobStatus",
        "FeedKindEnum": "meetings.calendar.models.FeedKind",
        "ReadinessStateEnum": "conferencing.models.ReadinessState",
        "ReportableStateEnum": "conferencing.api.leg_reports.REPORTABLE_STATES",
        "DocumentKindEnum": "meetings.records.forms.DOCUMENT_KIND_CHOICES",
        "WebhookEventTypeEnum": "integrations.models.EventType",
        "TaskStateEnum": "meetings.conclusions.models.TaskState",
        "TaskEventKindEnum": "meetings.followup.models.EventKind",
        "WebhookDeliveryStatusEnum": "integrations.models.DeliveryStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint (official documents) logs every step of every PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        # fontTools tells every font subset of every signature block at INFO (signatures/stamp.py).
        "fontTools": {"level": "WARNING"},
    },
}

# Directory sign-in (LDAP, OpenID Connect; people/directory.py): the mapping of directory
# groups to role and office while the superuser has made none in the app,
# "group=Role:OFFICE;group=Role" (roles Secretariat, Technician, Attendee).
DIRECTORY_RULES = env_str("DIRECTORY_RULES", "")
# Sign-in against an LDAP directory or Active Directory (people/ldap_sign_in.py), on when
# LDAP_SERVER_URI is set (README: Directory sign-in). The backend reads these at every
# sign-in. A person signs in with the directory password when the user search finds
# exactly one entry, the directory accepts the password, the entry does not match
# LDAP_DISABLED_FILTER (by default Active Directory's ACCOUNTDISABLE bit, which matches
# nothing on a directory without that attribute) and one of its groups has a rule.
# One URI, or several separated by spaces, tried in turn (libldap does).
LDAP_SERVER_URI = " ".join(env_str("LDAP_SERVER_URI").split())
for _uri in LDAP_SERVER_URI.split():
    if urlsplit(_uri).scheme not in ("ldap", "ldaps") or not urlsplit(_uri).hostname:
        raise ImproperlyConfigured(
            f"LDAP_SERVER_URI: expected ldap://host[:port] or ldaps://host[:port], got {_uri!r}"
        )
LDAP_BIND_DN = env_str("LDAP_BIND_DN")
LDAP_BIND_PASSWORD = env_secret("LDAP_BIND_PASSWORD")
LDAP_START_TLS = env_bool("LDAP_START_TLS", False)
LDAP_TLS_CA_FILE = env_str("LDAP_TLS_CA_FILE")
# Seconds to connect, and for each directory operation: a dead or hung directory fails
# the sign-in with a clear message, it never hangs it.
LDAP_TIMEOUT = env_int("LDAP_TIMEOUT", 5, 1)
LDAP_USER_SEARCH_BASE = env_str("LDAP_USER_SEARCH_BASE")
LDAP_USER_FILTER = env_str("LDAP_USER_FILTER", "(uid=%(user)s)")
LDAP_GROUP_SEARCH_BASE = env_str("LDAP_GROUP_SEARCH_BASE")
LDAP_GROUP_FILTER = env_str("LDAP_GROUP_FILTER", "(objectClass=groupOfNames)")
LDAP_FULL_NAME_ATTRIBUTE = env_str("LDAP_FULL_NAME_ATTRIBUTE", "cn")
LDAP_EMAIL_ATTRIBUTE = env_str("LDAP_EMAIL_ATTRIBUTE", "mail")
LDAP_PHONE_ATTRIBUTE = env_str("LDAP_PHONE_ATTRIBUTE", "telephoneNumber")
LDAP_UNIT_ATTRIBUTE = env_str("LDAP_UNIT_ATTRIBUTE", "ou")
# Empty: a technician's sites are managed in the app; else the attribute holding site
# codes (one per value, or several in one value separated by commas or semicolons).
LDAP_SITES_ATTRIBUTE = env_str("LDAP_SITES_ATTRIBUTE", "")
LDAP_DISABLED_FILTER = env_str(
    "LDAP_DISABLED_FILTER", "(userAccountControl:1.2.840.113556.1.4.803:=2)"
)
if LDAP_SERVER_URI:
    for _name, _value in [
        ("LDAP_USER_SEARCH_BASE", LDAP_USER_SEARCH_BASE),
        ("LDAP_GROUP_SEARCH_BASE", LDAP_GROUP_SEARCH_BASE),
    ]:
        if not _value:
            raise ImproperlyConfigured(f"{_name}: required when LDAP_SERVER_URI is set")
    if "%(user)s" not in LDAP_USER_FILTER:
        raise ImproperlyConfigured(
            f"LDAP_USER_FILTER: must contain %(user)s, got {LDAP_USER_FILTER!r}"
        )
    # After the local accounts (a break-glass superuser signs in while the directory is
    # down), axes still first.
    AUTHENTICATION_BACKENDS.append("people.ldap_sign_in.DirectoryBackend")

# How often each server process looks for accounts whose sessions were ended (deactivated,
# signed out everywhere) and closes their open sockets (conferencing/account_watch.py).
ACCOUNT_WATCH_SECONDS = env_int("ACCOUNT_WATCH_SECONDS", 2, 1)
# Hours an invitation link (people/invitations.py) stays valid.
INVITATION_HOURS = env_int("INVITATION_HOURS", 72, 1)
# A directory (LDAP, OpenID Connect) person's API tokens work while they have signed in
# through the directory within this many days (people/api_tokens.py): a person removed
# from the directory loses their tokens within it.
DIRECTORY_TOKEN_DAYS = env_int("DIRECTORY_TOKEN_DAYS", 30, 1)

# Single sign-on through the province's OpenID Connect provider (README: Single sign-on;
# people/oidc_sign_in.py), on when OIDC_RP_CLIENT_ID is set. No discovery: every endpoint
# is named. mozilla-django-oidc checks neither `iss` nor `aud`; the backend does.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_secret("OIDC_RP_CLIENT_SECRET")
OIDC_OP_ISSUER = env_url("OIDC_OP_ISSUER", ("http", "https"))
OIDC_OP_AUTHORIZATION_ENDPOINT = env_url("OIDC_OP_AUTHORIZATION_ENDPOINT", ("http", "https"))
OIDC_OP_TOKEN_ENDPOINT = env_url("OIDC_OP_TOKEN_ENDPOINT", ("http", "https"))
OIDC_OP_USER_ENDPOINT = env_url("OIDC_OP_USER_ENDPOINT", ("http", "https"))
OIDC_OP_JWKS_ENDPOINT = env_url("OIDC_OP_JWKS_ENDPOINT", ("http", "https"))
# Where the provider offers one: sign-out also ends the provider's session.
OIDC_OP_LOGOUT_ENDPOINT = env_url("OIDC_OP_LOGOUT_ENDPOINT", ("http", "https"))
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile phone groups")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
OIDC_UNIT_CLAIM = env_str("OIDC_UNIT_CLAIM", "unit")
# A claim holding a technician's site codes; empty: sites are managed in the app.
OIDC_SITE_CODES_CLAIM = env_str("OIDC_SITE_CODES_CLAIM")
# The sign-in page's button, e.g. "Cổng đăng nhập một lần tỉnh Hà Nội".
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME")
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, 1)
OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_SSL", True)
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    for _variable in (
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_ISSUER",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
    ):
        if not globals()[_variable]:
            raise ImproperlyConfigured(f"{_variable}: required when OIDC_RP_CLIENT_ID is set")
    if not OIDC_OP_JWKS_ENDPOINT and not OIDC_RP_SIGN_ALGO.startswith("HS"):
        raise ImproperlyConfigured(f"OIDC_OP_JWKS_ENDPOINT: required for {OIDC_RP_SIGN_ALGO}")
    AUTHENTICATION_BACKENDS.insert(1, "people.oidc_sign_in.OIDCSignInBackend")
# mozilla-django-oidc's own settings, fixed: PKCE and a nonce on every sign-in, the ID
# token kept in the session for the provider's sign-out, and this project's views.
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_CALLBACK_CLASS = "people.views.single_sign_on.SignInCallbackView"
OIDC_AUTHENTICATE_CLASS = "people.views.single_sign_on.SignInStartView"
OIDC_OP_LOGOUT_URL_METHOD = "people.oidc_sign_in.provider_logout_url"
# The people import (people/people_import.py): the largest file accepted (page, API,
# command) and the most people rows in one file. A bigger file or more rows is refused
# whole, before any row is checked.
PEOPLE_IMPORT_MAX_BYTES = env_int("PEOPLE_IMPORT_MAX_BYTES", 5 * 1024 * 1024, 1024)
PEOPLE_IMPORT_MAX_ROWS = env_int("PEOPLE_IMPORT_MAX_ROWS", 20000, 1)

# The CSV import of announced days off and make-up working days (workdays/csv_import.py):
# a year holds a handful of rows, so a larger file is refused whole before it is read.
WORKING_DAYS_IMPORT_MAX_BYTES = env_int("WORKING_DAYS_IMPORT_MAX_BYTES", 256 * 1024, 1024)
# Task follow-up (meetings/followup/): a reminder this many working days before a
# task's deadline (then one when it is overdue, and one a week after that), and the
# largest evidence file a progress report may carry (at most TASK_EVIDENCE_MAX_FILES).
TASK_REMINDER_WORKING_DAYS = env_int("TASK_REMINDER_WORKING_DAYS", 2, 1)
TASK_EVIDENCE_MAX_BYTES = env_int("TASK_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, 1)
TASK_EVIDENCE_MAX_FILES = env_int("TASK_EVIDENCE_MAX_FILES", 5, 1)
# Not from the environment: the reminder sweep re-enqueues itself this many seconds
# after each run (meetings/followup/reminder_tasks.py).
TASK_REMINDER_SWEEP_SECONDS = 3600
