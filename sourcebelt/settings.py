"""SourceBelt settings: the one place configuration is read, always from the environment.

Every value has a safe development default except the secrets, which production must supply.
See the configuration table in README.md.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from exc


_RATE = re.compile(r"^[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def env_rate(name: str, default: str) -> str:
    """A throttle rate such as 60/minute (requests per second, minute, hour or day)."""
    value = os.environ.get(name) or default
    if not _RATE.match(value.strip()):
        raise ImproperlyConfigured(f"{name} must be a rate such as 60/minute or 1000/hour, not {value!r}.")
    return value.strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (or set DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_countries",
    "axes",
    "csp",
    # Two-factor authentication: authenticator-app (TOTP) devices and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "marketplace",
    "suppliers",
    "buyers",
    "orders",
    "sourcebelt",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The browser protections on every answer (docs/security.md, "Content-Security-Policy").
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Knows the client's address for the security log, and logs refusals and staff writes (docs/security.md).
    "marketplace.security.middleware.SecurityEventMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware, the first to read a form: a body too large is refused unread, and
    # control characters in the address or a form before any view (marketplace/request_checks.py).
    "marketplace.request_checks.RequestChecksMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after AuthenticationMiddleware: request.user.is_verified() says whether this session
    # proved the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # After AuthenticationMiddleware: a signed-in user's language decides (marketplace/languages.py).
    "marketplace.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: a session ended for inactivity says so on the next page.
    "marketplace.security.middleware.SessionTimeoutMiddleware",
    # After the timeout: a session waiting for its second factor, or a staff member who must set one
    # up, reaches only those pages (marketplace/security/two_factor.py).
    "marketplace.security.two_factor.TwoFactorGateMiddleware",
    # Before DomainErrorMiddleware, which answers the RequestTookTooLong it raises when a request
    # keeps the database busy past its kind's budget (marketplace/query_budget.py).
    "marketplace.query_budget.QueryBudgetMiddleware",
    "marketplace.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into the "locked" page.
    "axes.middleware.AxesMiddleware",
    # Only with DATABASE_REPLICA_URLS, and after every other middleware's process_view (CSRF): runs
    # the pages that tolerate lag against a replica, falling back to the primary (sourcebelt/replicas.py).
    "sourcebelt.replicas.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "sourcebelt.urls"
WSGI_APPLICATION = "sourcebelt.wsgi.application"
ASGI_APPLICATION = "sourcebelt.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.context_processors.navigation",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Every statement: no JIT (it compiles plans for analytic queries; a page's statements run
        # in milliseconds and compiling took 15-45 ms of them at 1M products), and at most
        # DATABASE_STATEMENT_TIMEOUT_MS (0: no bound; gunicorn's config sets 15 s for the web tier,
        # requests then have tighter bounds by kind: REQUEST_QUERY_BUDGETS below).
        DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 0)
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c jit=off -c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
        )
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE_DIR / "var" / "db.sqlite3")}}
# Streaming read replicas of the primary (docs/replicas.md): each URL becomes the alias replica_1,
# replica_2, ...; sourcebelt/replicas.py sends the reads of the pages that tolerate a moment's lag to
# one of them, and everything else to the primary ("default").
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
# A replica further behind than this is skipped; its lag is read at most every REPLICA_CHECK_SECONDS
# per process (and a replica that failed is left alone as long).
REPLICA_MAX_LAG_SECONDS = env_float("REPLICA_MAX_LAG_SECONDS", 5.0)
REPLICA_CHECK_SECONDS = env_float("REPLICA_CHECK_SECONDS", 3.0)
# After a change, the same browser (a signed cookie) or API token reads from the primary this long.
REPLICA_READ_YOUR_WRITES_SECONDS = env_int("REPLICA_READ_YOUR_WRITES_SECONDS", 10)
REPLICA_CONNECT_TIMEOUT_SECONDS = env_int("REPLICA_CONNECT_TIMEOUT_SECONDS", 2)
if DATABASE_REPLICA_URLS:
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL (the primary).")
    for number, replica_url in enumerate(DATABASE_REPLICA_URLS, start=1):
        replica = dj_database_url.parse(replica_url, conn_max_age=60)
        if not replica["ENGINE"].endswith("postgresql"):
            raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS: replica {number} is not a PostgreSQL URL.")
        replica["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            **replica.get("OPTIONS", {}),
            "connect_timeout": REPLICA_CONNECT_TIMEOUT_SECONDS,
        }
        # The test suite has one database: a replica alias is the same one there.
        replica["TEST"] = {"MIRROR": "default"}
        DATABASES[f"replica_{number}"] = replica
    DATABASE_ROUTERS = ["sourcebelt.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# How long one web request may keep PostgreSQL busy, by kind (marketplace/query_budget.py): an
# anonymous read, a signed-in read, a change. 0 leaves that kind to the statement timeout alone.
QUERY_BUDGET_SECONDS = {
    "anonymous": env_float("QUERY_BUDGET_ANONYMOUS_SECONDS", 3.0),
    "read": env_float("QUERY_BUDGET_READ_SECONDS", 10.0),
    "write": env_float("QUERY_BUDGET_WRITE_SECONDS", 30.0),
}

REDIS_URL = env_str("REDIS_URL")
# How long a web request waits for Redis as the cache before it answers without it, and how long a
# process then leaves Redis alone before trying again (sourcebelt/cache.py, docs/security.md).
REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", 0.5)
REDIS_RETRY_AFTER_SECONDS = env_float("REDIS_RETRY_AFTER_SECONDS", 5.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "sourcebelt.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "marketplace.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    # First: refuses every log-in of a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
# A sign-up whose address was never confirmed is removed (with a company only it belonged to) this
# many days after it was made, and never while its e-mailed link still works (PASSWORD_RESET_TIMEOUT
# and a day): marketplace/services/unconfirmed_accounts.py, run every quarter hour by beat.
UNCONFIRMED_SIGNUP_DAYS = env_int("UNCONFIRMED_SIGNUP_DAYS", 7)

# --- Sessions, lockout, throttling of account e-mails (docs/security.md) -----------------------

# A session ends after this many minutes without a request, and this many hours after the log-in
# whatever the activity (the cookie's age too).
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 60)
SESSION_MAX_AGE_HOURS = env_int("SESSION_MAX_AGE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_AGE_HOURS * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# How many of this deployment's reverse proxies append to X-Forwarded-For: 0 (the default) trusts
# no header and takes the address of the connection (marketplace/security/addresses.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# django-axes: after LOGIN_FAILURE_LIMIT failed log-ins for one account, or from one address, within
# the cool-off, every log-in of that account / from that address is refused (the right password
# too) until LOGIN_COOLOFF_MINUTES after the last attempt. Page, admin and API-token log-ins count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = "marketplace.security.lockout.lockout_parameters"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "marketplace.security.lockout.attempted_username"
AXES_CLIENT_IP_CALLABLE = "marketplace.security.addresses.lockout_address"
AXES_LOCKOUT_CALLABLE = "marketplace.security.lockout.locked_out_response"
# A success does not wipe the count: it would also wipe the failures of other accounts from that address.
AXES_RESET_ON_SUCCESS = False
# Successful log-ins go to the security log, not to a table that only grows.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Two-factor authentication (docs/security.md): staff must set it up and use it when this is on,
# the default in production (DEBUG false); anyone may turn it on for their own account.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", default=not DEBUG)
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "SourceBelt")
# The admin lists and deletes users' devices (the way back for someone who lost the app and the
# recovery codes) but never shows their keys or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Password resets and sign-ups (each sends an e-mail): at most this many an hour from one address
# (more answer "too many requests") and to one e-mail address (more are answered as usual but send
# nothing, so the answer never tells whether the address has an account).
ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", 20)
ACCOUNT_EMAILS_PER_RECIPIENT_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_RECIPIENT_PER_HOUR", 5)

# --- Language, time, money ----------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# One date and number format per language (sourcebelt/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["sourcebelt.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True
DEFAULT_CURRENCY = "USD"
# The European Central Bank's daily reference rates (EUR against ~30 currencies), fetched by the
# beat task `exchange-rates-refresh`; conversions without a direct rate go through EUR or USD.
EXCHANGE_RATES_URL = env_str("EXCHANGE_RATES_URL", "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml")
EXCHANGE_RATES_TIMEOUT_SECONDS = env_float("EXCHANGE_RATES_TIMEOUT_SECONDS", 20.0)
# A currency without a rate this young (either side of any stored rate) is not offered in forms.
EXCHANGE_RATE_MAX_AGE_DAYS = env_int("EXCHANGE_RATE_MAX_AGE_DAYS", 7)

# --- Static and media ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Private uploads (drawings, attachments, licences, import files): never served by URL, only streamed
# by views that check who asks (marketplace/storage.py).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))

# Where uploads are kept (docs/storage.md): "local" (the default) is the two folders above; "s3" is
# S3-compatible object storage through django-storages, public media in AWS_STORAGE_BUCKET_NAME
# (served by its URLs, or MEDIA_CUSTOM_DOMAIN's) and private files in PRIVATE_STORAGE_BUCKET_NAME,
# a bucket that must never be public: they are streamed by the views that check who asks, or, with
# PRIVATE_FILES_SIGNED_URL_SECONDS above 0, those views redirect to a signed URL that lives that long.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local").strip().lower()
if MEDIA_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
PRIVATE_STORAGE_BUCKET_NAME = env_str("PRIVATE_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None  # unset: Amazon S3 itself
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
AWS_S3_ADDRESSING_STYLE = env_str("AWS_S3_ADDRESSING_STYLE") or None  # "path" for most self-hosted servers
# Unset: boto3 finds credentials itself (an instance or task role, ~/.aws).
AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID") or None
AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY") or None
MEDIA_CUSTOM_DOMAIN = env_str("MEDIA_CUSTOM_DOMAIN") or None  # e.g. media.example.com, in front of the public bucket
# The canned ACL of public media objects: "public-read" where the bucket uses ACLs; unset where a
# bucket policy makes the public bucket readable (ACLs disabled, as new AWS buckets are).
MEDIA_OBJECT_ACL = env_str("MEDIA_OBJECT_ACL") or None
PRIVATE_FILES_SIGNED_URL_SECONDS = env_int("PRIVATE_FILES_SIGNED_URL_SECONDS", 0)
if not 0 <= PRIVATE_FILES_SIGNED_URL_SECONDS <= 3600:
    raise ImproperlyConfigured("PRIVATE_FILES_SIGNED_URL_SECONDS must be between 0 (stream) and 3600.")
if MEDIA_STORAGE == "s3":
    if not AWS_STORAGE_BUCKET_NAME or not PRIVATE_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME and PRIVATE_STORAGE_BUCKET_NAME.")
    if AWS_STORAGE_BUCKET_NAME == PRIVATE_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("PRIVATE_STORAGE_BUCKET_NAME must not be the public AWS_STORAGE_BUCKET_NAME.")
_object_storage = {
    "endpoint_url": AWS_S3_ENDPOINT_URL,
    "region_name": AWS_S3_REGION_NAME,
    "addressing_style": AWS_S3_ADDRESSING_STYLE,
    "access_key": AWS_ACCESS_KEY_ID,
    "secret_key": AWS_SECRET_ACCESS_KEY,
    "signature_version": "s3v4",  # signed URLs carry their lifetime (X-Amz-Expires)
    "file_overwrite": False,
}
_media_storage: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
_private_storage: dict[str, object] = {"BACKEND": "marketplace.storage.PrivateFileStorage"}
if MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_object_storage,
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "custom_domain": MEDIA_CUSTOM_DOMAIN,
            "querystring_auth": False,  # public pictures: plain, cacheable URLs
            "default_acl": MEDIA_OBJECT_ACL,
        },
    }
    # Private objects, no URL but signed ones (marketplace/object_storage.py enforces it).
    _private_storage = {
        "BACKEND": "marketplace.object_storage.PrivateObjectStorage",
        "OPTIONS": {**_object_storage, "bucket_name": PRIVATE_STORAGE_BUCKET_NAME},
    }
# Where pages' images come from besides this site (the Content-Security-Policy's img-src).
MEDIA_ORIGINS: list[str] = []
if MEDIA_STORAGE == "s3":
    if MEDIA_CUSTOM_DOMAIN:
        MEDIA_ORIGINS = [f"https://{MEDIA_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL:
        _endpoint = urlsplit(AWS_S3_ENDPOINT_URL)
        MEDIA_ORIGINS = [f"{_endpoint.scheme}://{_endpoint.netloc}"]
        if AWS_S3_ADDRESSING_STYLE != "path":
            MEDIA_ORIGINS.append(f"{_endpoint.scheme}://{AWS_STORAGE_BUCKET_NAME}.{_endpoint.netloc}")
    else:
        MEDIA_ORIGINS = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"]
        if AWS_S3_REGION_NAME:
            MEDIA_ORIGINS.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com")
STORAGES = {
    "default": _media_storage,
    # Private uploads (marketplace.storage.private_storage); never given a URL.
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail -------------------------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    # With DEBUG (the demo), e-mail is written to files under EMAIL_FILE_PATH rather than the console.
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SourceBelt <noreply@sourcebelt.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Notifications (the outbox) -----------------------------------------------------------------

NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)

# --- Machine translation of what people write (marketplace/translation, docs/translation.md) ----

# "" (none: originals are shown with their language), "libretranslate" or "deepl".
TRANSLATION_PROVIDER = env_str("TRANSLATION_PROVIDER").strip().lower()
if TRANSLATION_PROVIDER not in {"", "libretranslate", "deepl"}:
    raise ImproperlyConfigured(
        f"TRANSLATION_PROVIDER must be empty, libretranslate or deepl, not {TRANSLATION_PROVIDER!r}."
    )
# The provider's address: a LibreTranslate server (required for it); DeepL's API by default.
TRANSLATION_URL = env_str("TRANSLATION_URL").rstrip("/")
if TRANSLATION_PROVIDER == "libretranslate" and not TRANSLATION_URL:
    raise ImproperlyConfigured("TRANSLATION_PROVIDER=libretranslate needs TRANSLATION_URL (the server's address).")
TRANSLATION_API_KEY = env_str("TRANSLATION_API_KEY")
if TRANSLATION_PROVIDER == "deepl" and not TRANSLATION_API_KEY:
    raise ImproperlyConfigured("TRANSLATION_PROVIDER=deepl needs TRANSLATION_API_KEY.")
TRANSLATION_TIMEOUT_SECONDS = env_float("TRANSLATION_TIMEOUT_SECONDS", 10.0)
# A text still untranslated this long after its last attempt is handed to a worker again, at most
# TRANSLATION_MAX_ATTEMPTS times.
TRANSLATION_RETRY_AFTER = timedelta(seconds=env_int("TRANSLATION_RETRY_AFTER_SECONDS", 300))
TRANSLATION_MAX_ATTEMPTS = env_int("TRANSLATION_MAX_ATTEMPTS", 10)

# --- Matching (buyers/matching) -----------------------------------------------------------------

# How much each signal counts in a supplier's score for an RFQ (each signal scores 0..1 first).
# The split-award optimiser (buyers.allocation): past this many seconds it returns the best plan
# found with its optimality gap.
ALLOCATION_TIME_LIMIT_SECONDS = env_float("ALLOCATION_TIME_LIMIT_SECONDS", 5.0)

MATCHING_WEIGHTS = {
    "catalog_relevance": env_float("MATCHING_WEIGHT_CATALOG", 3.0),
    "belt_specialisation": env_float("MATCHING_WEIGHT_BELT", 2.0),
    "capacity": env_float("MATCHING_WEIGHT_CAPACITY", 2.0),
    "moq": env_float("MATCHING_WEIGHT_MOQ", 0.5),
    "lead_time": env_float("MATCHING_WEIGHT_LEAD_TIME", 2.0),
    "export_experience": env_float("MATCHING_WEIGHT_EXPORT", 1.0),
    "verification": env_float("MATCHING_WEIGHT_VERIFIED", 1.0),
    "response": env_float("MATCHING_WEIGHT_RESPONSE", 1.0),
    # Buyers' ratings and the on-time delivery rate of completed orders.
    "track_record": env_float("MATCHING_WEIGHT_TRACK_RECORD", 1.0),
}
# The best-ranked suppliers notified of a public RFQ (invited suppliers are always notified).
MATCHING_NOTIFY_TOP_N = env_int("MATCHING_NOTIFY_TOP_N", 20)
# At most this many suppliers are scored and kept as matches for one RFQ.
MATCHING_MAX_MATCHES = env_int("MATCHING_MAX_MATCHES", 200)

# --- Belt onboarding, verification, demand insights ---------------------------------------------

# A belt factory's invitation link works this many days; unclaimed factories are reminded after
# REMIND_AFTER days, at most MAX_REMINDERS times.
FACTORY_INVITATION_VALID_DAYS = env_int("FACTORY_INVITATION_VALID_DAYS", 30)
FACTORY_INVITATION_REMIND_AFTER_DAYS = env_int("FACTORY_INVITATION_REMIND_AFTER_DAYS", 7)
FACTORY_INVITATION_MAX_REMINDERS = env_int("FACTORY_INVITATION_MAX_REMINDERS", 2)
# Suppliers are warned this many days before an approved certificate expires.
CERTIFICATE_EXPIRY_WARNING_DAYS = env_int("CERTIFICATE_EXPIRY_WARNING_DAYS", 30)
# A category surges in a week when its RFQs reach SURGE_MIN_RFQS and SURGE_RATIO times the
# average of the SURGE_BASELINE_WEEKS weeks before.
DEMAND_SURGE_MIN_RFQS = env_int("DEMAND_SURGE_MIN_RFQS", 5)
DEMAND_SURGE_RATIO = env_float("DEMAND_SURGE_RATIO", 2.0)
DEMAND_SURGE_BASELINE_WEEKS = env_int("DEMAND_SURGE_BASELINE_WEEKS", 8)

# --- The relay of pending work (marketplace/relay.py; docs/security.md, "Outages and crashes") ---

# Every RELAY_INTERVAL beat queues the relays, which claim pending matching, e-mails and
# translations, RELAY_BATCH_SIZE rows at a time; a claim lasts RELAY_LEASE, so the work of a killed
# worker is taken again after it. Keep the lease above the longest piece of work on one row (an
# e-mail: EMAIL_TIMEOUT) and the lease plus the interval well under a minute.
RELAY_INTERVAL = timedelta(seconds=env_int("RELAY_INTERVAL_SECONDS", 10))
RELAY_LEASE = timedelta(seconds=env_int("RELAY_LEASE_SECONDS", 25))
RELAY_BATCH_SIZE = env_int("RELAY_BATCH_SIZE", 10)
if RELAY_INTERVAL.total_seconds() < 1 or RELAY_LEASE.total_seconds() < 1 or RELAY_BATCH_SIZE < 1:
    raise ImproperlyConfigured("RELAY_INTERVAL_SECONDS, RELAY_LEASE_SECONDS and RELAY_BATCH_SIZE must be at least 1.")
# The relays jump the queue, so that a backlog never holds them up: on Redis priority 0 is served
# first, and every other task has priority 3 (kombu's Redis priority steps are 0, 3, 6 and 9). Each
# relay is routed to the queue of the work it relays (TASK_KINDS below): it does that work
# itself, with that kind's workers, and jumps that queue's backlog.
CELERY_TASK_DEFAULT_PRIORITY = 3
RELAY_PRIORITY = 0
# A relay message older than three intervals is dropped unrun: younger ones are right behind it.
RELAY_RUNS = {
    "schedule": RELAY_INTERVAL,
    "options": {"expires": 3 * RELAY_INTERVAL.total_seconds(), "priority": RELAY_PRIORITY},
}

# --- Celery -------------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Each kind of work has a queue of its own, "<CELERY_QUEUE>.<kind>" (sourcebelt.matching...), so that
# each can have workers of its own on hosts of its own, sized for it (docs/workers.md), and an urgent
# e-mail never waits behind a 50,000-row import. Every task is routed by name below (a test sees
# that none is missing). A worker started without -Q reads every queue (CELERY_TASK_QUEUES), as
# `make worker` does. Tests give the worker processes they start a prefix of their own.
TASK_QUEUE_PREFIX = env_str("CELERY_QUEUE", "sourcebelt")
WORK_KINDS = ("matching", "notifications", "translations", "imports", "insights", "periodic")
TASK_KINDS = {
    # Matching: CPU and database bound; runs when an RFQ is published or a catalog changes.
    "buyers.tasks.rfq_match_task": "matching",
    "buyers.tasks.rfqs_match_relay_task": "matching",
    "buyers.tasks.supplier_match_open_rfqs_task": "matching",
    "buyers.tasks.matching_facts_rebuild_task": "matching",  # nightly, matching's own data
    # Notifications and account e-mails: I/O bound (the mail server), urgent.
    "marketplace.tasks.notification_deliver_task": "notifications",
    "marketplace.tasks.notifications_deliver_task": "notifications",
    "marketplace.tasks.notifications_relay_task": "notifications",
    "marketplace.tasks.invitation_send_task": "notifications",
    "marketplace.tasks.signup_confirmation_send_task": "notifications",
    "marketplace.tasks.signup_existing_send_task": "notifications",
    "marketplace.tasks.password_reset_send_task": "notifications",
    "marketplace.tasks.account_locked_send_task": "notifications",
    "suppliers.tasks_onboarding.factory_invitation_send_task": "notifications",
    "suppliers.tasks_onboarding.factory_invitations_relay_task": "notifications",
    # Machine translation: I/O bound (the provider, its own rate limits); an import asks for
    # thousands, which must not hold up e-mail.
    "marketplace.tasks.text_translations_make_task": "translations",
    "marketplace.tasks.text_translations_relay_task": "translations",
    # Imports: long (a 50,000-row file runs for minutes), one at a time per process. Their relay only
    # queues lost runs again (it runs none): it goes with the periodic jobs, never behind an import.
    "suppliers.tasks.imports_relay_task": "periodic",
    "suppliers.tasks.catalog_import_run_task": "imports",
    "suppliers.tasks_onboarding.factory_import_run_task": "imports",
    # Demand insights: aggregation after each published RFQ and every 10 minutes, weekly digests.
    "buyers.tasks_insights.demand_aggregate_task": "insights",
    "buyers.tasks_insights.demand_digest_weekly_task": "insights",
    # The periodic jobs of beat (the relays excepted: they go with their work).
    "marketplace.tasks.exchange_rates_refresh_task": "periodic",
    "marketplace.tasks.stored_indexes_catch_up_task": "periodic",
    "buyers.tasks.rfqs_close_due_task": "periodic",
    "buyers.tasks.negotiation_rounds_end_due_task": "periodic",
    "buyers.tasks.quotes_expire_due_task": "periodic",
    "buyers.tasks.supplier_response_metrics_task": "periodic",
    "suppliers.tasks_onboarding.factory_invitations_remind_task": "periodic",
    "suppliers.tasks_verification.certifications_expiry_task": "periodic",
    "marketplace.tasks.unconfirmed_signups_discard_task": "periodic",
    "suppliers.tasks.search_vocabulary_refresh_task": "periodic",
}
TASK_QUEUES = {kind: f"{TASK_QUEUE_PREFIX}.{kind}" for kind in WORK_KINDS}
CELERY_TASK_ROUTES = {task: {"queue": TASK_QUEUES[kind]} for task, kind in TASK_KINDS.items()}
CELERY_TASK_QUEUES = {name: {"exchange": name, "routing_key": name} for name in TASK_QUEUES.values()}
# A task without a route (none: see above) would go with the periodic jobs, which every setup reads.
CELERY_TASK_DEFAULT_QUEUE = TASK_QUEUES["periodic"]
# Sending a task from a web request waits at most this long for the broker, once: no retries, and
# after a failure the process does not try that broker again for BROKER_RETRY_AFTER_SECONDS
# (sourcebelt/celery.py). The work stays pending in the database for its sweeper.
BROKER_PUBLISH_TIMEOUT_SECONDS = env_float("BROKER_PUBLISH_TIMEOUT_SECONDS", 1.0)
BROKER_RETRY_AFTER_SECONDS = env_float("BROKER_RETRY_AFTER_SECONDS", 5.0)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_PUBLISH_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": BROKER_PUBLISH_TIMEOUT_SECONDS,
    "socket_timeout": BROKER_PUBLISH_TIMEOUT_SECONDS,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # The ECB publishes around 16:00 CET on working days; later runs catch a late file (idempotent).
    "refresh-exchange-rates": {
        "task": "marketplace.tasks.exchange_rates_refresh_task",
        "schedule": crontab(hour="15,18,21", minute=30),
    },
    # The relays: pending work left by an outage or a killed worker resumes within seconds.
    "relay-pending-matching": {"task": "buyers.tasks.rfqs_match_relay_task", **RELAY_RUNS},
    "relay-pending-notifications": {"task": "marketplace.tasks.notifications_relay_task", **RELAY_RUNS},
    "relay-pending-translations": {"task": "marketplace.tasks.text_translations_relay_task", **RELAY_RUNS},
    "relay-lost-imports": {"task": "suppliers.tasks.imports_relay_task", **RELAY_RUNS},
    "relay-pending-factory-invitations": {
        "task": "suppliers.tasks_onboarding.factory_invitations_relay_task",
        **RELAY_RUNS,
    },
    # After an upgrade that changed what the search and matching texts hold: rebuild them by batches.
    "rebuild-stale-stored-indexes": {
        "task": "marketplace.tasks.stored_indexes_catch_up_task",
        "schedule": crontab(minute="*"),
    },
    "close-rfqs-at-deadline": {
        "task": "buyers.tasks.rfqs_close_due_task",
        "schedule": crontab(minute="*"),
    },
    "end-negotiation-rounds-at-deadline": {
        "task": "buyers.tasks.negotiation_rounds_end_due_task",
        "schedule": crontab(minute="*"),
    },
    "expire-quotes-past-their-validity": {
        "task": "buyers.tasks.quotes_expire_due_task",
        "schedule": crontab(minute=5),
    },
    # The words misspelt queries are corrected against: new catalog words count within the hour.
    "refresh-search-vocabulary": {
        "task": "suppliers.tasks.search_vocabulary_refresh_task",
        "schedule": crontab(minute=23),
    },
    "rebuild-matching-facts": {
        "task": "buyers.tasks.matching_facts_rebuild_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "recompute-supplier-response-figures": {
        "task": "buyers.tasks.supplier_response_metrics_task",
        "schedule": crontab(minute=17),
    },
    "remind-unclaimed-belt-factories": {
        "task": "suppliers.tasks_onboarding.factory_invitations_remind_task",
        "schedule": crontab(hour=2, minute=10),
    },
    "warn-and-expire-certificates": {
        "task": "suppliers.tasks_verification.certifications_expiry_task",
        "schedule": crontab(hour=2, minute=40),
    },
    "aggregate-demand-and-detect-surges": {
        "task": "buyers.tasks_insights.demand_aggregate_task",
        "schedule": crontab(minute="*/10"),
    },
    "remove-unconfirmed-sign-ups": {
        "task": "marketplace.tasks.unconfirmed_signups_discard_task",
        "schedule": crontab(minute="7-59/15"),
    },
    "send-weekly-demand-digests": {
        "task": "buyers.tasks_insights.demand_digest_weekly_task",
        "schedule": crontab(day_of_week="mon", hour=1, minute=0),
    },
}

# --- REST API -----------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.api.authentication.ApiTokenAuthentication",
        "marketplace.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only: DRF's browsable pages style themselves inline, which the Content-Security-Policy
    # refuses; people read and try the API on /api/v1/docs/ (docs/security.md).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.api.pagination.StandardCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "marketplace.api.errors.api_exception_handler",
    # DRF's parsers, refusing control characters and numbers no field takes (marketplace/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "marketplace.api.parsers.JSONParser",
        "marketplace.api.parsers.FormParser",
        "marketplace.api.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "marketplace.api.throttling.AnonRateThrottleFromSettings",
        "marketplace.api.throttling.TokenRateThrottle",
        "marketplace.api.throttling.CompanyRateThrottle",
    ],
    # Anonymous clients per address; signed-in clients per API token and per company, reads (GET,
    # HEAD, OPTIONS) and writes counted apart (marketplace/api/throttling.py).
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_ANON_RATE", "60/minute"),
        "token_read": env_rate("API_TOKEN_READ_RATE", "300/minute"),
        "token_write": env_rate("API_TOKEN_WRITE_RATE", "60/minute"),
        "company_read": env_rate("API_COMPANY_READ_RATE", "1200/minute"),
        "company_write": env_rate("API_COMPANY_WRITE_RATE", "240/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SourceBelt API",
    "DESCRIPTION": "Sourcing requests, quotes, orders and the catalogs of China's industrial belts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation may be refused before its view (400, 413, 414) or fail (500), in the error shape.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marketplace.api.views.declare_request_refusals",
        "marketplace.api.views.declare_empty_query_values",
        "marketplace.api.views.declare_plain_text",
    ],
    # One name per choice set that several serializers share.
    "ENUM_NAME_OVERRIDES": {
        "CompanySideEnum": ["buyer", "supplier"],
        "MembershipRoleEnum": "marketplace.models.Membership.Role",
        "AllocationPlanStatusEnum": ["optimal", "feasible", "infeasible", "timeout", "empty"],
        "QuoteStatusEnum": "buyers.models.Quote.Status",
        "ErrorCodeEnum": "marketplace.api.errors.ERROR_CODES",
    },
}

# --- Security (production) ----------------------------------------------------------------------

# Request size (docs/security.md, "Hostile input"). A body over MAX_REQUEST_BODY_BYTES is refused
# with 413 by its Content-Length before anything reads it (ten 8 MB product images do not fit in
# one request: they go in several). Of a form or JSON body, at most DATA_UPLOAD_MAX_MEMORY_SIZE
# is text (files apart); files over FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to disk while read.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 32 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", int(2.5 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# An address (path and query string) longer than this is refused with 414, in the API's JSON shape
# or on a page; gunicorn refuses a request line over 8,190 bytes with its own HTML page before the
# application sees it (sourcebelt/gunicorn_conf.py), so the default stays just below that.
MAX_URL_LENGTH = env_int("MAX_URL_LENGTH", 8000)

SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = not DEBUG and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (docs/security.md): scripts, styles, images, fonts and requests come from
# this site only; no inline script or style anywhere (markup, <style>, on*= handlers, javascript:
# links), so a script that slips into a page through stored text is not run. The API docs, the
# admin and every page keep to it; tests/browser/test_hardening_csp.py visits them all.
# CSP_REPORT_URI, when set, receives the browser's violation reports.
_csp_report_uri = env_str("CSP_REPORT_URI")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the icons Swagger UI's style sheet draws (/api/docs/).
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"report-uri": [_csp_report_uri]} if _csp_report_uri else {}),
    },
}
# Permissions-Policy: the site uses none of these browser features, so no page (nor anything
# injected into one) may ask for them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}
SILENCED_SYSTEM_CHECKS: list[str] = []
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded demo: SQLite cannot enforce "one weekly demand row per category and belt, the
    # all-belts row included" (nulls not distinct); the aggregation writes those rows under one
    # lock anyway (buyers/insights/aggregation.py), and PostgreSQL enforces the constraint.
    SILENCED_SYSTEM_CHECKS.append("models.W047")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per security event, whatever LOG_LEVEL says (docs/security.md lists them).
        "sourcebelt.security": {"level": env_str("SECURITY_LOG_LEVEL", "INFO")},
        # django-axes' own lines repeat what the security log says, with the typed e-mail address.
        "axes": {"level": "ERROR"},
        # Tasks run in-process without a broker (the demo): a line per task that succeeded says
        # nothing (seed_demo ran ~260 of them before its login table); failures are still logged.
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}
