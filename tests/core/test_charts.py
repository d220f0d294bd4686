"""The generic SVG charts: one polygon (radar) or polyline (line) per series at the right points, with a title, a
description and the numbers as a table."""

import math
import re

import pytest
from lxml import etree

from wijkwerken.core.charts import Series, line_chart, radar_chart, radar_points

SVG = "{http://www.w3.org/2000/svg}"


def _svg(chart):
    return etree.fromstring(str(chart.svg).encode())


def _points(element):
    return [tuple(float(v) for v in pair.split(",")) for pair in element.get("points").split()]


def test_radar_has_one_polygon_per_series_at_the_right_points():
    chart = radar_chart(
        title="Competenties", description="Twee metingen", axes=["A", "B", "C", "D"],
        series=[Series("Begin", [1, 2, 3, 4]), Series("Einde", [5, 5, 5, 5], dashed=True)],
    )
    svg = _svg(chart)
    polygons = svg.findall(f"{SVG}polygon")
    assert len(polygons) == 2
    # The chart is 480 wide with a radius of 120, centred at (240, 170); axis 0 points up, then clockwise.
    first = _points(polygons[0])
    assert first == [(240.0, 170 - 24.0), (240 + 48.0, 170.0), (240.0, 170 + 72.0), (240 - 96.0, 170.0)]
    assert _points(polygons[1]) == [(240.0, 50.0), (360.0, 170.0), (240.0, 290.0), (120.0, 170.0)]
    assert polygons[1].get("stroke-dasharray") == "6 4" and polygons[0].get("stroke-dasharray") is None
    # Grid lines are paths, never polygons.
    assert len(svg.findall(f"{SVG}path")) == 5 + 4


def test_radar_points_of_five_axes_and_a_missing_value():
    points = radar_points([5, None, 2.5, 5, 5], centre=(0, 0), radius=100, scale_min=0, scale_max=5)
    assert points[0] == pytest.approx((0.0, -100.0))
    assert points[1] == (0.0, 0.0)  # no value: at the centre
    angle = -math.pi / 2 + 2 * math.pi * 2 / 5
    assert points[2] == pytest.approx((50 * math.cos(angle), 50 * math.sin(angle)))


def test_chart_is_labelled_and_gives_its_numbers_as_a_table():
    chart = radar_chart(title="Competenties <van Sara>", description="Sterren & cijfers",
                        axes=["Stiptheid", "Samenwerken", "Veilig"], series=[Series("Coach 01/03/2026", [3, 4, None])],
                        axis_heading="Competentie")
    svg = _svg(chart)
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "Competenties <van Sara>" and desc.text == "Sterren & cijfers"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    table = etree.fromstring(str(chart.table).encode())
    rows = [[cell.xpath("string()") for cell in row] for row in table.iter("tr")]
    assert rows == [["Competentie", "Coach 01/03/2026"], ["Stiptheid", "3"], ["Samenwerken", "4"], ["Veilig", "—"]]
    html = chart.__html__()
    assert html.startswith("<figure") and str(chart.svg) in html and str(chart.table) in html


def test_line_chart_has_one_polyline_per_series():
    chart = line_chart(title="Welzijn", description="Drie check-ins", x_labels=["01/03", "08/03", "15/03"],
                       series=[Series("Stemming", [1, 3, 5]), Series("Energie", [5, None, 1])])
    svg = _svg(chart)
    lines = svg.findall(f"{SVG}polyline")
    assert len(lines) == 2
    # Plot from x 30 to 456 and y 172 (value 1) to 12 (value 5).
    assert _points(lines[0]) == [(30.0, 172.0), (243.0, 92.0), (456.0, 12.0)]
    assert _points(lines[1]) == [(30.0, 12.0), (456.0, 172.0)]  # the missing value is skipped
    assert re.search(r"<title[^>]*>Welzijn</title>", str(chart.svg))


def test_a_single_point_sits_in_the_middle():
    chart = line_chart(title="t", description="d", x_labels=["01/03"], series=[Series("Stemming", [3])])
    assert _points(_svg(chart).find(f"{SVG}polyline")) == [(243.0, 92.0)]
