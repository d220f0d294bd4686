"""The bar charts of the one chart helper: one <rect> per value at the right place, the values as text, a title,
a description and the numbers as a table."""

from lxml import etree

from wijkwerken.core.charts import Series, bar_chart, horizontal_bar_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def _svg(chart):
    return etree.fromstring(str(chart.svg).encode())


def test_nice_ticks_run_from_zero_past_the_maximum():
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(3) == [0.0, 1.0, 2.0, 3.0]
    assert nice_ticks(51) == [0.0, 20.0, 40.0, 60.0]
    assert nice_ticks(2756) == [0.0, 1000.0, 2000.0, 3000.0]
    assert nice_ticks(0.4) == [0.0, 0.1, 0.2, 0.3, 0.4]


def test_vertical_bars_one_rect_per_value():
    chart = bar_chart(title="Uren per maand", description="Twee jaren", labels=["jan", "feb", "mrt"],
                      series=[Series("2025", [10, None, 30]), Series("2024", [20, 5, 0], colour="#6c757d")])
    svg = _svg(chart)
    rects = svg.findall(f"{SVG}rect")
    assert len(rects) == 5  # the missing value draws no bar
    heights = [float(rect.get("height")) for rect in rects]
    # The plot is 180 high up to the top tick 30: 10 → 60, 30 → 180, 20 → 120, 5 → 30, 0 → 0.
    assert heights == [60.0, 180.0, 120.0, 30.0, 0.0]
    assert [rect.get("fill") for rect in rects][2:] == ["#6c757d"] * 3
    texts = [text.xpath("string()") for text in svg.findall(f"{SVG}text")]
    assert "10" in texts and "30" in texts and "jan" in texts
    assert svg.find(f"{SVG}title").text == "Uren per maand"
    table = etree.fromstring(str(chart.table).encode())
    rows = [[cell.xpath("string()") for cell in row] for row in table.iter("tr")]
    assert rows[1] == ["jan", "10", "20"] and rows[2] == ["feb", "—", "5"]


def test_horizontal_bars_are_as_long_as_their_value():
    chart = horizontal_bar_chart(title="Uren per categorie", description="d",
                                 labels=["Particulier", "Lokaal bestuur (gemeente, OCMW)"],
                                 series=[Series("2025", [120.5, 60.25])])
    rects = _svg(chart).findall(f"{SVG}rect")
    widths = [float(rect.get("width")) for rect in rects]
    assert widths[0] == 306.0 and widths[1] == 153.0  # the longest bar fills the 306 wide plot
    texts = [text.xpath("string()") for text in _svg(chart).findall(f"{SVG}text")]
    assert "121" in texts and "60" in texts and "Particulier" in texts


def test_a_limit_is_a_dashed_line_in_the_legend_and_a_column_of_the_table():
    chart = bar_chart(title="Uren tegenover het maximum", description="Maximaal 60 uur per maand",
                      labels=["jan", "feb"], series=[Series("uren", [20, None])], limit=60,
                      limit_label="maximum per maand")
    svg = _svg(chart)
    # The scale reaches the limit even when every bar stays under it; the line sits at the top tick.
    line = next(path for path in svg.findall(f"{SVG}path") if path.get("stroke-dasharray"))
    assert line.get("d") == "M44.0,22.0 H548.0"
    assert line.find(f"{SVG}title").text == "maximum per maand: 60"
    assert [rect.get("height") for rect in svg.findall(f"{SVG}rect")] == ["60.0"]
    assert "maximum per maand" in [text.xpath("string()") for text in svg.findall(f"{SVG}text")]
    table = etree.fromstring(str(chart.table).encode())
    rows = [[cell.xpath("string()") for cell in row] for row in table.iter("tr")]
    assert rows[0] == ["", "uren", "maximum per maand"] and rows[2] == ["feb", "—", "60"]
    assert 'style=' not in str(chart.svg)  # the Content-Security-Policy refuses style attributes
