"""Reads on wellbeing check-ins and their line chart."""

from django.utils.translation import gettext as _

from wijkwerken.core.charts import Chart, Series, line_chart

from ..models import CheckIn

CHART_POINTS = 12


def check_ins_of(worker, *, limit: int = 20):
    return CheckIn.objects.filter(worker=worker).select_related("entered_by").order_by("-taken_on", "-id")[:limit]


def wellbeing_chart(worker) -> Chart | None:
    """The last check-ins, oldest first: one line per scale (1 to 5, higher is better)."""
    check_ins = list(CheckIn.objects.filter(worker=worker).order_by("-taken_on", "-id")[:CHART_POINTS])[::-1]
    if not check_ins:
        return None
    field = CheckIn._meta.get_field
    series = [
        Series(label=str(field(scale).verbose_name).capitalize(), values=[getattr(c, scale) for c in check_ins])
        for scale in CheckIn.SCALES
    ]
    return line_chart(
        title=_("Wellbeing over time"),
        description=_(
            "Line chart of %(count)s check-ins from %(first)s to %(last)s, each scale from 1 (bad) to 5 (good). "
            "The table below gives the same numbers."
        ) % {"count": len(check_ins), "first": check_ins[0].taken_on.strftime("%d/%m/%Y"),
             "last": check_ins[-1].taken_on.strftime("%d/%m/%Y")},
        x_labels=[c.taken_on.strftime("%d/%m") for c in check_ins],
        series=series,
        x_heading=_("Date"),
    )
