"""Settings shared by every environment. Everything that differs per machine comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wijkwerken.core",
    "wijkwerken.accounts",
    "workers",
    "assignments",
    "cheques",
    "coaching",
    # On top of every other app: its demo runs last, on the others' data.
    "wijkwerken.reports",
    # Reads every app: the retention rule's anonymisation and the access right's export.
    "wijkwerken.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After htmx (answers htmx requests with HX-Redirect): staff reach nothing before the second login step.
    "wijkwerken.accounts.middleware.TwoFactorMiddleware",
    # Axes must be last: it turns a lock-out into the Dutch lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): our own scripts, styles, fonts and images only; no inline script, event
# handler or style attribute (static/js/wijkwerken.js does what those did). Images also from data: URIs, which
# Bootstrap's stylesheet uses for its icons in form controls. Forms post to us, and the online payment form
# continues to Mollie's checkout.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, "https://www.mollie.com"],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

ROOT_URLCONF = "wijkwerken.urls"
WSGI_APPLICATION = "wijkwerken.wsgi.application"
ASGI_APPLICATION = "wijkwerken.asgi.application"

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
                "wijkwerken.core.context_processors.navigation",
            ],
        },
    },
]

# The embedded default is an SQLite file; production and CI use PostgreSQL through DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Connections are kept between requests (reconnecting on every request capped throughput at about 60 %); a health
# check before reuse drops one the database closed. 0 = a new connection per request (the embedded default).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # PostgreSQL's JIT compiles a query whose estimated cost passes 100,000 before running it: 60-100 ms for the
    # candidate ranking of a 5,000-worker organiser that then runs in 50 ms. It pays off for analytical queries of
    # seconds, which this application does not run; every query here is planned for a page.
    # random_page_cost: PostgreSQL's default (4) prices a row fetched through an index as a read from a spinning
    # disk, so for a few hundred rows it would rather hash every worker and client of Flanders: the prestatie queue
    # searched by name took 19 ms at 5,000 workers instead of 4. The database lives in memory and on SSDs (1.1, the
    # usual setting for both).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
else:
    # Indexes that hold extra columns (INCLUDE) are a PostgreSQL optimisation for reads from the index alone; SQLite
    # indexes their key columns only, which is all the embedded database needs. Not worth a warning on every migrate.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Failed logins (wijkwerken/accounts/throttle.py): locked for AXES_COOLOFF_MINUTES after AXES_FAILURE_LIMIT
# failures for one account from one address, or AXES_ADDRESS_FAILURE_LIMIT failures from one address over all
# accounts. The address is the client's, read from X-Forwarded-For only when the request comes from one of
# TRUSTED_PROXIES (addresses or networks, e.g. "172.30.0.1" or "10.0.0.0/8").
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "wijkwerken.accounts.throttle.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "wijkwerken.core.throttle.client_address"
AXES_USERNAME_CALLABLE = "wijkwerken.accounts.throttle.login_username"
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "wijkwerken.accounts.views.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Logins are in our own audit log (wijkwerken/accounts/receivers.py); axes keeps only the failure counts.
AXES_DISABLE_ACCESS_LOG = True

# Two-step login (django-otp): an authenticator app (TOTP) with recovery codes. Required for the organiser's
# staff and developers when on (local.py and production.py say so again; test.py turns it off); clients and
# workers may turn it on themselves.
TWO_FACTOR_REQUIRED_FOR_STAFF = True
OTP_TOTP_ISSUER = env("SITE_NAME", default="wijkwerken")

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from the npm registry at set-up time (package-lock.json) and are served
# from here: nothing is loaded from a CDN at run time.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    # Documents have no URL: only scoped download views serve them (wijkwerken/core/downloads.py).
    "default": {"BACKEND": "wijkwerken.core.downloads.PrivateStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads are counted while they stream in (wijkwerken/core/uploads.py): no file larger than this is kept.
UPLOAD_MAX_SIZE = env.int("UPLOAD_MAX_MB", default=20) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "wijkwerken.core.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

FORM_RENDERER = "wijkwerken.core.renderers.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Caches: Redis when REDIS_URL is set, memory otherwise (the embedded default needs no Redis).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="wijkwerken <no-reply@wijkwerken.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. Without a broker, tasks run in-process (eagerly), so `make run` needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic job, in one place. Later apps add their entries here.
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "wijkwerken.core.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "workers-trajectory-deadlines": {
        "task": "workers.tasks.run_trajectory_deadlines",
        "schedule": crontab(hour=0, minute=30),
    },
    "assignments-close-without-trajectory": {
        "task": "assignments.tasks.close_assignments_without_trajectory",
        "schedule": crontab(hour=0, minute=40),
    },
    "assignments-hours-deadlines": {
        "task": "assignments.tasks.run_hours_deadlines",
        "schedule": crontab(hour=6, minute=0),
    },
    "assignments-purge-unconfirmed-registrations": {
        "task": "assignments.tasks.purge_unconfirmed_registrations",
        "schedule": crontab(hour=3, minute=30),
    },
    "assignments-open-registration-fees": {
        "task": "assignments.tasks.open_registration_fees",
        "schedule": crontab(month_of_year=1, day_of_month=1, hour=0, minute=45),
    },
    "cheques-remind-unpaid-orders": {
        "task": "cheques.tasks.remind_unpaid_orders",
        "schedule": crontab(hour=7, minute=0),
    },
    "cheques-cancel-overdue-orders": {
        "task": "cheques.tasks.cancel_overdue_orders",
        "schedule": crontab(hour=2, minute=30),
    },
    "cheques-expire": {
        "task": "cheques.tasks.expire_cheques",
        "schedule": crontab(hour=1, minute=0),
    },
    # Safety nets: cheques of paid orders not issued yet, then confirmed hours not paid yet (a lost task).
    "cheques-issue-sweep": {
        "task": "cheques.tasks.issue_cheques_sweep",
        "schedule": crontab(minute=15),
    },
    # Settlement: confirmed hours not paid yet (a lost task); waiting hours retried too.
    "cheques-settle-confirmed-sweep": {
        "task": "cheques.tasks.settle_confirmed_sweep",
        "schedule": crontab(minute=20),
    },
    # After the workers clock (00:30): coaches' history in step, reminders of what falls due.
    "coaching-reminders": {
        "task": "coaching.tasks.run_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # Every day of January: on the rule set's day the past year's reports and fiscal attests are made (later
    # days of January catch up a missed day; what exists is not made again).
    "reports-yearly-documents": {
        "task": "wijkwerken.reports.tasks.make_yearly_documents",
        "schedule": crontab(month_of_year=1, hour=5, minute=30),
    },
    # After the workers clock (00:30) and the assignments that close with it: personal data past the retention
    # rule are anonymised (wijkwerken.privacy).
    "privacy-anonymise-expired": {
        "task": "wijkwerken.privacy.tasks.anonymise_expired",
        "schedule": crontab(hour=2, minute=0),
    },
    # The ZIPs of access requests (everything stored about a person) are deleted a month after they were made.
    "privacy-remove-access-exports": {
        "task": "wijkwerken.privacy.tasks.remove_expired_access_exports",
        "schedule": crontab(hour=2, minute=30),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO; keep its warnings only.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# The organisation that runs this installation, shown in the page footer.
SITE_NAME = env("SITE_NAME", default="wijkwerken")
# The public address of this installation, used in links in e-mails sent by background tasks.
SITE_URL = env("SITE_URL", default="http://localhost:8000")

# Online payment through Mollie. Without an API key the online option is not offered.
MOLLIE_API_KEY = env("MOLLIE_API_KEY", default="")
# Mollie's server must reach the webhook: the public address of this installation (defaults to SITE_URL).
MOLLIE_WEBHOOK_BASE_URL = env("MOLLIE_WEBHOOK_BASE_URL", default=SITE_URL)
