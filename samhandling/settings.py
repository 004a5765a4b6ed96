"""Django settings, read from the environment (see docs/deploy.md).

The defaults run a whole working site on one machine with nothing installed: SQLite
and an embedded Celery broker on local files under var/. Production sets
ENVIRONMENT=production and points DATABASE_URL at PostgreSQL and REDIS_URL at Redis.
"""

import logging
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from avvik.operations.logs import logging_config, structlog_configure
from samhandling.config import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_log_level,
    env_networks,
    env_redis,
    env_str,
    generate_fernet_key,
    stored_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_choice("ENVIRONMENT", "development", ("development", "production"))
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = stored_secret("SECRET_KEY", VAR_DIR / "secret_key", production=PRODUCTION)
# Encrypts patient references at rest. Several keys, comma-separated, allow rotation:
# the first encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = env_list(
    "FIELD_ENCRYPTION_KEY",
    [stored_secret("FIELD_ENCRYPTION_KEY", VAR_DIR / "field_key", production=PRODUCTION, generate=generate_fernet_key)],
)
# Off unless asked for, on a developer's machine too: `make run` shows visitors the site's own error
# pages, never the debug page with its list of URLs. Production checks key on ENVIRONMENT, not on this.
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
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
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "bootstrap",
    "django_prometheus",
    "django_structlog",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The domain, by area; lower areas first (docs/architecture.md).
    "avvik.tenancy",
    "avvik.catalogue",
    "avvik.deadlines",
    "avvik.outbox",
    "avvik.accounts",
    "avvik.operations",
    "avvik.cases",
    "avvik.register",
    "avvik.reminders",
    "avvik.measures",
    "avvik.duties",
    "avvik.council",
    "avvik.exports",
    "avvik.traffic",
    "avvik.webhooks",
    "avvik.archive",
    "avvik.inbox",
    "avvik.administration",
    "avvik.partnership_admin",
    "avvik.api",
    "avvik.pages",
    "avvik.demo",
]

MIDDLEWARE = [
    # First and last: counts and times every request, whatever the middleware below answers.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request id, before anything logs (avvik/operations/logs.py).
    "avvik.operations.logs.RequestIdMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A request body over DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413 with our page, not a bare 400.
    "avvik.pages.middleware.RequestTooLargeMiddleware",
    "avvik.pages.csp.CachedPolicyCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTP: a person who must give a second factor reaches nothing else until they have.
    "avvik.accounts.middleware.SecondFactorMiddleware",
    "avvik.accounts.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "avvik.accounts.middleware.SessionLimitMiddleware",
    "avvik.accounts.middleware.NoStoreMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "samhandling.urls"
WSGI_APPLICATION = "samhandling.wsgi.application"

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
                "django.template.context_processors.i18n",
                "avvik.access.context_processors.roles",
                "avvik.inbox.context_processors.unread_notices",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samhandling.sqlite3'}")}
# PostgreSQL plans each statement anew unless it is prepared: with 32 indexes on the case table, the
# planning of the navigation's queue counts took twice as long as running them, on every page. The
# parameters are bound on the server and a statement run twice on a connection is prepared, so its
# plan is kept for the life of the connection. DATABASE_PREPARED_STATEMENTS=false for a pooler that
# cannot keep them (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_PREPARED_STATEMENTS", True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
# django-prometheus's wrappers of the same engines count connections, queries and their errors.
_COUNTED_ENGINES = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}
DATABASES["default"]["ENGINE"] = _COUNTED_ENGINES.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tenancy.User"
# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["samhandling.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing folder even when it uses the finders
# Uploaded files live outside every publicly served folder and are only read by views
# that check visibility.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Attachments (held uploads with them) and council reports: in folders under MEDIA_ROOT, or, with
# S3_BUCKET, in an S3-compatible object store every web host and worker shares (django-storages;
# credentials from boto3's own chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the host's role).
S3_BUCKET = env_str("S3_BUCKET", "") or ""
_S3_SETTINGS = ("S3_ENDPOINT_URL", "S3_REGION", "S3_ADDRESSING_STYLE", "S3_SERVER_SIDE_ENCRYPTION", "S3_DOWNLOADS")
if not S3_BUCKET and any(env_str(name) for name in _S3_SETTINGS):
    from samhandling.config import ConfigError

    raise ConfigError(f"S3_BUCKET must be set when any of {', '.join(_S3_SETTINGS)} is.")
# Browser downloads from S3: "stream" through the web process after the access check (the default:
# no address of the file ever leaves the site), or "redirect" to a presigned URL valid
# S3_URL_SECONDS (the object store sends the file; whoever holds the link can fetch it meanwhile).
# The API always streams: systems get the file itself, as its schema says.
S3_DOWNLOADS = env_choice("S3_DOWNLOADS", "stream", ("stream", "redirect"))
S3_URL_SECONDS = env_int("S3_URL_SECONDS", 60, minimum=5)
_S3_OPTIONS = {
    "bucket_name": S3_BUCKET,
    "endpoint_url": env_str("S3_ENDPOINT_URL"),
    "region_name": env_str("S3_REGION"),
    "addressing_style": env_choice("S3_ADDRESSING_STYLE", "auto", ("auto", "path", "virtual")),
    "signature_version": "s3v4",
    "default_acl": None,  # the bucket's own policy: private
    "file_overwrite": False,
    "querystring_auth": True,
    "querystring_expire": S3_URL_SECONDS,
    "object_parameters": (
        {"ServerSideEncryption": _encryption}
        if (_encryption := env_choice("S3_SERVER_SIDE_ENCRYPTION", "", ("", "AES256", "aws:kms")))
        else {}
    ),
}


def _file_storage(folder: str) -> dict:
    if S3_BUCKET:
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_S3_OPTIONS, "location": folder}}
    return {"BACKEND": "avvik.core.file_storage.MediaFolderStorage", "OPTIONS": {"folder": folder}}


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": _file_storage("attachments"),
    "reports": _file_storage("reports"),
    "exports": _file_storage("exports"),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Local files sent by the proxy in front (nginx): with SENDFILE_HEADER=X-Accel-Redirect a download
# is checked and logged here and answered with an empty body and that header, naming the file under
# SENDFILE_PREFIX, an internal location of nginx's that maps to MEDIA_ROOT (docs/deploy.md).
SENDFILE_HEADER = env_choice("SENDFILE_HEADER", "", ("", "X-Accel-Redirect"))
SENDFILE_PREFIX = (env_str("SENDFILE_PREFIX", "/protected-files") or "").rstrip("/")
if SENDFILE_HEADER and S3_BUCKET:
    from samhandling.config import ConfigError

    raise ConfigError("SENDFILE_HEADER is for files on the local file system; with S3_BUCKET leave it unset.")
if not SENDFILE_PREFIX.startswith("/"):
    from samhandling.config import ConfigError

    raise ConfigError(f"SENDFILE_PREFIX={SENDFILE_PREFIX!r} must be a path starting with / (e.g. /protected-files).")

# Attachments: the largest file accepted, in bytes.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
# The files of one form together: a multipart body that declares more than this and the fields'
# limit below is answered 413 before any of it is read.
ATTACHMENTS_MAX_TOTAL_BYTES = env_int("ATTACHMENTS_MAX_TOTAL_MB", 25, minimum=1) * 1024 * 1024
if ATTACHMENTS_MAX_TOTAL_BYTES < ATTACHMENT_MAX_BYTES:
    from samhandling.config import ConfigError

    raise ConfigError(
        "ATTACHMENTS_MAX_TOTAL_MB must be at least ATTACHMENT_MAX_MB, or no form could carry the largest file."
    )
# More files in one form are refused with our page (Django's default is 100).
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# A form's fields together (files not counted): a larger body is answered 413 with our page
# (avvik.pages.middleware.RequestTooLargeMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A form sent from an expired page gets our 403 page, which says what was typed is kept.
CSRF_FAILURE_VIEW = "avvik.pages.views.csrf_failure"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # for the file backend
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
# Production refuses the development defaults of the backend, the sender and SITE_URL
# (avvik/operations/checks.py).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samhandling <noreply@samhandling.localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where people report problems (shown in the accessibility statement).
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "")

# Celery: Redis in production; an embedded broker on local files otherwise, so a real
# worker and beat run on a machine with nothing installed.
# REDIS_URL is one server (redis://host:6379/0) or a master that Sentinel names
# (redis+sentinel://host:26379,host2:26379/mymaster/0); sentinels with a password of their own get
# REDIS_SENTINEL_PASSWORD. avvik/core/redis_urls.py says it to Celery, django-redis and our probes.
REDIS_SENTINEL_PASSWORD = env_str("REDIS_SENTINEL_PASSWORD", "") or ""
REDIS = env_redis("REDIS_URL", sentinel_password=REDIS_SENTINEL_PASSWORD)
REDIS_URL = REDIS.url if REDIS else None
if PRODUCTION and REDIS_URL is None:
    from samhandling.config import ConfigError

    raise ConfigError("REDIS_URL must be set when ENVIRONMENT=production.")
CELERY_BROKER_DIR = VAR_DIR / "broker"
# Short timeouts: when Redis is down a request must still finish quickly; the outbox sweep sends
# what could not be queued.
_REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 2}
# The result backend's own connections (kombu's transport options reach only its sentinels).
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = _REDIS_TIMEOUTS["socket_connect_timeout"]
CELERY_REDIS_SOCKET_TIMEOUT = _REDIS_TIMEOUTS["socket_timeout"]
if REDIS:
    CELERY_BROKER_URL = REDIS.kombu_url()
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        **_REDIS_TIMEOUTS,
        "max_retries": 0,
        **REDIS.kombu_transport_options(**_REDIS_TIMEOUTS),
    }
    # Results are ignored unless a task asks for them; when one does, they go to the same Redis.
    CELERY_RESULT_BACKEND = REDIS.kombu_url()
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = REDIS.kombu_transport_options(**_REDIS_TIMEOUTS)
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
    for folder in (CELERY_BROKER_DIR, VAR_DIR / "broker-control"):
        folder.mkdir(parents=True, exist_ok=True)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# After a broker call on the request path failed, the process does not try again for this long
# (avvik.core.queue): a hanging broker costs one filing its socket timeout, not every filing.
BROKER_BREAKER_SECONDS = env_int("BROKER_BREAKER_SECONDS", 30, minimum=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "celery"  # its length is a metric (avvik/operations/metrics.py)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Each entry expires before its next run, so a backlog never runs twice in a row.
REMINDER_SWEEP_SECONDS = env_int("REMINDER_SWEEP_SECONDS", 300, minimum=1)
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 60, minimum=1)
# Webhooks (avvik.webhooks): the first wait after a failed delivery, doubled after each; and whether
# addresses inside private networks are allowed (for a closed network's own systems, and tests).
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 60, minimum=1)
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "avvik.operations.tasks.worker_heartbeat",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    "reminder-sweep": {
        "task": "avvik.reminders.tasks.sweep_reminders",
        "schedule": float(REMINDER_SWEEP_SECONDS),
        "options": {"expires": REMINDER_SWEEP_SECONDS * 0.9},
    },
    "measure-follow-up": {
        "task": "avvik.measures.tasks.sweep_measure_follow_up",
        "schedule": crontab(minute=20),
        "options": {"expires": 3000},
    },
    # Hourly: a breach's reminders fall at hours after awareness; an alert's once a day per case.
    "duty-sweep": {
        "task": "avvik.duties.tasks.sweep_duty_reminders",
        "schedule": 3600.0,
        "options": {"expires": 3600 * 0.9},
    },
    "outbox-sweep": {
        "task": "avvik.outbox.tasks.sweep_outbox",
        "schedule": float(OUTBOX_SWEEP_SECONDS),
        "options": {"expires": OUTBOX_SWEEP_SECONDS * 0.9},
    },
    "daily-digest": {
        "task": "avvik.outbox.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 3600},
    },
    "report-queue-sweep": {
        "task": "avvik.council.tasks.sweep_report_queue",
        "schedule": 300.0,
        "options": {"expires": 270},
    },
    "quarterly-reports": {
        "task": "avvik.council.tasks.sweep_reports",
        "schedule": crontab(hour=6, minute=30),
        "options": {"expires": 3600},
    },
    "retention": {
        "task": "avvik.cases.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=15),
        "options": {"expires": 3600},
    },
    "held-uploads-clean-up": {
        "task": "avvik.cases.tasks.clean_held_uploads",
        "schedule": crontab(minute=40),
        "options": {"expires": 3000},
    },
    "weekly-digest": {
        "task": "avvik.reminders.tasks.send_weekly_digests",
        "schedule": crontab(hour=7, minute=15, day_of_week="mon"),
        "options": {"expires": 3600},
    },
    # Message traffic: receipts are due within minutes or hours, so the sweep runs often; it reads
    # only messages still waiting and failures not yet gathered.
    "traffic-sweep": {
        "task": "avvik.traffic.tasks.sweep_traffic",
        "schedule": 120.0,
        "options": {"expires": 110},
    },
    "webhook-sweep": {
        "task": "avvik.webhooks.tasks.sweep_webhooks",
        "schedule": float(OUTBOX_SWEEP_SECONDS),
        "options": {"expires": OUTBOX_SWEEP_SECONDS * 0.9},
    },
    "export-queue-sweep": {
        "task": "avvik.exports.tasks.sweep_export_queue",
        "schedule": 300.0,
        "options": {"expires": 270},
    },
    "people-import-sweep": {
        "task": "avvik.administration.imports.tasks.sweep_people_imports",
        "schedule": 300.0,
        "options": {"expires": 270},
    },
    "export-clean-up": {
        "task": "avvik.exports.tasks.delete_old_exports",
        "schedule": crontab(minute=20),
        "options": {"expires": 3000},
    },
    "notice-retention": {
        "task": "avvik.inbox.tasks.delete_old_notices",
        "schedule": crontab(hour=2, minute=45),
        "options": {"expires": 3600},
    },
}
# Deadlines: reminders N working days before the answer is due, escalation to the contact
# point M working days after.
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 2)
ESCALATE_AFTER_DAYS = env_int("ESCALATE_AFTER_DAYS", 3, minimum=1)
# Batches of the reminder sweep written at once on PostgreSQL, each on its own connection: about
# the database server's cores (the work is mostly the database's). SQLite always writes one.
REMINDER_SWEEP_WORKERS = env_int("REMINDER_SWEEP_WORKERS", 2, minimum=1)
# A measure's responsible person (else its organisation's handlers) is reminded this many working
# days before its due date; once overdue, the organisation's managers and the contact point are told.
MEASURE_REMINDER_DAYS_BEFORE = env_int("MEASURE_REMINDER_DAYS_BEFORE", 3)
# The outbox sweep sends rows still pending after this many seconds (the broker message was
# lost), and takes back claims older than the lease (the worker died mid-send).
OUTBOX_GRACE_SECONDS = env_int("OUTBOX_GRACE_SECONDS", 60)
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 600, minimum=10)
# A failed send is retried after this many seconds, doubled after each further failure, each
# wait within 20 % either way (avvik/outbox/delivery.py: retry_delay). At 75 the six attempts
# span 31 to 46.5 minutes before a notification is marked failed; tests set it low.
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 75, minimum=1)
# Once the mail server has accepted a message, marking its row sent is retried for up to this
# many seconds while the database does not answer (otherwise the row is sent again when its
# lease runs out). The delivery task's time limit covers that and 90 s for the SMTP exchange.
NOTIFICATION_MARK_SENT_SECONDS = env_int("NOTIFICATION_MARK_SENT_SECONDS", 180, minimum=1)
NOTIFICATION_SEND_TIME_LIMIT = 90 + NOTIFICATION_MARK_SENT_SECONDS + 30
if NOTIFICATION_LEASE_SECONDS <= NOTIFICATION_SEND_TIME_LIMIT:
    from samhandling.config import ConfigError

    raise ConfigError(
        f"NOTIFICATION_LEASE_SECONDS={NOTIFICATION_LEASE_SECONDS} must be longer than the delivery task may run "
        f"({NOTIFICATION_SEND_TIME_LIMIT} s with NOTIFICATION_MARK_SENT_SECONDS={NOTIFICATION_MARK_SENT_SECONDS}), "
        "or a claim still being sent is taken back and sent twice."
    )
# List exports made by a worker (avvik.exports): how many a person may have waiting or being made
# at once, and how long a finished file is kept.
EXPORTS_PER_PERSON = env_int("EXPORTS_PER_PERSON", 2, minimum=1)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24, minimum=1)
# /healthz reports the worker down when its last heartbeat is older than this.
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 120, minimum=10)

# Retention: patient references are erased this many days after a case ends, and ended
# cases lose their free text and people after this many years (statistics stay).
PATIENT_RETENTION_DAYS = env_int("PATIENT_RETENTION_DAYS", 90, minimum=1)
CASE_RETENTION_YEARS = env_int("CASE_RETENTION_YEARS", 10, minimum=1)
# Notices in the site's notification centre are deleted this many days after they were written.
SITE_NOTICE_RETENTION_DAYS = env_int("SITE_NOTICE_RETENTION_DAYS", 180, minimum=1)

# Login throttling (django-axes): per account and, separately, per address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_USERNAME_FORM_FIELD = "username"
# Counted on the address as login matches it: in any capitals it is one account.
AXES_USERNAME_CALLABLE = "avvik.accounts.throttling.normalised_username"
# E-mails with a link to choose a password: at most this many per address and per client an hour.
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 3, minimum=1)
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 1 if PRODUCTION else 0)

# Second factor (TOTP with recovery codes): "off"; "admins" (required for coordinators,
# organisation administrators and admin-site users, optional for everyone else); "everyone".
SECOND_FACTOR = env_choice("SECOND_FACTOR", "admins" if PRODUCTION else "off", ("off", "admins", "everyone"))
OTP_TOTP_ISSUER = env_str("SECOND_FACTOR_ISSUER", "Samhandling")
# A failed code doubles the wait before the next try (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Admin pages show neither the secret keys nor the recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Single sign-on with OpenID Connect (mozilla-django-oidc; HelseID, ID-porten or Entra ID, see
# README). Off unless OIDC_ISSUER is set. The endpoints are given one by one, copied from the
# provider's /.well-known/openid-configuration, so that start-up never waits for the provider.
# Nobody gets an account from single sign-on: avvik.accounts.sso matches people administrators set up.
OIDC_ISSUER = env_str("OIDC_ISSUER", "")
_SSO = bool(OIDC_ISSUER)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "SSO")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "", required=_SSO)
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT", "", required=_SSO)
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT", "", required=_SSO)
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT", "", required=_SSO)
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT", "")  # optional: ID-porten's adds nothing
OIDC_RP_SIGN_ALGO = env_choice("OIDC_SIGN_ALGORITHM", "RS256", ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512"))
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
# How we prove who we are at the token endpoint. HelseID and ID-porten want private_key_jwt.
OIDC_CLIENT_AUTH = env_choice(
    "OIDC_CLIENT_AUTH", "client_secret_post", ("client_secret_post", "client_secret_basic", "private_key_jwt")
)
OIDC_TOKEN_USE_BASIC_AUTH = OIDC_CLIENT_AUTH == "client_secret_basic"
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "", required=_SSO and OIDC_CLIENT_AUTH != "private_key_jwt")
OIDC_CLIENT_PRIVATE_KEY_FILE = env_str(
    "OIDC_CLIENT_PRIVATE_KEY_FILE", "", required=_SSO and OIDC_CLIENT_AUTH == "private_key_jwt"
)
OIDC_CLIENT_KEY_ID = env_str("OIDC_CLIENT_KEY_ID", "")
OIDC_CLIENT_ASSERTION_AUDIENCE = env_str("OIDC_CLIENT_ASSERTION_AUDIENCE", OIDC_ISSUER)
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
# Asked of the provider (e.g. idporten-loa-high); the provider decides what it can give.
OIDC_ACR_VALUES = env_str("OIDC_ACR_VALUES", "")
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": OIDC_ACR_VALUES} if OIDC_ACR_VALUES else {}
# A login whose ID token carries one of these acr values, or one of these amr values, counts as
# two-factor: the second-factor step is skipped for that session (avvik.accounts.sso.SSO_STRONG_SESSION_KEY).
OIDC_STRONG_ACR_VALUES = env_list("OIDC_STRONG_ACR_VALUES", [])
OIDC_STRONG_AMR_VALUES = env_list("OIDC_STRONG_AMR_VALUES", [])
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_CREATE_USER = False
# Refused single sign-on logins are not password guesses: django-axes does not count them.
AXES_WHITELIST_CALLABLE = "avvik.accounts.sso.axes_exempts_single_sign_on"
if _SSO:
    if OIDC_CLIENT_PRIVATE_KEY_FILE and not Path(OIDC_CLIENT_PRIVATE_KEY_FILE).is_file():
        from samhandling.config import ConfigError

        raise ConfigError(f"OIDC_CLIENT_PRIVATE_KEY_FILE={OIDC_CLIENT_PRIVATE_KEY_FILE!r} is not a file.")
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "avvik.accounts.sso.SSOBackend"]
elif OIDC_RP_CLIENT_ID or OIDC_OP_AUTHORIZATION_ENDPOINT:
    from samhandling.config import ConfigError

    raise ConfigError("OIDC_ISSUER must be set for single sign-on (OIDC_CLIENT_ID or an endpoint is set).")

# Sessions end after 30 minutes without activity and 12 hours after login, whatever happens.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# A used session is saved (its idle expiry moved on) at most this often, not at every request
# (avvik.accounts.middleware.SessionLimitMiddleware): a page view writes nothing.
SESSION_REFRESH_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1) * 3600

# Content Security Policy: our own files only, no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws a few icons as data: SVG in its CSS
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# The REST API for systems (avvik/api, docs/api.md): bearer tokens only, never a session, so no
# browser's cookie can call it; errors in RFC 9457 problem+json; each client throttled on its own.
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 120, minimum=1)
# A new token is valid this long unless the coordinator chooses otherwise; after a rotation the old
# one keeps working this many hours, so a system can switch without downtime.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 365, minimum=1)
API_TOKEN_ROTATION_GRACE_HOURS = env_int("API_TOKEN_ROTATION_GRACE_HOURS", 24, minimum=0)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["avvik.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["avvik.api.permissions.ClientHasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["avvik.api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_client": f"{API_REQUESTS_PER_MINUTE}/min"},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "avvik.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samhandling API",
    "DESCRIPTION": "Deviations between hospital trusts and municipalities, for systems (docs/api.md).",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v[0-9]+",
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "Status": "avvik.cases.choices.Status",
        "Consequence": "avvik.catalogue.choices.Consequence",
    },
}
# Caches are shared by every web process and worker through Redis when there is one (django-redis):
# the council's statistics, the password-reset throttle and the API's throttle counts (django-axes
# keeps its lockouts in the database). Without Redis each process has its own (locmem).
# A cache call waits at most this long for Redis: a page fails quickly rather than hangs.
CACHE_SOCKET_TIMEOUT_SECONDS = 2
CACHES = (
    {
        "default": REDIS.django_cache(key_prefix="samhandling", timeout_seconds=CACHE_SOCKET_TIMEOUT_SECONDS),
        "api": REDIS.django_cache(key_prefix="api", timeout_seconds=CACHE_SOCKET_TIMEOUT_SECONDS),
    }
    if REDIS
    else {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"},
    }
)
# Template fragments that are the same for everyone with the same roles, in the same language (the
# navigation's links): kept in each process's memory, where reading one costs microseconds rather
# than a round trip to Redis. They hold no data, only links and words, and change only on deploy.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template_fragments",
    "TIMEOUT": None,
}

# Security. Production settings pass `manage.py check --deploy`.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Probes and the metrics scraper reach the container directly, without the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$", r"^metrics$"]
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Logs: JSON lines in production, plain text in development; every line in UTC with its offset and,
# inside a request or a task it queued, the request id (avvik/operations/logs.py, docs/deploy.md).
LOG_FORMAT = env_choice("LOG_FORMAT", "json" if PRODUCTION else "plain", ("json", "plain"))
LOGGING = logging_config(LOG_FORMAT, env_log_level("LOG_LEVEL", "INFO"))
structlog_configure()
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# The client address gunicorn logs as it saw it; ipware's guess from X-Forwarded-For can be forged.
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
# RequestIdMiddleware has already replaced an X-Request-ID that is not a sane token.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True
# One line per request, when it is answered (request_finished, with its status and request id); the
# line at its start said nothing more and cost each request as much again (LOG_LEVEL=DEBUG shows it).
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG

# Metrics at /metrics (Prometheus): for a scraper with METRICS_TOKEN as bearer token or from
# METRICS_ALLOWED_NETWORKS. With neither: 404 in production, open to this machine in development.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env_networks("METRICS_ALLOWED_NETWORKS")
PROMETHEUS_EXPORT_MIGRATIONS = False  # it would read the migration tables at every start-up

# Error tracking (Sentry): on only with SENTRY_DSN; nothing personal leaves (avvik/operations/errors.py).
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    from avvik.operations.errors import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", ENVIRONMENT),
        release=env_str("SENTRY_RELEASE"),
        traces_sample_rate=min(env_int("SENTRY_TRACES_PERCENT", 0), 100) / 100,
    )
