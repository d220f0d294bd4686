"""Date helpers: months are calendar months, clamped at month ends (31 January + 1 month = 28/29 February)."""

import calendar
import datetime

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
