"""The demo: last year's reports (the demo gemeente's municipality and the whole organiser) are ready in three
formats, and running the demo again changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cheques import demo as cheques_demo
from wijkwerken.accounts.models import User
from wijkwerken.core.dates import today
from wijkwerken.reports.models import AttestBatch, BuildStatus, FiscalAttest, Report, ReportAudience

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_files(tmp_path, monkeypatch):
    monkeypatch.setattr(cheques_demo, "DEMO_FILES", tmp_path)
    monkeypatch.setattr(cheques_demo, "CODA_FILE", tmp_path / "demo.cod")
    monkeypatch.setattr(cheques_demo, "CAMT_FILE", tmp_path / "demo.xml")


def test_the_demo_leaves_last_years_reports_ready_and_runs_twice(client, demo_files):
    call_command("seed_demo", stdout=io.StringIO())
    before = list(Report.objects.order_by("pk").values_list("pk", "status", "pdf", "finished_at"))
    call_command("seed_demo", stdout=io.StringIO())
    assert list(Report.objects.order_by("pk").values_list("pk", "status", "pdf", "finished_at")) == before
    assert AttestBatch.objects.count() == 1 and FiscalAttest.objects.count() == FiscalAttest.objects.filter(
        year=today().year - 1).count()
    gemeente = User.objects.get(email="gemeente@demo.wijkwerken.be")
    report = Report.objects.get(municipality=gemeente.municipality, audience=ReportAudience.MUNICIPALITY)
    assert report.status == BuildStatus.DONE and report.yearly and report.period_start.year == today().year - 1
    assert Report.objects.get(municipality__isnull=True).status == BuildStatus.DONE
    client.force_login(gemeente)
    for file_format in ("pdf", "xlsx", "csv"):
        response = client.get(reverse("reports:report_download", args=[report.pk, file_format]))
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
