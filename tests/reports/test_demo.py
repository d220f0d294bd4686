"""The demo: a lived-in last year, so last year's reports (the demo gemeente's municipality and the whole
organiser) are ready in three formats with real figures and the demo private clients have their fiscal attest;
running the demo again changes nothing, and it writes nothing into the source tree."""

import csv
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from assignments.models import ClientCategory, Prestatie
from cheques.models import Cheque, ChequeStatus, ClientCredit, CreditKind
from tests.demo import seed_demo
from wijkwerken.accounts.models import User
from wijkwerken.core.dates import today
from wijkwerken.reports.models import AttestBatch, BuildStatus, FiscalAttest, Report, ReportAudience
from workers.models import FollowUp, Trajectory

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _source_tree_status() -> str | None:
    """`git status` of the repository (untracked files too), or None where git or the repository is missing."""
    if shutil.which("git") is None or not (settings.BASE_DIR / ".git").exists():
        return None
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=settings.BASE_DIR,
                          capture_output=True, text=True, check=True).stdout


def _numbers(sheet) -> list:
    return [cell for row in sheet.iter_rows(min_row=3, values_only=True) for cell in row[1:2]
            if isinstance(cell, int | float)]


@pytest.mark.xdist_group("demo")
def test_the_demo_has_a_lived_in_last_year_with_reports_and_attests_and_runs_twice(client):
    year = today().year - 1
    tree = _source_tree_status()
    seed_demo()  # the first run, or what it made (tests/demo.py); the second runs here
    counts = _counts()
    reports = list(Report.objects.order_by("pk").values_list("pk", "status", "pdf", "finished_at"))
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == counts
    assert list(Report.objects.order_by("pk").values_list("pk", "status", "pdf", "finished_at")) == reports
    # Nothing under the repository changed: generated files go to MEDIA_ROOT.
    assert _source_tree_status() == tree

    # Last year is lived in: hours in every month, trajectories started, ended and followed up, cheques
    # sold, used, expired and refunded.
    months = set(Prestatie.objects.filter(date__year=year).values_list("date__month", flat=True))
    assert months == set(range(1, 13))
    assert Trajectory.objects.filter(ended_on__year=year).exclude(outflow_reason="einde_termijn").count() >= 4
    assert FollowUp.objects.filter(done_on__year=year).count() >= 3
    assert Cheque.objects.filter(status=ChequeStatus.EXPIRED, expires_on__year=year).exists()
    assert Cheque.objects.filter(status=ChequeStatus.REDEEMED, redeemed_at__year=year).count() > 500
    assert ClientCredit.objects.filter(kind=CreditKind.REFUNDED, refund_batch__execution_date__year=year).exists()

    assert AttestBatch.objects.count() == 1
    gemeente = User.objects.get(email="gemeente@demo.wijkwerken.be")
    report = Report.objects.get(municipality=gemeente.municipality, audience=ReportAudience.MUNICIPALITY)
    assert report.status == BuildStatus.DONE and report.yearly and report.period_start.year == year
    assert Report.objects.get(municipality__isnull=True).status == BuildStatus.DONE

    client.force_login(gemeente)
    files = {}
    for file_format in ("pdf", "xlsx", "csv"):
        response = client.get(reverse("reports:report_download", args=[report.pk, file_format]))
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
        files[file_format] = b"".join(response.streaming_content)
    assert files["pdf"].startswith(b"%PDF")
    workbook = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    sheets = {sheet.title: sheet for sheet in workbook.worksheets}
    for title in ("Kerncijfers", "Uren per maand", "Uren per categorie", "Uren per activiteit", "Wijkwerkers",
                  "Gebruikers", "Cheques"):
        assert any(value > 0 for value in _numbers(sheets[title])), title
    key = {row[0]: row[1] for row in sheets["Kerncijfers"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert key["Gepresteerde uren"] > 500 and key["Actieve wijk-werkers"] >= 5
    assert key["Verkochte cheques"] > 500 and key["Vervallen cheques"] > 0
    hours_by_month = [row[1] for row in sheets["Uren per maand"].iter_rows(min_row=3, max_row=14, values_only=True)]
    assert len(hours_by_month) == 12 and all(hours > 0 for hours in hours_by_month)
    with zipfile.ZipFile(io.BytesIO(files["csv"])) as archive:
        tables = {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}
    assert len(tables) >= 7
    rows = [row for text in tables.values() for row in csv.reader(io.StringIO(text), delimiter=";")]
    assert any(row and row[0] == "Gepresteerde uren" and row[1] not in ("", "0") for row in rows)

    # Every demo private client who paid for cheques last year has a current attest; the demo account sees
    # "Fiscaal attest <last year>" on its wallet page and downloads it.
    attests = FiscalAttest.objects.filter(year=year)
    assert attests.count() >= 5
    assert set(attests.values_list("client__category", flat=True)) == {ClientCategory.PARTICULIER}
    demo_user = User.objects.get(email="gebruiker@demo.wijkwerken.be")
    attest = attests.get(client__contacts__user=demo_user)
    assert attest.amount > 0
    client.force_login(demo_user)
    wallet = client.get(reverse("cheques:my_wallet"))
    assert reverse("reports:my_attests_panel") in wallet.content.decode()
    panel = client.get(reverse("reports:my_attests_panel")).content.decode()
    assert f"Fiscaal attest {year}" in panel
    download_url = reverse("reports:attest_download", args=[attest.pk])
    assert download_url in panel
    response = client.get(download_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
