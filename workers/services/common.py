"""Helpers shared by the workers services."""

import datetime

from django.core.exceptions import ValidationError

ONE_DAY = datetime.timedelta(days=1)


def fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def error(message, code, field=None) -> ValidationError:
    """A ValidationError with a code, attached to `field` when given (so forms show it next to the field)."""
    exc = ValidationError(message, code=code)
    return ValidationError({field: exc}) if field else exc
