"""Every setting, with a safe embedded default; values come from the environment.

Without any environment this runs the site on SQLite in ``var/`` with Celery tasks executed
in-process, which is what ``make run`` relies on. See README "Configuration".
"""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from wel.purposes import parse_processing_activities

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "wel.apps.WelConfig",
    "regions",
    "cases",
    "interviews",
    "family",
    "documents",
    "reports",
    "jobs",
    "notifications",
    "wel.apps.WelAdminConfig",
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
    "simple_history",
    "axes",
    # Second factor (docs/security.md): django-otp with TOTP and recovery codes, passkeys
    # through django-otp-webauthn, so one `user.is_verified()` covers all three.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_htmx",
    "django_celery_beat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wel.middleware.UserLanguageMiddleware",
    # Writes the view events of cases a request fetched and every refusal (NEN 7513).
    "wel.audit.AuditMiddleware",
    # Personal data never in a cache: no-store on every answer to a signed-in user.
    "wel.caching.no_store_when_signed_in",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits: a timed-out session is logged out before any view.
    "wel.middleware.SessionTimeoutMiddleware",
    # Before any view: NUL, control characters and overlong values in a query string are a 400.
    "wel.middleware.QueryStringGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the login check: a logged-in user who needs a second factor verifies it first.
    "wel.middleware.SecondFactorMiddleware",
    # Axes last: it turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wel.urls"
WSGI_APPLICATION = "wel.wsgi.application"

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
                "wel.context_processors.scope",
                "wel.context_processors.session_timeout",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'wel.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(exist_ok=True)  # the embedded default needs its folder, nothing else
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a new PostgreSQL connection costs about 9 ms a request. Each gunicorn
# worker and each Celery worker process holds at most one; see docs/operations.md for the budget.
# CONN_MAX_AGE in seconds (0 = close after every request); the health check reconnects after a
# database restart instead of failing the next request on a dead connection.
try:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
except ValueError as exc:
    raise ImproperlyConfigured("CONN_MAX_AGE must be a whole number of seconds.") from exc
if DATABASES["default"]["CONN_MAX_AGE"] < 0:
    raise ImproperlyConfigured("CONN_MAX_AGE must be 0 or more seconds.")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "wel.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Django's list is English; Dutch users pick "welkom01" and "wachtwoord123".
    {"NAME": "wel.passwords.DutchCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Logins lock after repeated failures (django-axes). Two separate counters: one per account
# (the e-mail address, normalised, so upper-case variants share it) and one per client address
# (behind WEL_TRUSTED_PROXY_COUNT proxies the forwarded address, as in the audit log).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "wel.accounts.axes_username"
AXES_CLIENT_IP_CALLABLE = "wel.audit.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Not axes' own reset: it deletes every failure that matches any lockout parameter, so a
# successful login from an address cleared the failures of every account tried from it (a
# login of one's own account reset the lockout of the account under attack). A success clears
# only that account's own failures (wel.accounts.login_succeeded).
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False

# Password reset requests: at most this many per e-mail address and per client address in the
# window (cache-based, wel/ratelimit.py; production needs a shared cache: CACHE_URL).
WEL_PASSWORD_RESET_PER_ADDRESS = env.int("WEL_PASSWORD_RESET_PER_ADDRESS", default=3)
WEL_PASSWORD_RESET_PER_CLIENT = env.int("WEL_PASSWORD_RESET_PER_CLIENT", default=10)
WEL_PASSWORD_RESET_WINDOW_MINUTES = env.int("WEL_PASSWORD_RESET_WINDOW_MINUTES", default=60)
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://wel")}

# Sessions end after WEL_SESSION_IDLE_MINUTES without a request (a warning shows
# WEL_SESSION_WARNING_SECONDS before), at browser close, and WEL_SESSION_MAX_HOURS after the
# login whatever happens (wel/middleware.py).
WEL_SESSION_IDLE_MINUTES = env.int("WEL_SESSION_IDLE_MINUTES", default=30)
WEL_SESSION_WARNING_SECONDS = env.int("WEL_SESSION_WARNING_SECONDS", default=60)
WEL_SESSION_MAX_HOURS = env.int("WEL_SESSION_MAX_HOURS", default=8)
SESSION_COOKIE_AGE = WEL_SESSION_MAX_HOURS * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Second factor (docs/security.md): required for everyone who works in a region and for
# beheerders. TOTP apps show OTP_TOTP_ISSUER; passkeys are bound to OTP_WEBAUTHN_RP_ID and may
# only be used from OTP_WEBAUTHN_ALLOWED_ORIGINS (https, except http://localhost).
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="WEL in Ontwikkeling")
OTP_WEBAUTHN_RP_NAME = "WEL in Ontwikkeling"
OTP_WEBAUTHN_RP_ID = env("OTP_WEBAUTHN_RP_ID", default="localhost")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS", default=["http://localhost:8000"]
)
# A passkey is a second factor after the password here, never a login on its own: the
# password step keeps the lockout and the audit of failed logins in one place.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Who answers questions about accessibility (the toegankelijkheidsverklaring names them).
ACCESSIBILITY_CONTACT = env(
    "ACCESSIBILITY_CONTACT", default="toegankelijkheid@welinontwikkeling.nl"
)
# Where security weaknesses are reported (coordinated vulnerability disclosure, BIO2 5.24.08):
# the Contact of /.well-known/security.txt (RFC 9116) and of SECURITY.md. A mailto: or https: URI.
WEL_SECURITY_CONTACT = env("WEL_SECURITY_CONTACT", default="mailto:security@welinontwikkeling.nl")
if not WEL_SECURITY_CONTACT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(
        "WEL_SECURITY_CONTACT must be a mailto: or https:// address, "
        "e.g. mailto:security@gemeente.example."
    )
# The choice-filters' empty option reads "All", not "---------" (django-filter).
FILTERS_EMPTY_CHOICE_LABEL = _("All")
LANGUAGE_CODE = "nl"
LANGUAGE_COOKIE_NAME = "wel_language"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# locale/: our own strings (make messages); locale_overrides/: Dutch for third-party apps
# kept by hand, which makemessages leaves alone (it writes to the first path only).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"]
FORMAT_MODULE_PATH = ["wel.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media-not-served/"  # files are served only through views that check access
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# S3-compatible storage for reports in production: set STORAGE_BACKEND and its options.
if env("STORAGE_BACKEND", default=""):
    STORAGES["default"] = {
        "BACKEND": env("STORAGE_BACKEND"),
        "OPTIONS": env.json("STORAGE_OPTIONS", default={}),
    }

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The sender of e-mails: set it; left unset it is noreply@ the site's own host name (SITE_URL),
# never noreply@localhost on a real site. A region may set its own (Region.email_from).
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL",
    default="WEL in Ontwikkeling <noreply@%s>" % (urlsplit(SITE_URL).hostname or "localhost"),
)

# Celery: without a broker, tasks run in-process (eager), so `make run` needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Without a broker, a report or an import runs in a thread of the web process rather than in
# the request that asked for it: the page answers at once and shows the progress
# (jobs.services.dispatch). Only for `make run`; production has a broker and workers.
# The national dashboard after a change in the counts: the last snapshot is served at once
# (marked with its moment) while a task protects the new figures, for at most this many seconds
# before a view makes them itself (reports/snapshot.py). 0: always made in the request.
WEL_NATIONAL_STALE_SECONDS = env.int("WEL_NATIONAL_STALE_SECONDS", default=120)
WEL_EAGER_TASKS_IN_THREAD = env.bool("WEL_EAGER_TASKS_IN_THREAD", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="wel")
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {
    # Reports (reports/tasks.py). "Every three weeks" per region is decided by the daily task
    # from each region's last scheduled report, so a missed day or a new region catches up.
    "reports-region-reports": {
        "task": "reports.queue_scheduled_region_reports",
        "schedule": crontab(hour=5, minute=30),
    },
    # Every minute, so a job whose worker died is retried or given up within a few minutes
    # (heartbeat). Not the only sweep: a starting worker, every claim and the progress pages
    # sweep too (jobs/services.py), so beat is no single point of failure.
    "jobs-sweep": {"task": "jobs.sweep", "schedule": 60},
    # Retention (cases/retention.py): closed cases and audit lines past their term, daily.
    "cases-apply-retention": {
        "task": "cases.apply_retention",
        "schedule": crontab(hour=3, minute=15),
    },
    "reports-weekly-digest": {
        "task": "reports.send_weekly_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # Notifications (notifications/tasks.py): due and overdue notices, then the e-mail digests.
    "notifications-daily": {"task": "notifications.daily", "schedule": crontab(hour=6, minute=45)},
}
# Notifications: a contact or next step is "due soon" this many days ahead (notifications/due.py).
WEL_NOTIFY_DUE_DAYS = env.int("WEL_NOTIFY_DUE_DAYS", default=3)
# Reports: the region report rhythm (days).
WEL_REGION_REPORT_EVERY_DAYS = env.int("WEL_REGION_REPORT_EVERY_DAYS", default=21)
# Imports: a confirmed import with more new rows than this runs as a Celery job with a
# progress page instead of inside the web request (docs/cases.md, "The import job").
WEL_IMPORT_JOB_THRESHOLD = env.int("WEL_IMPORT_JOB_THRESHOLD", default=2000)
# Background jobs (reports, imports; jobs/services.py, docs/operations.md): a working worker
# stamps its job every WEL_JOB_HEARTBEAT_SECONDS; the sweep queues a job without a stamp for
# WEL_JOB_STALE_SECONDS again (its worker died), at most WEL_JOB_MAX_ATTEMPTS runs in all, then
# gives it up with a reason; a job no worker took within WEL_JOB_QUEUED_MAX_HOURS is failed.
# Pages and claims sweep at most every WEL_JOB_SWEEP_EVERY_SECONDS. (The WEL_REPORT_* names of
# before are still read.)
WEL_JOB_HEARTBEAT_SECONDS = env.int(
    "WEL_JOB_HEARTBEAT_SECONDS", default=env.int("WEL_REPORT_HEARTBEAT_SECONDS", default=30)
)
WEL_JOB_STALE_SECONDS = env.int(
    "WEL_JOB_STALE_SECONDS", default=env.int("WEL_REPORT_STALE_SECONDS", default=180)
)
WEL_JOB_MAX_ATTEMPTS = env.int(
    "WEL_JOB_MAX_ATTEMPTS", default=env.int("WEL_REPORT_MAX_ATTEMPTS", default=5)
)
WEL_JOB_QUEUED_MAX_HOURS = env.int(
    "WEL_JOB_QUEUED_MAX_HOURS", default=env.int("WEL_REPORT_QUEUED_MAX_HOURS", default=6)
)
WEL_JOB_SWEEP_EVERY_SECONDS = env.int("WEL_JOB_SWEEP_EVERY_SECONDS", default=30)
# An import preview's uploaded file is deleted when the preview is abandoned this long.
WEL_IMPORT_PREVIEW_MINUTES = env.int("WEL_IMPORT_PREVIEW_MINUTES", default=60)
# Family invitations (docs/family.md): how long a link works, wrong codes before it locks,
# from which age the young person is invited themself, how long a family session lasts.
WEL_FAMILY_INVITATION_DAYS = env.int("WEL_FAMILY_INVITATION_DAYS", default=14)
WEL_FAMILY_CODE_ATTEMPTS = env.int("WEL_FAMILY_CODE_ATTEMPTS", default=5)
WEL_FAMILY_YOUNG_PERSON_MIN_AGE = env.int("WEL_FAMILY_YOUNG_PERSON_MIN_AGE", default=12)
WEL_FAMILY_SESSION_MINUTES = env.int("WEL_FAMILY_SESSION_MINUTES", default=60)

# The processing log (docs/security.md, "Processing log"): each of WEL's purposes points to the
# organisation's register of processing activities, as JSON {purpose: URI}, e.g.
# {"casusregie": "https://register.example.nl/verwerkingen/42"}; unnamed purposes keep a
# urn:wel:verwerkingsactiviteit:<purpose> default. Bad input stops start-up, naming the variable.
WEL_PROCESSING_ACTIVITIES = parse_processing_activities(
    env.str("WEL_PROCESSING_ACTIVITIES", default="")
)
# The family's "wie heeft bekeken" page names the organisation and role; staff names only when
# the organisation chooses so.
WEL_FAMILY_SHOW_STAFF_NAMES = env.bool("WEL_FAMILY_SHOW_STAFF_NAMES", default=False)

# Kamerstuk 36 663 (Wet terugdringen schoolverzuim) makes an educational advice compulsory
# next to the expert's statement of a vrijstelling 5 onder a. It is a bill, not yet law: off
# by default. Set the law's date of entry into force (YYYY-MM-DD) and from then every 5 onder a
# notice needs the advice (docs/cases.md, "The 36 663 advice").
_advice_from = env.str("WEL_ADVICE_REQUIRED_FROM", default="").strip()
try:
    WEL_ADVICE_REQUIRED_FROM = datetime.date.fromisoformat(_advice_from) if _advice_from else None
except ValueError as _exc:
    raise ImproperlyConfigured(
        "WEL_ADVICE_REQUIRED_FROM must be a date written YYYY-MM-DD, or empty."
    ) from _exc

for _name in (
    "WEL_REGION_REPORT_EVERY_DAYS",
    "WEL_JOB_MAX_ATTEMPTS",
    "WEL_JOB_QUEUED_MAX_HOURS",
    "WEL_JOB_SWEEP_EVERY_SECONDS",
    "WEL_IMPORT_PREVIEW_MINUTES",
    "WEL_PASSWORD_RESET_PER_ADDRESS",
    "WEL_PASSWORD_RESET_PER_CLIENT",
    "WEL_PASSWORD_RESET_WINDOW_MINUTES",
    "WEL_SESSION_IDLE_MINUTES",
    "WEL_SESSION_WARNING_SECONDS",
    "WEL_SESSION_MAX_HOURS",
    "WEL_IMPORT_JOB_THRESHOLD",
    "WEL_JOB_HEARTBEAT_SECONDS",
    "WEL_JOB_STALE_SECONDS",
    "WEL_FAMILY_INVITATION_DAYS",
    "WEL_FAMILY_CODE_ATTEMPTS",
    "WEL_FAMILY_YOUNG_PERSON_MIN_AGE",
    "WEL_FAMILY_SESSION_MINUTES",
):
    if vars()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be a whole number of 1 or more.")
if WEL_SESSION_WARNING_SECONDS >= WEL_SESSION_IDLE_MINUTES * 60:
    raise ImproperlyConfigured(
        "WEL_SESSION_WARNING_SECONDS must be shorter than WEL_SESSION_IDLE_MINUTES."
    )

if WEL_JOB_STALE_SECONDS <= 2 * WEL_JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "WEL_JOB_STALE_SECONDS must be more than twice WEL_JOB_HEARTBEAT_SECONDS."
    )

# Retention (AVG art. 5(1)(e); docs/security.md): closed cases are destroyed this many years
# after the date of birth (the municipal selectielijst for leerplicht records), per grondslag
# where set (JSON, e.g. {"absoluut_verzuim": 19}); audit lines after WEL_AUDIT_RETENTION_YEARS
# (NEN 7513: at least 5). Checked by cases.retention.retention_policy.
WEL_RETENTION_YEARS_AFTER_BIRTH = env.int("WEL_RETENTION_YEARS_AFTER_BIRTH", default=19)
WEL_RETENTION_YEARS_PER_GRONDSLAG = env.json("WEL_RETENTION_YEARS_PER_GRONDSLAG", default={})
WEL_AUDIT_RETENTION_YEARS = env.int("WEL_AUDIT_RETENTION_YEARS", default=5)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# crispy-forms adds the widget's class name as a CSS class: wel.widgets.InlineSelect renders
# exactly like Django's Select, so it keeps the class "select" too.
CRISPY_CLASS_CONVERTERS = {"inlineselect": "select"}

# Content Security Policy: everything from our own origin, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Audit: how many proxies in front of us may set X-Forwarded-For (0 = trust REMOTE_ADDR only).
WEL_TRUSTED_PROXY_COUNT = env.int("WEL_TRUSTED_PROXY_COUNT", default=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint's font subsetting floods the log at INFO.
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # django-axes logs every successful login at INFO; the audit log already has them.
        "axes": {"level": "WARNING"},
    },
}

# -- Documents on a case (documents/, docs/cases.md "Documents and letters") -------------------
# The largest document accepted, in MB (a scanned statement at 150–300 dpi is well under it).
WEL_DOCUMENT_MAX_MB = env.int("WEL_DOCUMENT_MAX_MB", default=10)
if not 1 <= WEL_DOCUMENT_MAX_MB <= 100:
    raise ImproperlyConfigured("WEL_DOCUMENT_MAX_MB must be between 1 and 100.")

# -- Sign-in with the organisation's account (OpenID Connect; oidc/, docs/security.md) --------
# The providers themselves are kept in /beheer/ ("Sign-in providers"). Their discovery document
# is cached WEL_OIDC_DISCOVERY_CACHE_SECONDS; token times (exp, iat) may be off by
# WEL_OIDC_CLOCK_SKEW_SECONDS; a provider that does not answer within WEL_OIDC_TIMEOUT_SECONDS
# is reported as unreachable on the login page.
INSTALLED_APPS += ["oidc"]
WEL_OIDC_DISCOVERY_CACHE_SECONDS = env.int("WEL_OIDC_DISCOVERY_CACHE_SECONDS", default=600)
WEL_OIDC_CLOCK_SKEW_SECONDS = env.int("WEL_OIDC_CLOCK_SKEW_SECONDS", default=60)
WEL_OIDC_TIMEOUT_SECONDS = env.int("WEL_OIDC_TIMEOUT_SECONDS", default=10)
# -- The API (issue 22 §2, docs/api.md): Django REST framework, drf-spectacular, OAuth 2.0 -----
# client credentials through django-oauth-toolkit. Own block so merges stay simple.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "oauth2_provider", "api"]  # noqa: F405
# Outermost after SecurityMiddleware: every answer under /api/ gets the API-Version header and
# is problem+json when it is an error, whichever layer answered (the query-string guard, a 404).
MIDDLEWARE.insert(1, "api.middleware.ApiResponseMiddleware")  # noqa: F405
WEL_API_VERSION = "1.0.0"  # the OpenAPI document's info.version and the API-Version header
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ApiScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "WEL API",
    "DESCRIPTION": (
        "De API van WEL voor leerplichtadministraties en de tooling van het programma "
        "(docs/api.md). Volgens de NL API Design Rules."
    ),
    "VERSION": WEL_API_VERSION,
    "OAS_VERSION": "3.0.3",
    "CONTACT": {
        "name": "WEL beheer",
        "email": env("WEL_API_CONTACT_EMAIL", default="beheer@wel.example.nl"),  # noqa: F405
        "url": env("WEL_API_CONTACT_URL", default="https://wel.example.nl/"),  # noqa: F405
    },
    "SERVERS": [{"url": "/api/v1", "description": "WEL"}],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "GrondslagEnum": "cases.models.Grondslag",
        "GrondslagInvoerEnum": "cases.models.GRONDSLAG_INPUT_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.postprocess",
    ],
}
OAUTH2_PROVIDER = {
    "SCOPES": {
        "jeugdigen:lezen": "Jeugdigen, vrijstellingen en contactmomenten lezen",
        "jeugdigen:schrijven": "Jeugdigen registreren en wijzigen, contactmomenten vastleggen",
        "gesprekken:lezen": "Gesprekken en vervolgstappen lezen",
        "gesprekken:schrijven": "Vervolgstappen afvinken of heropenen",
        "regios:lezen": "Regio's en gemeenten lezen",
        "telling:lezen": "Het jaaroverzicht (leerplichttelling) lezen",
        "cijfers:lezen": "De beschermde landelijke cijfers lezen (landelijk team)",
    },
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("WEL_API_TOKEN_SECONDS", default=3600),  # noqa: F405
    "OAUTH2_VALIDATOR_CLASS": "api.oauth.Validator",
    # RFC 9700 (OAuth 2.0 Security Best Current Practice), as django-oauth-toolkit's deploy
    # checks ask: no implicit or password grant, no plain PKCE, no token in a query string,
    # the authorization response's iss, tokens stored as hashes, refresh-token replay revokes
    # the family, https redirect URIs only. WEL uses the client-credentials grant alone.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# django-oauth-toolkit's models are swappable; named so migrations can depend on them.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 (a model name)
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105 (a model name)
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105 (a model name)
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_DEVICE_GRANT_MODEL = "oauth2_provider.DeviceGrant"
