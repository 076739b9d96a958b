"""Settings for Revans.

Everything a deployment changes comes from the environment (see README, "Configuration").
The defaults give the embedded set-up: SQLite in ./var, in-memory channel layer, emails
written to ./var/mail and listed on the outbox page.
"""

import os
import warnings
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("REVANS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    # A stable key per installation, so sessions and signed links survive restarts
    # without anyone having to invent one for a local run.
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# The address people see in emails and printed links.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "revans.core",
    "revans.accounts",
    "revans.organisations",
    "revans.sets",
    "revans.meetings",
    "revans.home",
    "revans.live",
    "revans.commitments",
    "revans.calls",
    "revans.journal",
    "revans.notifications",
    "revans.reports",
    "revans.programmes",
]

# WhiteNoise answers with a file iterator that is not async; under ASGI Django reads it on a
# thread, which is right, and warns each server start that it does so. The warning says
# nothing a person running Revans can act on, so it is not printed.
warnings.filterwarnings(
    "ignore",
    message="StreamingHttpResponse must consume synchronous iterators",
    module="django.core.handlers.asgi",
)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "revans.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "revans.urls"
ASGI_APPLICATION = "revans.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "revans.core.context_processors.site",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

# Database: SQLite in ./var by default, any DATABASE_URL (PostgreSQL) otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
            "REVANS_TEST_DATABASE", "test_revans"
        )
        # A pool of connections per process: live-meeting work runs on a pool of threads,
        # and opening a PostgreSQL connection for each act and read (CONN_MAX_AGE=0) made
        # the 100-meeting benchmark fall minutes behind. Size it with REVANS_DB_POOL_MAX.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 2,
            "max_size": int(os.environ.get("REVANS_DB_POOL_MAX", "20")),
            "timeout": 10,
        }
        # The live meeting's few hot statements are prepared on the server, once per pooled
        # connection (revans.core.rows); Django's own queries never are. A threshold of None
        # turns that off, for a connection pooler that cannot keep prepared statements
        # (PgBouncer before 1.21 in transaction mode): REVANS_DB_PREPARED_STATEMENTS=0.
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
            5 if os.environ.get("REVANS_DB_PREPARED_STATEMENTS", "1") != "0" else None
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "revans.sqlite3"),
            # Keep each thread's connection: opening one runs the PRAGMAs below every time
            # (live-meeting bench, 20x8: p99 29 ms kept vs 159 ms reopened). Django advises
            # against persistent connections under ASGI because per-request threads may each
            # hold one; for SQLite that is a file handle freed with its thread, not a server
            # connection. PostgreSQL (DATABASE_URL) keeps CONN_MAX_AGE=0 until pooling is set up.
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so two
                # requests never deadlock upgrading read locks; WAL lets readers run alongside.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            # Tests use a file (not :memory:) so a served subprocess sees the same data.
            "TEST": {"NAME": os.environ.get("REVANS_TEST_SQLITE", str(VAR_DIR / "test.sqlite3"))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "revans.core.channel_layer.LocalChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Threads for live-meeting database work in each server process (revans.live.consumers).
REVANS_LIVE_THREADS = int(
    os.environ.get("REVANS_LIVE_THREADS", "16" if DATABASE_URL.startswith("postgres") else "4")
)
# How often each server process says it is alive and drops the connections of processes
# that are not (revans.live.servers); 0 turns the keeper off (unit tests drive it by hand).
REVANS_LIVE_HEARTBEAT_SECONDS = float(os.environ.get("REVANS_LIVE_HEARTBEAT_SECONDS", "15"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# How long a single-use sign-in link stays valid.
SIGN_IN_LINK_MINUTES = 15
INVITATION_DAYS = 14

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English (UK)")]
LOCALE_PATHS = [BASE_DIR / "revans" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"  # only for rendering dates outside a set's own zone
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise warns at every request if the folder is missing, even when serving from finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the app folders: no collectstatic step for a local run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Email: SMTP when EMAIL_HOST is set, otherwise files in ./var/mail (listed at /outbox/).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Revans <revans@localhost>")
EMAIL_FILE_PATH = VAR_DIR / "mail"
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
# The outbox page lists emails written to files, for a local demo only (make run turns it
# on): it shows sign-in links, so it is never on with a real SMTP server.
REVANS_OUTBOX_PAGE = _env_bool("REVANS_OUTBOX_PAGE", False) and not EMAIL_HOST

# How long a worker's claim on an email lasts before another may take it (seconds).
REVANS_EMAIL_LEASE_SECONDS = int(os.environ.get("REVANS_EMAIL_LEASE_SECONDS", "120"))

# The worker delivers queued emails; in tests it can deliver right after commit instead.
REVANS_DELIVER_ON_COMMIT = _env_bool("REVANS_DELIVER_ON_COMMIT", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO: only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# A served copy of the app (the browser tests' subprocess) points at another SQLite file,
# keeping the WAL and IMMEDIATE options above.
if os.environ.get("REVANS_SQLITE_PATH") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = os.environ["REVANS_SQLITE_PATH"]

# Tests only: users made by the test suite have MD5 password hashes (fast tests); the server the
# browser tests start must accept them. Never set this in a deployment.
if _env_bool("REVANS_TEST_FAST_HASHER", False):
    from django.conf import global_settings

    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *global_settings.PASSWORD_HASHERS,
    ]
