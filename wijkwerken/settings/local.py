"""The embedded default: SQLite, tasks in-process, e-mail on the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Staff log in with a second factor (authenticator app); see README "Two-step login".
TWO_FACTOR_REQUIRED_FOR_STAFF = True
