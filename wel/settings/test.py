"""Tests: the same settings as development, faster hashing, deterministic e-mail.

DATABASE_URL and CELERY_BROKER_URL are honoured when set (CI sets both); otherwise SQLite and
in-process tasks. Tests that need the real services are marked ``services``.
"""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "test-media")
DEBUG = False
# Unit tests call tasks in-process; the real-worker tests start their own worker process.
CELERY_TASK_ALWAYS_EAGER = True
# ... and in the request itself, so a test sees the result (tests/jobs/test_dispatch.py turns
# the thread on to test it).
WEL_EAGER_TASKS_IN_THREAD = False
# The national figures are made in the request, so a test sees them after its writes
# (tests/reports/test_snapshot.py turns the stale snapshot on).
WEL_NATIONAL_STALE_SECONDS = 0
SECURE_SSL_REDIRECT = False
STATIC_ROOT = None  # tests serve static files through the finders, nothing is collected
WHITENOISE_USE_FINDERS = True
# Tests assert on the English source strings; tests/wel/test_i18n.py checks the Dutch site.
LANGUAGE_CODE = "en"
