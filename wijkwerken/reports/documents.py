"""The report's charts (core's one chart helper), the report PDF and the fiscal attest PDF (core's PDF helper:
A4, page numbers, the shipped fonts)."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wijkwerken.core.charts import Chart, Series, bar_chart, horizontal_bar_chart
from wijkwerken.core.disclosure import is_masked
from wijkwerken.core.pdf import render_pdf

from .tables import Table
from .writers import cell_text

PREVIOUS_COLOUR = "#6c757d"  # 4.7:1 against white, beside the first palette colour of the current period
TOP_ACTIVITIES = 8


def _table(tables: list[Table], key: str) -> Table | None:
    return next((table for table in tables if table.key == key), None)


def _number(value):
    return None if value is None or is_masked(value) else float(value)


def _series(table: Table, rows) -> list[Series]:
    return [Series(table.current_label, [_number(row.current) for row in rows]),
            Series(table.previous_label, [_number(row.previous) for row in rows], colour=PREVIOUS_COLOUR)]


def report_charts(tables: list[Table]) -> list[Chart]:
    """Hours per month, per client category and per main activity, this period beside the previous one."""
    charts = []
    months = _table(tables, "uren-per-maand")
    if months:
        rows = [row for row in months.rows if not row.total]
        dates = [datetime.date.fromisoformat(row.key) for row in rows]
        several_years = len({day.year for day in dates}) > 1
        labels = [dateformat.format(day, "b") + (dateformat.format(day, " 'y") if several_years else "")
                  for day in dates]
        charts.append(bar_chart(
            title=_("Hours worked per month"),
            description=_("Bars per month: hours worked in %(current)s beside %(previous)s.")
            % {"current": months.current_label, "previous": months.previous_label},
            labels=labels, series=_series(months, rows), x_heading=pgettext("reports", "Month")))
    categories = _table(tables, "uren-per-categorie")
    if categories:
        rows = [row for row in categories.rows if not row.total and not row.level]
        charts.append(horizontal_bar_chart(
            title=_("Hours per client category"),
            description=_("Bars per client category: hours worked in %(current)s beside %(previous)s.")
            % {"current": categories.current_label, "previous": categories.previous_label},
            labels=[row.label for row in rows], series=_series(categories, rows),
            label_heading=_("Client category")))
    activities = _table(tables, "uren-per-activiteit")
    if activities:
        mains = [row for row in activities.rows if not row.total and not row.level]
        top, rest = mains[:TOP_ACTIVITIES], mains[TOP_ACTIVITIES:]
        labels = [row.label for row in top]
        series = _series(activities, top)
        if rest:
            labels.append(_("Other activities"))
            for item, attribute in zip(series, ("current", "previous"), strict=True):
                item.values.append(sum(_number(getattr(row, attribute)) or 0 for row in rest))
        if labels:
            charts.append(horizontal_bar_chart(
                title=_("Hours per main activity"),
                description=_("Bars per main activity: hours worked in %(current)s beside %(previous)s.")
                % {"current": activities.current_label, "previous": activities.previous_label},
                labels=labels, series=series, label_heading=_("Main activity")))
    return charts


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    change: str


KEY_FIGURES = ("hours", "workers", "clients", "sold")


def key_figures(tables: list[Table]) -> list[KeyFigure]:
    """The four figures the first page shows large: their value and the change since the previous period."""
    summary = _table(tables, "kerncijfers")
    if summary is None:
        return []
    figures = []
    rows = {row.key: row for row in summary.rows}
    for key in KEY_FIGURES:
        row = rows[key]
        value, _previous, change, percent = summary.cells(row)
        change_text = cell_text(change) if change.value is not None else ""
        if percent.value is not None:
            change_text += f" ({cell_text(percent)})"
        figures.append(KeyFigure(row.label, cell_text(value), change_text))
    return figures


def logo_uri(organiser) -> str:
    """The organiser's logo as a file URI for WeasyPrint (which reads local files only), or ""."""
    if not organiser.logo:
        return ""
    try:
        return Path(organiser.logo.path).as_uri()
    except (NotImplementedError, ValueError):
        return ""


def render_report_pdf(report, tables: list[Table]) -> bytes:
    return render_pdf("reports/pdf/report.html", {
        "report": report, "organiser": report.organiser, "logo": logo_uri(report.organiser), "tables": tables,
        "charts": report_charts(tables), "key_figures": key_figures(tables),
        "previous_label": tables[0].previous_label if tables else "",
    })


def render_attest_pdf(attest) -> bytes:
    return render_pdf("reports/pdf/fiscal_attest.html", {
        "attest": attest, "organiser": attest.organiser, "client": attest.client,
        "logo": logo_uri(attest.organiser),
    })
