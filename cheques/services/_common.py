"""Helpers the cheques services share: the lock of the documented lock order and the deadlock retry."""

import functools
import logging
import time

from django.db import OperationalError, connection

from assignments.selectors import on_behalf_of  # noqa: F401 (the one copy; the cheques services import it here)

logger = logging.getLogger(__name__)

DEADLOCK_ATTEMPTS = 3
_RETRYABLE_SQLSTATES = {"40P01", "40001"}  # deadlock_detected, serialization_failure


def lock(queryset):
    """`queryset` locked FOR NO KEY UPDATE, only its own rows (not those `select_related` joins), in id order:
    the lock of the documented lock order (see this package)."""
    return queryset.select_for_update(no_key=True, of=("self",)).order_by("pk")


def lost_a_deadlock(error: BaseException) -> bool:
    """PostgreSQL aborted the transaction to break a deadlock (or a serialization conflict)."""
    cause = getattr(error, "__cause__", None)
    return isinstance(error, OperationalError) and getattr(cause, "sqlstate", None) in _RETRYABLE_SQLSTATES


def retry_on_deadlock(function):
    """Run `function` again, up to `DEADLOCK_ATTEMPTS` times in all, when its transaction lost a deadlock.

    Only as the outermost transaction: inside a caller's transaction the whole of it was undone, so the error
    goes up to whoever opened it.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            return function(*args, **kwargs)
        attempt = 1
        while True:
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if attempt >= DEADLOCK_ATTEMPTS or not lost_a_deadlock(error):
                    raise
                logger.warning("%s lost a deadlock (attempt %s); running it again", function.__qualname__, attempt)
                time.sleep(0.05 * attempt)
                attempt += 1

    return wrapper
