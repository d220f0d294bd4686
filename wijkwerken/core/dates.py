"""Date helpers: months are calendar months, clamped at month ends (31 January + 1 month = 28/29 February)."""

import calendar
import datetime
import functools

from django.utils import timezone

# The window of every date a person types or puts in a URL (forms: core/fields.py DateField; GET: date_param).
EARLIEST = datetime.date(2000, 1, 1)
YEARS_AHEAD = 5


def today() -> datetime.date:
    return timezone.localdate()


def latest_date() -> datetime.date:
    """The last date a form or URL may name: five years from today."""
    return add_months(today(), 12 * YEARS_AHEAD)


def in_window(day: datetime.date) -> bool:
    return EARLIEST <= day <= latest_date()


def date_param(value, default: datetime.date | None) -> datetime.date | None:
    """A date from a URL (`?week=2026-03-02`): `default` when it is missing, not an ISO date or outside the
    window (0001-01-01 and 9999-12-31 would overflow the week or month built around them)."""
    try:
        day = datetime.date.fromisoformat(value or "")
    except (TypeError, ValueError):
        return default
    return day if in_window(day) else default


def month_param(value, default: datetime.date) -> datetime.date:
    """`?maand=2026-11` as the first day of that month; `default` when missing, malformed or outside the window."""
    try:
        day = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except (TypeError, ValueError):
        return default
    return day if in_window(day) else default


def year_param(value, default: int) -> int:
    """`?jaar=2025`: `default` when missing, not a number in digits 0-9 or outside the window."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):
        return default
    year = int(value)
    return year if EARLIEST.year <= year <= latest_date().year else default


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last_day))


def first_of_next_year(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + 1, 1, 1)


@functools.cache
def _belgian_holidays(year: int) -> frozenset[datetime.date]:
    import holidays

    return frozenset(holidays.country_holidays("BE", years=year))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a Belgian public holiday (python `holidays`, country BE)."""
    return day.weekday() < 5 and day not in _belgian_holidays(day.year)


def add_working_days(day: datetime.date, working_days: int) -> datetime.date:
    """The date `working_days` working days after `day` (weekends and Belgian public holidays skipped)."""
    current = day
    remaining = working_days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
