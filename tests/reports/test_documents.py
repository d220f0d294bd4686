"""The report's files, read back as a person's programs read them: the XLSX with openpyxl, the CSV files with the
csv module (as Belgian Excel: semicolons, UTF-8 with a byte order mark, decimal comma), the PDF's text with
pdftotext. The figures are those of the hand-built world (tests/reports/dataset.py)."""

import csv
import datetime
import io
import subprocess
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.reports.dataset import LEUVEN_2025
from wijkwerken.reports.models import BuildStatus, Report, ReportAudience
from wijkwerken.reports.services import report_build

pytestmark = pytest.mark.django_db


def build(world, *, municipality, audience) -> Report:
    report = Report.objects.create(organiser=world.organiser, municipality=municipality, audience=audience,
                                   period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 12, 31))
    report = report_build(report.pk)
    assert report.status == BuildStatus.DONE, report.error
    return report


def workbook(report):
    with report.xlsx.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def sheet_rows(book, name) -> dict:
    """{label: [the other cells]} of a table's sheet (its title in row 1, the header in row 2)."""
    sheet = book[name]
    return {row[0].value.strip(): row[1:] for row in sheet.iter_rows(min_row=2) if row and row[0].value}


def csv_files(report) -> dict[str, list[list[str]]]:
    with report.csv_zip.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    files = {}
    for name in archive.namelist():
        raw = archive.read(name)
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no byte order mark"
        files[name] = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    return files


def pdf_text(report) -> str:
    with report.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def test_the_xlsx_has_a_sheet_per_table_with_real_numbers(world):
    report = build(world, municipality=world.leuven, audience=ReportAudience.ORGANISER)
    book = workbook(report)
    assert book.sheetnames == ["Rapport", "Kerncijfers", "Uren per maand", "Uren per categorie",
                               "Uren per activiteit", "Wijkwerkers", "Uitstroom", "Opvolging", "Gebruikers", "Cheques"]
    sheet = book["Kerncijfers"]
    assert sheet["A1"].value == "Kerncijfers"
    assert [cell.value for cell in sheet[2]] == ["Cijfer", "2025", "2024", "Verschil", "Verschil (%)"]
    assert sheet.freeze_panes == "B3"
    assert sheet.column_dimensions["A"].width >= len("waarvan voor de eigen diensten van de gemeente")
    rows = sheet_rows(book, "Kerncijfers")
    hours = rows["Gepresteerde uren"]
    assert [cell.value for cell in hours] == [pytest.approx(6.52), pytest.approx(2.0), pytest.approx(4.52),
                                              pytest.approx(2.26)]
    assert hours[0].number_format == "#,##0.00" and hours[3].number_format == "+0.0%;-0.0%;0.0%"
    assert rows["Actieve wijk-werkers"][0].value == 8 and rows["Actieve wijk-werkers"][0].number_format == "#,##0"
    assert rows["Verkochte cheques (€)"][0].value == pytest.approx(219.30)
    assert "€" in rows["Verkochte cheques (€)"][0].number_format
    months = sheet_rows(book, "Uren per maand")
    assert months["januari 2025"][0].value == pytest.approx(1.5)
    assert months["december 2025"][0].value == pytest.approx(1.02)
    assert months["februari 2025"][1].value == pytest.approx(2.0)  # 29 February 2024
    assert months["Totaal"][0].font.bold
    about = {row[0].value: row[1].value for row in book["Rapport"].iter_rows()}
    assert about["Periode"] == "01/01/2025 – 31/12/2025" and about["Vergeleken met"] == "01/01/2024 – 31/12/2024"


def test_the_csv_files_open_in_belgian_excel(world):
    report = build(world, municipality=world.leuven, audience=ReportAudience.MUNICIPALITY)
    files = csv_files(report)
    assert sorted(files) == ["01-kerncijfers.csv", "02-uren-per-maand.csv", "03-uren-per-categorie.csv",
                             "04-uren-per-activiteit.csv", "05-wijkwerkers.csv", "06-uitstroom.csv",
                             "07-opvolging.csv", "08-gebruikers.csv", "09-cheques.csv"]
    summary = {row[0]: row[1:] for row in files["01-kerncijfers.csv"]}
    assert summary["Cijfer"] == ["2025", "2024", "Verschil", "Verschil (%)"]
    assert summary["Gepresteerde uren"] == ["6,52", "2,00", "4,52", "226,0"]
    assert summary["Verkochte cheques (€)"] == ["219,30", "5,95", "213,35", "3585,7"]
    # Municipal staff: fewer than 5 persons is "< 5", and no change is computed from it.
    assert summary["Actieve wijk-werkers"] == ["8", "< 5", "", ""]
    assert summary["Actieve gebruikers"] == ["< 5", "< 5", "", ""]
    workers = {row[0].strip(): row[1:] for row in files["05-wijkwerkers.csv"]}
    assert workers["doorverwezen door het OCMW"][0] == "< 5" and workers["doorverwezen door de VDAB"][0] == "×"
    activities = files["04-uren-per-activiteit.csv"]
    assert activities[1] == ["Klein tuinonderhoud", "3,52", "2,00", "1,52", "76,0"]
    assert activities[2][0] == "  Gras maaien"


def test_the_pdf_reads_as_the_report(world):
    report = build(world, municipality=world.leuven, audience=ReportAudience.MUNICIPALITY)
    text = pdf_text(report)
    assert "Wijk-werken in Leuven" in text and "Jaarrapport 2025, vergeleken met 2024" in text
    assert "Pagina 1 van" in text and "Gegevens van" in text
    assert "De periode in één oogopslag" in text and "Gepresteerde uren per maand" in text
    for needle in ("6,52", "€ 219,30", "< 5", "Reden van uitstroom", "Gras maaien"):
        assert needle in text, needle
    # Aggregates only: no worker or client is named anywhere.
    names = [f"{w.first_name} {w.last_name}" for w in world.workers.values()]
    names += [c.name for c in world.clients.values()] + [c.national_number for c in world.clients.values() if
                                                         c.national_number]
    assert not [name for name in names if name in text]


def test_the_organiser_report_has_the_exact_numbers_and_a_table_per_municipality(world):
    report = build(world, municipality=None, audience=ReportAudience.ORGANISER)
    text = pdf_text(report)
    assert "Per gemeente" in text and "Herent" in text and "8,52" in text
    book = workbook(report)
    assert book.sheetnames[-1] == "Per gemeente"
    per = sheet_rows(book, "Per gemeente")
    assert [cell.value for cell in per["Leuven"][:3]] == [pytest.approx(6.52), 4, 8]
    assert [cell.value for cell in per["Totaal"][:3]] == [pytest.approx(8.52), 5, 9]
    stored = report.figures["tables"][0]
    assert stored["key"] == "kerncijfers" and Decimal(stored["rows"][0]["current"]) == Decimal("8.52")
    assert LEUVEN_2025["hours"] == Decimal("6.52")
