"""Test settings: PostgreSQL and Redis, as in production (both run locally and in CI)."""

import os

from .base import *  # noqa: F403
from .base import env

DATABASES = {
    "default": env.db("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/wijkwerken")
}
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/0")
# `make test` runs the suite in parallel (pytest-xdist): each worker (gw0, gw1, …) has its own database (pytest-django
# adds the suffix), its own Redis database (the next numbers after the one given) and its own media folder.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER:
    _base, _, _db = REDIS_URL.rpartition("/")
    REDIS_URL = f"{_base}/{int(_db or 0) + int(XDIST_WORKER.removeprefix('gw'))}"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "wijkwerken-test",
    }
}
# The broker is real Redis; tasks run eagerly unless a test starts a real worker (tests/core/test_celery.py).
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media" / (XDIST_WORKER or "serial")  # noqa: F405
DEBUG = False
# Static files straight from the finders (no collectstatic in tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Most tests log in with force_login; the tests of two-step login switch it on (tests/accounts/test_two_factor.py).
TWO_FACTOR_REQUIRED_FOR_STAFF = False
