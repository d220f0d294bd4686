"""Settings for the benchmarks that serve pages (benchmarks/pages.py): production's behaviour on this machine.

DEBUG off, connections kept (as in production), PostgreSQL from DATABASE_URL, tasks in-process. The second login
factor is off because the benchmark logs in with force_login; everything else a request does is as in production.
"""

import warnings

from wijkwerken.settings.base import *  # noqa: F403
from wijkwerken.settings.base import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
TWO_FACTOR_REQUIRED_FOR_STAFF = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# Static files are not requested by the benchmark; no collectstatic needed.
warnings.filterwarnings("ignore", message="No directory at")
