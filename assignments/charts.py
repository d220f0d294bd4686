"""The hours charts (wijkwerken.core.charts draws them): hours per month for a municipality or the organiser, and a
worker's hours per month against the monthly cap."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijkwerken.core.charts import Chart, Series, bar_chart

from .selectors import HourCaps, hours_per_month


def _month_labels(year: int) -> list[str]:
    return [date_format(datetime.date(year, month, 1), "b") for month in range(1, 13)]


def _up_to(values, year: int, on: datetime.date) -> list:
    """Months after `on` have no value yet (no bar, "—" in the table), rather than a misleading zero."""
    last = 12 if year < on.year else on.month
    return [value if index < last else None for index, value in enumerate(values)]


def hours_per_month_chart(user, *, on: datetime.date, place: str) -> Chart:
    values = _up_to(hours_per_month(user, year=on.year), on.year, on)
    total = sum(value for value in values if value is not None)
    return bar_chart(
        title=_("Hours worked per month in %(year)s") % {"year": on.year},
        description=_("Hours worked by wijk-werkers %(place)s per month of %(year)s: %(total)s hours so far.")
        % {"place": place, "year": on.year, "total": f"{total}".replace(".", ",")},
        labels=_month_labels(on.year), series=[Series(_("hours"), values)], x_heading=_("Month"))


def caps_chart(user, *, caps: HourCaps, worker=None) -> Chart:
    """A worker's hours per month of the caps' year, against the monthly cap (a dashed line)."""
    year = caps.on.year
    values = _up_to(hours_per_month(user, year=year, worker=worker), year, caps.on)
    used = caps.year_minutes // 60
    return bar_chart(
        title=_("Hours per month in %(year)s against the cap") % {"year": year},
        description=_("Hours per month in %(year)s; at most %(month)s hours a month and %(cap)s hours a year. "
                      "Used this year: %(used)s hours.") % {"year": year, "month": caps.month_cap_hours,
                                                           "cap": caps.year_cap_hours, "used": used},
        labels=_month_labels(year), series=[Series(_("hours"), values)], x_heading=_("Month"),
        limit=caps.month_cap_hours, limit_label=_("maximum per month"))
