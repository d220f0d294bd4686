"""Writing the report's tables as files: XLSX (openpyxl in write-only mode: rows are streamed to the file, one
sheet per table, real numbers with number formats, frozen header rows, columns as wide as their content) and CSV
the way Belgian Excel opens it (semicolon separated, UTF-8 with a byte order mark, decimal comma), one file per
table, streamed into a zip. Text for the PDF and the page comes from `cell_text`.
"""

import csv
import io
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from wijkwerken.core.disclosure import is_masked

from .tables import COUNT, EURO, HOURS, PERCENT, PERSONS, Cell, Table

DECIMALS = {PERSONS: 0, COUNT: 0, HOURS: 2, EURO: 2, PERCENT: 1}
MINUS = "\u2212"


def _grouped(value, decimals: int) -> str:
    """1234.5 → "1.234,50": a dot between thousands, a decimal comma."""
    text = f"{abs(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def cell_text(cell: Cell) -> str:
    """A cell as a person reads it on the page or in the PDF: "1.234", "1.234,50", "€ 12,50", "+8,3 %", "< 5";
    "—" where there is nothing to show."""
    value = cell.value
    if value is None:
        return "—"
    if is_masked(value):
        return str(value)
    sign = ""
    if cell.signed and value > 0:
        sign = "+"
    elif value < 0:
        sign = MINUS
    text = _grouped(value, DECIMALS[cell.kind])
    if cell.kind == EURO:
        return f"{sign}€\u00a0{text}"
    if cell.kind == PERCENT:
        return f"{sign}{text}\u00a0%"
    return f"{sign}{text}"


def csv_text(cell: Cell) -> str:
    """A cell as Belgian Excel reads a number: no thousands separator, a decimal comma, a minus sign."""
    value = cell.value
    if value is None:
        return ""
    if is_masked(value):
        return str(value)
    decimals = DECIMALS[cell.kind]
    return f"{value:.{decimals}f}".replace(".", ",")


def sheet_name(table: Table) -> str:
    return table.key.replace("-", " ").capitalize()[:31]


def csv_rows(table: Table) -> Iterable[list[str]]:
    yield table.header()
    for row in table.rows:
        yield [("  " if row.level else "") + row.label, *(csv_text(cell) for cell in table.cells(row))]


def write_csv_zip(tables: list[Table], target) -> None:
    """One CSV per table into a zip written to `target` (a path or a binary file), each streamed row by row."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, table in enumerate(tables, start=1):
            with archive.open(f"{number:02d}-{table.key}.csv", "w") as member, \
                    io.TextIOWrapper(member, encoding="utf-8-sig", newline="") as text:
                writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
                writer.writerows(csv_rows(table))


# --- XLSX ---------------------------------------------------------------------------------------------------------

NUMBER_FORMATS = {
    PERSONS: ("#,##0", "+#,##0;-#,##0;0"),
    COUNT: ("#,##0", "+#,##0;-#,##0;0"),
    HOURS: ("#,##0.00", "+#,##0.00;-#,##0.00;0.00"),
    EURO: ('#,##0.00 "€"', '+#,##0.00 "€";-#,##0.00 "€";0.00 "€"'),
    PERCENT: ("0.0%", "+0.0%;-0.0%;0.0%"),
}
HEADER_FILL = PatternFill("solid", fgColor="DCE9E5")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
RIGHT = Alignment(horizontal="right")
INDENT = Alignment(indent=1)


def _width(text) -> float:
    return min(60.0, max(10.0, len(str(text)) * 1.1 + 2))


def _value_cell(sheet, cell: Cell, *, bold: bool):
    value = cell.value
    written = WriteOnlyCell(sheet, value=None)
    if value is None:
        return written
    if is_masked(value):
        written.value = str(value)
        written.alignment = RIGHT
    else:
        written.value = value / 100 if cell.kind == PERCENT else value
        written.number_format = NUMBER_FORMATS[cell.kind][1 if cell.signed else 0]
    if bold:
        written.font = BOLD
    return written


def write_xlsx(tables: list[Table], target, *, about: list[tuple[str, str]]) -> None:
    """The workbook: a first sheet with what the report is (`about`: label and value pairs), then one sheet per
    table with its title, a frozen header row and the label column, and its note under it."""
    workbook = Workbook(write_only=True)
    info = workbook.create_sheet("Rapport")
    info.column_dimensions["A"].width = max(_width(label) for label, _value in about)
    info.column_dimensions["B"].width = max(_width(value) for _label, value in about)
    for label, value in about:
        first = WriteOnlyCell(info, value=label)
        first.font = BOLD
        info.append([first, value])
    for table in tables:
        sheet = workbook.create_sheet(sheet_name(table))
        header = table.header()
        widths = [_width(text) for text in header]
        for row in table.rows:
            widths[0] = max(widths[0], _width(row.label) + (2 if row.level else 0))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width if index == 1 else max(width, 14)
        sheet.freeze_panes = "B3"
        title = WriteOnlyCell(sheet, value=table.title)
        title.font = TITLE
        sheet.append([title])
        heads = []
        for index, text in enumerate(header):
            head = WriteOnlyCell(sheet, value=text)
            head.font, head.fill = BOLD, HEADER_FILL
            if index:
                head.alignment = RIGHT
            heads.append(head)
        sheet.append(heads)
        for row in table.rows:
            label = WriteOnlyCell(sheet, value=row.label)
            if row.level:
                label.alignment = INDENT
            if row.total:
                label.font = BOLD
            sheet.append([label, *(_value_cell(sheet, cell, bold=row.total) for cell in table.cells(row))])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    workbook.save(target)
