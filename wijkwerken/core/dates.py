"""Date helpers: months are calendar months, clamped at month ends (31 January + 1 month = 28/29 February)."""

import calendar
import datetime
import functools

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


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
