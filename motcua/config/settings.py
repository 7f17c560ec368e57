"""MotCua settings, read from the environment so one build runs anywhere.

DATABASE_URL        default: SQLite at var/motcua.sqlite3 (the embedded default)
MOTCUA_SECRET_KEY   required in production; else read from var/secret_key (written by make run)
MOTCUA_SECRET_KEY_FALLBACKS  former secret keys, comma-separated, during a rotation
MOTCUA_DEBUG        "1" turns debug on; off by default
MOTCUA_ALLOWED_HOSTS comma-separated; default localhost names (and MOTCUA_HOST)
MOTCUA_HOST, MOTCUA_PORT where the server listens (`make run` exports them from HOST and PORT);
                    MOTCUA_PUBLIC_URL defaults to that address

Background tasks, email and SMS (docs/subsystems/outbox-and-tasks.md):
MOTCUA_TASKS_BACKEND     dotted path of the tasks backend; default the database backend
                         (django_tasks_db.DatabaseBackend) run by `manage.py db_worker`;
                         tests always use the immediate backend
MOTCUA_EMAIL_BACKEND     Django email backend; default SMTP when MOTCUA_EMAIL_HOST is set,
                         else the console backend (development); locmem in tests
MOTCUA_EMAIL_HOST, MOTCUA_EMAIL_PORT (587), MOTCUA_EMAIL_HOST_USER, MOTCUA_EMAIL_HOST_PASSWORD,
MOTCUA_EMAIL_USE_TLS ("1", default on), MOTCUA_EMAIL_USE_SSL ("1"), MOTCUA_EMAIL_TIMEOUT (10 s)
MOTCUA_EMAIL_FROM        sender of notifications; default "MotCua <no-reply@localhost>"
MOTCUA_SMS_GATEWAY       dotted path of an SmsGateway class; default the file gateway, which
                         appends JSON lines to MOTCUA_SMS_OUTBOX (default var/sms-outbox.jsonl)
MOTCUA_NOTIFY_MAX_ATTEMPTS     sending attempts per message before it is failed (5)
MOTCUA_NOTIFY_CLAIM_TIMEOUT    seconds after which an unfinished attempt is retried (600)

Login throttle (accounts.backends, docs/security.md):
MOTCUA_LOGIN_FAILURES_PER_ACCOUNT  failed logins of one account per window (10)
MOTCUA_LOGIN_FAILURES_PER_ADDRESS  failed logins from one client address per window (50)
MOTCUA_LOGIN_WINDOW_SECONDS        the window, in seconds (900)

Audit checkpoints (docs/subsystems/workflow-engine.md, Audit):
MOTCUA_AUDIT_SIGNING_KEY     the Ed25519 private key (PEM) that signs checkpoints; default
                             var/audit_signing_key, created with mode 600 on first use. Keep it
                             off the database server and out of backups of the database.
MOTCUA_AUDIT_PUBLIC_KEYS     folder of trusted public keys (<key id>.pem), one per key ever used;
                             default var/audit_public_keys. The verifier trusts only these.

MOTCUA_TRUSTED_PROXIES   comma-separated addresses or CIDRs of the reverse proxies whose
                         X-Forwarded-For is believed (rate limits); empty by default
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from motcua.config.queues import ALL_QUEUES
from motcua.web.clients import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))

DEBUG = os.environ.get("MOTCUA_DEBUG", "") == "1"
TESTING = "pytest" in sys.modules or os.environ.get("MOTCUA_TESTING") == "1"

SECRET_KEY = os.environ.get("MOTCUA_SECRET_KEY", "")
_SECRET_FILE = VAR_DIR / "secret_key"
if not SECRET_KEY and _SECRET_FILE.exists():
    # `make run` writes a random key here once, so a local install needs no configuration.
    SECRET_KEY = _SECRET_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "MOTCUA_SECRET_KEY is not set. Set it to a long random string "
            "(or MOTCUA_DEBUG=1 for development)."
        )

# Former secret keys, still accepted while sessions, API tokens and signed links made with them
# run out (docs/security.md, "Rotating keys"): comma-separated, newest first.
SECRET_KEY_FALLBACKS = [
    key.strip()
    for key in os.environ.get("MOTCUA_SECRET_KEY_FALLBACKS", "").split(",")
    if key.strip()
]

# Where the server listens (`make run HOST=… PORT=…` exports these); the default public URL.
SERVE_HOST = os.environ.get("MOTCUA_HOST") or "127.0.0.1"
SERVE_PORT = os.environ.get("MOTCUA_PORT") or "8000"


def _browser_host(host: str) -> str:
    """The host a browser on this machine uses for a server bound to `host`."""
    bare = host.strip("[]")
    if bare in {"0.0.0.0", "::"}:  # noqa: S104  (listening everywhere: reachable here)
        return "127.0.0.1"
    return f"[{bare}]" if ":" in bare else bare


ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
if "MOTCUA_ALLOWED_HOSTS" not in os.environ and _browser_host(SERVE_HOST) not in ALLOWED_HOSTS:
    # `make run HOST=192.0.2.10` answers at that address without further configuration.
    ALLOWED_HOSTS.append(_browser_host(SERVE_HOST))
if TESTING:
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # trigram lookups for search on PostgreSQL; inert on SQLite
    "ninja",  # serves its bundled Swagger UI at /api/v1/docs instead of a CDN copy
    "motcua.units",
    "motcua.worktime",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.engagement",
    "motcua.notifications",
    "motcua.centres",
    "motcua.web",
    "django_tasks",  # Django 6's tasks interface, backported for 5.2
    "django_tasks_db",  # the database backend and its `db_worker` command
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.web.middleware.VietnameseFirstLocaleMiddleware",
    # Before anything reads the body (CSRF) or the database: oversized bodies, NUL characters.
    "motcua.web.guards.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the session: a kiosk session expires after MOTCUA_KIOSK_IDLE_SECONDS idle.
    "motcua.centres.kiosk.KioskSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.config.urls"
WSGI_APPLICATION = "motcua.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        conn_max_age=60,
        # A kept connection is checked before a request reuses it: a connection the database
        # killed (restart, failover, idle timeout) fails no request, instead of the next one.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the dev server read while a loader writes; a busy timeout instead of
    # "database is locked" errors under the occasional concurrent write.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Tests use a file, not SQLite's shared in-memory database: its table locks ignore the busy
    # timeout, so concurrent writers would fail instead of waiting as they do in production.
    # One file per test process, so parallel runs never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"motcua-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["motcua.accounts.backends.AccountBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 stays the production hasher; tests that check it ask for it explicitly.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
LEGAL_TIME_ZONE = TIME_ZONE
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Served from STATIC_ROOT, compressed (`make setup` runs collectstatic); straight from the apps'
# directories only in development and tests, where nothing is collected. With the finders on,
# WhiteNoise would serve the apps' uncompressed copies in place of the collected ones.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Source maps are fetched only by browser developer tools: compressing them (3 of the 8 MB of
# the API docs' scripts) would add a third to the time `collectstatic` takes on a fresh install.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "motcua.web.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG and not TESTING and os.environ.get("MOTCUA_HTTPS") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_ids": {"()": "motcua.accounts.masking.MaskPersonalIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_personal_ids"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
    # Django's own loggers go through the same masked handler, once.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint logs each step of every PDF it renders (official slips) at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Audit checkpoints: the signing key and the public keys that verify them live outside the
# database, so write access to it is not enough to forge a checkpoint.
MOTCUA_AUDIT_SIGNING_KEY = Path(
    os.environ.get("MOTCUA_AUDIT_SIGNING_KEY") or VAR_DIR / "audit_signing_key"
)
MOTCUA_AUDIT_PUBLIC_KEYS = Path(
    os.environ.get("MOTCUA_AUDIT_PUBLIC_KEYS") or VAR_DIR / "audit_public_keys"
)

# Uploaded documents (content-addressed) and their size limit.
MOTCUA_MEDIA_ROOT = Path(os.environ.get("MOTCUA_MEDIA_ROOT") or VAR_DIR / "media")
MOTCUA_UPLOAD_MAX_BYTES = int(os.environ.get("MOTCUA_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))

# Django's cache is per process: nothing relies on it being shared. Counters that must hold
# across server processes and restarts (the rate limits) live in the database instead
# (motcua.web.ratelimit), which costs one statement per request rather than a file write.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public tracking: look-ups per client address per window (against code enumeration), counted
# in the database table web_ratecounter.
MOTCUA_TRACK_LIMIT = int(os.environ.get("MOTCUA_TRACK_LIMIT", "30"))
MOTCUA_TRACK_WINDOW_SECONDS = int(os.environ.get("MOTCUA_TRACK_WINDOW_SECONDS", "600"))

# Queue tickets: numbers taken per client address per window (a centre's tablet is one address,
# so this is set for a busy morning, yet stops a script from filling the queue), and SMS sent
# per phone number per window (the tablet must not be a way to flood someone's phone).
MOTCUA_QUEUE_TICKETS_PER_ADDRESS = int(os.environ.get("MOTCUA_QUEUE_TICKETS_PER_ADDRESS", "60"))
MOTCUA_QUEUE_WINDOW_SECONDS = int(os.environ.get("MOTCUA_QUEUE_WINDOW_SECONDS", "600"))
MOTCUA_QUEUE_SMS_PER_PHONE = int(os.environ.get("MOTCUA_QUEUE_SMS_PER_PHONE", "3"))
MOTCUA_QUEUE_SMS_WINDOW_SECONDS = int(os.environ.get("MOTCUA_QUEUE_SMS_WINDOW_SECONDS", "3600"))

# Kiosk mode (/kiosk/<centre>/): seconds without input after which a kiosk session ends (the
# page posts "Kết thúc" with JavaScript; the server lets the session expire without it).
MOTCUA_KIOSK_IDLE_SECONDS = int(os.environ.get("MOTCUA_KIOSK_IDLE_SECONDS", "120"))

# Failed logins (API token and sign-in page) per account and per client address in a fixed
# window, counted in web_ratecounter (accounts.backends). An address is set higher than an
# account: citizens at a service centre's kiosks or behind one network share an address.
MOTCUA_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("MOTCUA_LOGIN_FAILURES_PER_ACCOUNT", "10"))
MOTCUA_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("MOTCUA_LOGIN_FAILURES_PER_ADDRESS", "50"))
MOTCUA_LOGIN_WINDOW_SECONDS = int(os.environ.get("MOTCUA_LOGIN_WINDOW_SECONDS", "900"))

# The reverse proxies in front of the server, as comma-separated addresses or CIDR networks. A
# request whose direct peer is one of them is counted (rate limits) under the address its
# X-Forwarded-For names: the rightmost one that is not itself a trusted proxy. Empty (the
# default), X-Forwarded-For is ignored: a client could write anything there.
MOTCUA_TRUSTED_PROXIES = parse_networks(
    os.environ.get("MOTCUA_TRUSTED_PROXIES", ""), setting="MOTCUA_TRUSTED_PROXIES"
)

# The demo accounts' password; printed to the console by `make run`.
MOTCUA_DEMO_PASSWORD = os.environ.get("MOTCUA_DEMO_PASSWORD", "")

# Background tasks: Django's tasks interface (the django-tasks backport until Django 6). The
# database backend stores tasks in a table and `manage.py db_worker --queue-name '*'` runs them;
# tests run every task at once, in the enqueuing thread.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else os.environ.get("MOTCUA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
        ),
        "QUEUES": list(ALL_QUEUES),
    }
}

# Email: Django's mail. SMTP when a host is configured, the console in development.
EMAIL_HOST = os.environ.get("MOTCUA_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("MOTCUA_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("MOTCUA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MOTCUA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = os.environ.get("MOTCUA_EMAIL_USE_SSL", "") == "1"
EMAIL_USE_TLS = not EMAIL_USE_SSL and os.environ.get("MOTCUA_EMAIL_USE_TLS", "1") == "1"
EMAIL_TIMEOUT = int(os.environ.get("MOTCUA_EMAIL_TIMEOUT", "10"))
EMAIL_BACKEND = os.environ.get("MOTCUA_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_EMAIL_FROM", "MotCua <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS: a pluggable gateway (motcua.notifications.sms.SmsGateway).
MOTCUA_SMS_GATEWAY = os.environ.get("MOTCUA_SMS_GATEWAY", "motcua.notifications.sms.FileSmsGateway")
if TESTING:
    MOTCUA_SMS_GATEWAY = "motcua.notifications.sms.MemorySmsGateway"
MOTCUA_SMS_OUTBOX = Path(os.environ.get("MOTCUA_SMS_OUTBOX") or VAR_DIR / "sms-outbox.jsonl")

# Notifications: attempts per message (backoff 2, 4, 8, 16 minutes between them) and how long
# an attempt may stay unfinished before it is presumed crashed and retried.
MOTCUA_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_NOTIFY_MAX_ATTEMPTS", "5"))
MOTCUA_NOTIFY_CLAIM_TIMEOUT = int(os.environ.get("MOTCUA_NOTIFY_CLAIM_TIMEOUT", "600"))

# The public address of this installation, for links printed on paper (the QR code of a slip).
# Unset, it is where `make run` serves (MOTCUA_HOST and MOTCUA_PORT, which the Makefile exports
# from HOST and PORT), so `make run PORT=8101` prints links that work.
MOTCUA_PUBLIC_URL = (
    os.environ.get("MOTCUA_PUBLIC_URL") or f"http://{_browser_host(SERVE_HOST)}:{SERVE_PORT}"
).rstrip("/")
