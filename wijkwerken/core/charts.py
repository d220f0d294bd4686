"""Charts as server-rendered SVG: no JavaScript, the same markup on a page and in a PDF (WeasyPrint draws inline
SVG). Data in, markup out; nothing here knows a model.

Every chart carries a <title> and a <desc> (the SVG is `role="img"` labelled by both) and its numbers as an HTML
table, so a screen reader (and a printed page) gets the figures too. In a page, `{{ chart }}` gives a <figure>
with the SVG and the table behind "show the numbers"; a PDF template places `chart.svg` and `chart.table` itself.

Each data series is exactly one <polygon> (radar) or one <polyline> (line chart), or one <rect> per value (bar
charts); grid lines are <path>s, so a test or a stylesheet can find the series by their element.
"""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Distinguishable colours with at least 4.5:1 contrast against white.
PALETTE = ("#0b5a4a", "#b5460f", "#1f5fa8", "#7a3e9d", "#6b5d00", "#a3213f", "#2f6b1e", "#4a5157")
TEXT_COLOUR = "#1d1d1b"
GRID_COLOUR = "#b9bec3"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


@dataclass(frozen=True)
class Series:
    """One line of data. `values` follow the chart's axes (radar) or x labels (line); None is "no value"."""

    label: str
    values: Sequence[float | None]
    colour: str | None = None
    dashed: bool = False


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: SafeString
    table: SafeString

    def __html__(self) -> str:
        return format_html(
            '<figure class="chart mb-0">{}<figcaption><details class="small"><summary>{}</summary>'
            '<div class="table-responsive" tabindex="0" role="region" aria-label="{}">{}</div></details></figcaption>'
            "</figure>",
            self.svg, _("Show the numbers"), self.title, self.table,
        )

    def __str__(self) -> str:
        return self.__html__()


def _number(value) -> str:
    if value is None:
        return "—"
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.1f}".replace(".", ",")


def _coordinate(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _chart_id(*parts) -> str:
    return "chart-" + hashlib.sha1(repr(parts).encode()).hexdigest()[:10]


def _colour(series: Series, index: int) -> str:
    return series.colour or PALETTE[index % len(PALETTE)]


def _table(title: str, row_labels: Sequence[str], series: Sequence[Series], *, corner: str) -> SafeString:
    head = "".join(format_html('<th scope="col">{}</th>', s.label) for s in series)
    rows = "".join(
        format_html(
            '<tr><th scope="row">{}</th>{}</tr>',
            label,
            mark_safe("".join(format_html("<td>{}</td>", _number(s.values[i] if i < len(s.values) else None))
                              for s in series)),
        )
        for i, label in enumerate(row_labels)
    )
    return format_html(
        '<table class="table table-sm table-cards chart-table"><caption>{}</caption>'
        '<thead><tr><th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table>',
        title, corner, mark_safe(head), mark_safe(rows),
    )


def _wrap(label: str, width: int = 13) -> list[str]:
    """Split a label into lines of about `width` characters at spaces (at most three lines)."""
    lines, current = [], ""
    for word in label.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines[:3]


def _legend(series: Sequence[Series], *, top: float, width: float, boxes: bool = False) -> tuple[str, float]:
    """Legend entries in rows of two (a line, or a square for bars); returns the markup and its height."""
    parts, column_width, row_height = [], (width - 16) / 2, 24
    for index, item in enumerate(series):
        x = 8 + (index % 2) * column_width
        y = top + (index // 2) * row_height
        dash = ' stroke-dasharray="6 4"' if item.dashed else ""
        swatch = (f'<path d="M{x + 6:.1f},{y:.1f} h14 v14 h-14 Z" fill="{_colour(item, index)}"/>' if boxes
                  else f'<line x1="{x:.1f}" y1="{y + 7:.1f}" x2="{x + 26:.1f}" y2="{y + 7:.1f}" '
                       f'stroke="{_colour(item, index)}" stroke-width="3"{dash}/>')
        parts.append(
            swatch +
            f'<text x="{x + 32:.1f}" y="{y + 12:.1f}" font-size="14" fill="{TEXT_COLOUR}" {FONT}>'
            f"{escape(item.label)}</text>"
        )
    rows = math.ceil(len(series) / 2)
    return "".join(parts), rows * row_height + (8 if rows else 0)


def _svg(chart_id: str, title: str, description: str, width: float, height: float, body: str) -> SafeString:
    return mark_safe(
        # Its natural size, shrunk to fit a narrow screen by the stylesheet (`.chart-svg`): no style attribute,
        # which the Content-Security-Policy would refuse.
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart-svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def radar_points(values: Sequence[float | None], *, centre: tuple[float, float], radius: float,
                 scale_min: float, scale_max: float) -> list[tuple[float, float]]:
    """The corners of one series: axis i points up (i = 0) and goes clockwise; a value sits at its share of the
    radius between `scale_min` (the centre) and `scale_max` (the rim). A missing value sits at the centre."""
    count = len(values)
    points = []
    for index, value in enumerate(values):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        share = 0.0 if value is None else (float(value) - scale_min) / (scale_max - scale_min)
        share = min(max(share, 0.0), 1.0)
        points.append((centre[0] + radius * share * math.cos(angle), centre[1] + radius * share * math.sin(angle)))
    return points


def _points_attribute(points) -> str:
    return " ".join(f"{_coordinate(x)},{_coordinate(y)}" for x, y in points)


def radar_chart(*, title: str, description: str, axes: Sequence[str], series: Sequence[Series],
                scale_min: float = 0, scale_max: float = 5, ticks: Sequence[float] = (1, 2, 3, 4, 5),
                axis_heading: str = "") -> Chart:
    """A star (radar) chart: one axis per item of `axes`, one polygon per series."""
    width, radius = 480.0, 120.0
    centre = (width / 2, 50 + radius)
    chart_id = _chart_id("radar", title, tuple(axes), tuple((s.label, tuple(s.values)) for s in series))
    parts = []
    for tick in ticks:  # the grid: one closed path per level, and a spoke per axis
        corners = radar_points([tick] * len(axes), centre=centre, radius=radius, scale_min=scale_min,
                               scale_max=scale_max)
        path = "M" + " L".join(f"{_coordinate(x)},{_coordinate(y)}" for x, y in corners) + " Z"
        parts.append(f'<path d="{path}" fill="none" stroke="{GRID_COLOUR}" stroke-width="1"/>')
        x, y = corners[0]
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="11" fill="{TEXT_COLOUR}" {FONT}>'
                     f"{_number(tick)}</text>")
    rim = radar_points([scale_max] * len(axes), centre=centre, radius=radius, scale_min=scale_min,
                       scale_max=scale_max)
    for index, ((x, y), label) in enumerate(zip(rim, axes, strict=True)):
        parts.append(f'<path d="M{_coordinate(centre[0])},{_coordinate(centre[1])} L{_coordinate(x)},'
                     f'{_coordinate(y)}" stroke="{GRID_COLOUR}" stroke-width="1"/>')
        angle = -math.pi / 2 + 2 * math.pi * index / len(axes)
        lx, ly = centre[0] + (radius + 12) * math.cos(angle), centre[1] + (radius + 12) * math.sin(angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if math.cos(angle) > 0 else "end")
        lines = _wrap(label)
        line_height = 16
        offset = (-(len(lines) - 1) * line_height if math.sin(angle) < -0.3
                  else (8 if math.sin(angle) > 0.3 else -(len(lines) - 1) * line_height / 2))
        spans = "".join(f'<tspan x="{lx:.1f}" dy="{0 if i == 0 else line_height}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        parts.append(f'<text x="{lx:.1f}" y="{ly + offset + 5:.1f}" font-size="14" text-anchor="{anchor}" '
                     f'fill="{TEXT_COLOUR}" {FONT}>{spans}</text>')
    for index, item in enumerate(series):
        colour = _colour(item, index)
        corners = radar_points(item.values, centre=centre, radius=radius, scale_min=scale_min, scale_max=scale_max)
        dash = ' stroke-dasharray="6 4"' if item.dashed else ""
        parts.append(f'<polygon points="{_points_attribute(corners)}" fill="{colour}" fill-opacity="0.08" '
                     f'stroke="{colour}" stroke-width="2.5"{dash}><title>{escape(item.label)}</title></polygon>')
        parts.extend(f'<circle cx="{_coordinate(x)}" cy="{_coordinate(y)}" r="3" fill="{colour}"/>'
                     for (x, y), value in zip(corners, item.values, strict=True) if value is not None)
    legend, legend_height = _legend(series, top=centre[1] + radius + 52, width=width)
    height = centre[1] + radius + 52 + legend_height
    svg = _svg(chart_id, title, description, width, height, "".join(parts) + legend)
    return Chart(title, description, svg, _table(title, axes, series, corner=axis_heading))


def line_chart(*, title: str, description: str, x_labels: Sequence[str], series: Sequence[Series],
               y_min: float = 1, y_max: float = 5, y_ticks: Sequence[float] = (1, 2, 3, 4, 5),
               x_heading: str = "") -> Chart:
    """A small line chart: one polyline per series over the x labels (dates, months, …)."""
    width, plot_height = 480.0, 160.0
    left, right, top = 30.0, 24.0, 12.0
    bottom = top + plot_height
    plot_width = width - left - right
    count = len(x_labels)
    chart_id = _chart_id("line", title, tuple(x_labels), tuple((s.label, tuple(s.values)) for s in series))

    def x_at(index):
        return left + (plot_width / 2 if count == 1 else plot_width * index / (count - 1))

    def y_at(value):
        return bottom - plot_height * (float(value) - y_min) / (y_max - y_min)

    parts = []
    for tick in y_ticks:
        y = y_at(tick)
        parts.append(f'<path d="M{left:.1f},{y:.1f} H{width - right:.1f}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
                     f'<text x="{left - 8:.1f}" y="{y + 5:.1f}" font-size="13" text-anchor="end" '
                     f'fill="{TEXT_COLOUR}" {FONT}>{_number(tick)}</text>')
    step = max(1, math.ceil(count / 5))  # at most about five labels under the axis
    for index, label in enumerate(x_labels):
        if index % step and index != count - 1:
            continue
        # The first and last labels align with the plot's edges, so a long one ("dec 2026") is not cut off.
        x, anchor = x_at(index), "middle"
        if count > 1 and index == 0:
            x, anchor = x - 8, "start"
        elif count > 1 and index == count - 1:
            x, anchor = x + 8, "end"
        parts.append(f'<text x="{x:.1f}" y="{bottom + 20:.1f}" font-size="13" text-anchor="{anchor}" '
                     f'fill="{TEXT_COLOUR}" {FONT}>{escape(label)}</text>')
    for index, item in enumerate(series):
        colour = _colour(item, index)
        points = [(x_at(i), y_at(v)) for i, v in enumerate(item.values) if v is not None]
        dash = ' stroke-dasharray="6 4"' if item.dashed else ""
        parts.append(f'<polyline points="{_points_attribute(points)}" fill="none" stroke="{colour}" '
                     f'stroke-width="2.5"{dash}><title>{escape(item.label)}</title></polyline>')
        parts.extend(f'<circle cx="{_coordinate(x)}" cy="{_coordinate(y)}" r="3" fill="{colour}"/>'
                     for x, y in points)
    legend, legend_height = _legend(series, top=bottom + 36, width=width)
    height = bottom + 36 + legend_height
    svg = _svg(chart_id, title, description, width, height, "".join(parts) + legend)
    return Chart(title, description, svg, _table(title, x_labels, series, corner=x_heading))


def nice_ticks(maximum: float, *, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least `maximum`: steps of 1, 2, 2.5 or 5 times a power of ten."""
    maximum = float(maximum or 0)
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw)
    if step < 1 and power >= 1:
        step = 1.0
    ticks, value = [0.0], 0.0
    while value < maximum - 1e-9:
        value = round(value + step, 10)
        ticks.append(value)
    return ticks


def _bar_label(value) -> str:
    """A bar's value as text on the chart: whole numbers, one decimal under ten ("3,5"); the table under the chart
    has the exact figures."""
    if value is None:
        return ""
    value = Decimal(str(value))
    if abs(value) < 10 and value != value.to_integral_value():
        return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}".replace(".", ",")
    return f"{int(value.quantize(Decimal('1'), rounding=ROUND_HALF_UP)):,}".replace(",", ".")


def bar_chart(*, title: str, description: str, labels: Sequence[str], series: Sequence[Series],
              x_heading: str = "", value_labels: bool = True, limit: float | None = None,
              limit_label: str = "") -> Chart:
    """Vertical bars: one group per label (months, years, …), one <rect> per series in each group, the value of the
    first series written above its bars. A missing value (None) draws no bar. `limit` draws a dashed line across
    the plot (a cap, such as 60 hours a month), named `limit_label` in the legend and as a column of the table."""
    width, plot_height = 560.0, 180.0
    left, right, top = 44.0, 12.0, 22.0
    bottom = top + plot_height
    plot_width = width - left - right
    count = max(len(labels), 1)
    values = [float(v) for s in series for v in s.values if v is not None]
    if limit is not None:
        values.append(float(limit))
    ticks = nice_ticks(max(values, default=0))
    y_max = ticks[-1]
    chart_id = _chart_id("bar", title, tuple(labels), tuple((s.label, tuple(s.values)) for s in series))
    group_width = plot_width / count
    bar_width = min(28.0, group_width * 0.8 / max(len(series), 1))

    def y_at(value):
        return bottom - plot_height * float(value) / y_max

    parts = []
    for tick in ticks:
        y = y_at(tick)
        parts.append(f'<path d="M{left:.1f},{y:.1f} H{width - right:.1f}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
                     f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
                     f'fill="{TEXT_COLOUR}" {FONT}>{_bar_label(tick)}</text>')
    step = max(1, math.ceil(count / 12))  # at most twelve labels under the axis
    for index, label in enumerate(labels):
        if index % step:
            continue
        x = left + group_width * (index + 0.5)
        parts.append(f'<text x="{x:.1f}" y="{bottom + 16:.1f}" font-size="12" text-anchor="middle" '
                     f'fill="{TEXT_COLOUR}" {FONT}>{escape(label)}</text>')
    for series_index, item in enumerate(series):
        colour = _colour(item, series_index)
        offset = (group_width - bar_width * len(series)) / 2 + bar_width * series_index
        for index, value in enumerate(item.values):
            if value is None or index >= count:
                continue
            x = left + group_width * index + offset
            y = y_at(value)
            parts.append(f'<rect x="{_coordinate(x)}" y="{_coordinate(y)}" width="{_coordinate(bar_width - 1)}" '
                         f'height="{_coordinate(bottom - y)}" fill="{colour}"><title>'
                         f'{escape(labels[index])} · {escape(item.label)}: {_number(value)}</title></rect>')
            if value_labels and series_index == 0 and group_width >= 34:
                parts.append(f'<text x="{x + bar_width / 2:.1f}" y="{y - 4:.1f}" font-size="10" '
                             f'text-anchor="middle" fill="{TEXT_COLOUR}" {FONT}>{_bar_label(value)}</text>')
    legend_series = list(series)
    if limit is not None:
        y = y_at(limit)
        limit_series = Series(limit_label, [limit] * len(labels), colour=PALETTE[1], dashed=True)
        parts.append(f'<path d="M{left:.1f},{y:.1f} H{width - right:.1f}" stroke="{limit_series.colour}" '
                     f'stroke-width="2" stroke-dasharray="6 4" fill="none"><title>{escape(limit_label)}: '
                     f'{_number(limit)}</title></path>')
        legend_series.append(limit_series)
    bar_legend, legend_height = (_legend(series, top=bottom + 30, width=width, boxes=True) if len(series) > 1
                                 else ("", 0))
    if limit is not None:  # the cap's line under the bars' boxes
        line_legend, line_height = _legend([legend_series[-1]], top=bottom + 30 + legend_height, width=width)
        bar_legend, legend_height = bar_legend + line_legend, legend_height + line_height
    height = bottom + 30 + legend_height
    svg = _svg(chart_id, title, description, width, height, "".join(parts) + bar_legend)
    return Chart(title, description, svg, _table(title, labels, legend_series, corner=x_heading))


def horizontal_bar_chart(*, title: str, description: str, labels: Sequence[str], series: Sequence[Series],
                         label_heading: str = "") -> Chart:
    """Horizontal bars for named categories (client categories, activities): the label on the left, one <rect>
    per series for each label, and each bar's value written at its end."""
    width, label_width, bar_height, gap = 560.0, 190.0, 14.0, 10.0
    value_space = 56.0
    plot_left = label_width + 8
    plot_width = width - plot_left - value_space
    values = [float(v) for s in series for v in s.values if v is not None]
    x_max = max(values, default=0) or 1.0
    chart_id = _chart_id("hbar", title, tuple(labels), tuple((s.label, tuple(s.values)) for s in series))
    parts, y = [], 8.0
    for index, label in enumerate(labels):
        lines = _wrap(label, 28)[:2]
        group_height = max(bar_height * len(series), 15.0 * len(lines))
        label_top = y + group_height / 2 - 15.0 * (len(lines) - 1) / 2 + 4
        spans = "".join(f'<tspan x="{label_width:.1f}" dy="{0 if i == 0 else 15}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        parts.append(f'<text x="{label_width:.1f}" y="{label_top:.1f}" font-size="12" text-anchor="end" '
                     f'fill="{TEXT_COLOUR}" {FONT}>{spans}</text>')
        bars_top = y + (group_height - bar_height * len(series)) / 2
        for series_index, item in enumerate(series):
            value = item.values[index] if index < len(item.values) else None
            if value is None:
                continue
            bar_width = plot_width * float(value) / x_max
            bar_y = bars_top + bar_height * series_index
            parts.append(f'<rect x="{_coordinate(plot_left)}" y="{_coordinate(bar_y)}" '
                         f'width="{_coordinate(bar_width)}" height="{_coordinate(bar_height - 2)}" '
                         f'fill="{_colour(item, series_index)}"><title>{escape(label)} · {escape(item.label)}: '
                         f'{_number(value)}</title></rect>'
                         f'<text x="{plot_left + bar_width + 4:.1f}" y="{bar_y + bar_height - 4:.1f}" font-size="10" '
                         f'fill="{TEXT_COLOUR}" {FONT}>{_bar_label(value)}</text>')
        y += group_height + gap
    parts.append(f'<path d="M{plot_left:.1f},4 V{y - gap + 4:.1f}" stroke="{GRID_COLOUR}" stroke-width="1"/>')
    legend, legend_height = _legend(series, top=y + 6, width=width, boxes=True) if len(series) > 1 else ("", 0)
    height = y + 6 + legend_height
    svg = _svg(chart_id, title, description, width, height, "".join(parts) + legend)
    return Chart(title, description, svg, _table(title, labels, series, corner=label_heading))
