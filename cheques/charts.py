"""The wallet chart (wijkwerken.core.charts draws it): the cheques a client held at the end of each month."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijkwerken.core.charts import Chart, Series, line_chart, nice_ticks

from .selectors import wallet_over_time


def wallet_chart(client, *, on: datetime.date) -> Chart:
    points = wallet_over_time(client, on=on)
    values = [count for _day, count in points]
    ticks = nice_ticks(max(values, default=0))
    return line_chart(
        title=_("Cheques in your wallet over the last year"),
        description=_("The usable cheques in your wallet at the end of each month, from %(first)s to today "
                      "(%(today)s): %(now)s now.") % {"first": date_format(points[0][0], "F Y"),
                                                      "today": on.strftime("%d/%m/%Y"), "now": values[-1]},
        x_labels=[date_format(day, "b Y") for day, _count in points],
        series=[Series(_("cheques"), values)], y_min=0, y_max=ticks[-1], y_ticks=ticks, x_heading=_("Month"))
