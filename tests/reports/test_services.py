"""Asking for a report, building it in the background (safe to run twice; a failure ends as "failed" with a
retry, never as "being made" for ever), the yearly January run, and the fiscal attests."""

import datetime
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cheques.models import Cheque, ChequeStatus
from tests.reports.dataset import ATTESTS_2025
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import AuditEntry, Notification, RuleSet
from wijkwerken.reports import services
from wijkwerken.reports.models import (
    AttestBatch,
    AttestStatus,
    BuildStatus,
    FiscalAttest,
    Report,
    ReportAudience,
)
from wijkwerken.reports.periods import Period
from wijkwerken.reports.tasks import build_report, make_yearly_documents, run_attest_batch

pytestmark = pytest.mark.django_db

YEAR_2025 = Period.year(2025)
UTC = datetime.UTC


def ask(world, actor, *, municipality=None, audience=ReportAudience.MUNICIPALITY, period=YEAR_2025):
    return services.report_request(organiser=world.organiser, municipality=municipality or world.leuven,
                                   audience=audience, period=period, actor=actor)


def test_a_report_asked_is_built_after_the_commit(world, gemeente_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(world, gemeente_user)
        assert report.status == BuildStatus.QUEUED
    report.refresh_from_db()
    assert report.status == BuildStatus.DONE and report.progress == 100
    assert report.pdf.name.endswith(".pdf") and report.xlsx.name.endswith(".xlsx") and report.csv_zip.name.endswith(
        ".zip")
    assert report.data_as_of is not None and report.requested_by == gemeente_user
    assert AuditEntry.objects.for_object(report).filter(action="report.request").exists()
    assert AuditEntry.objects.for_object(report).filter(action="report.ready").exists()


def test_the_same_report_asked_twice_while_it_is_made_starts_one_build(world, gemeente_user, beheerder):
    first = ask(world, gemeente_user)
    with pytest.raises(services.AlreadyRunning) as raised:
        ask(world, beheerder)
    assert raised.value.existing == first and raised.value.code == "already_running"
    assert Report.objects.count() == 1
    # For the organiser's own staff (exact numbers) it is another report.
    ask(world, beheerder, audience=ReportAudience.ORGANISER)
    assert Report.objects.count() == 2


def test_the_task_run_twice_makes_one_report(world, gemeente_user):
    report = ask(world, gemeente_user)
    assert build_report.delay(report.pk).get() == BuildStatus.DONE
    report.refresh_from_db()
    files, finished = (report.pdf.name, report.xlsx.name, report.csv_zip.name), report.finished_at
    assert build_report.delay(report.pk).get() == BuildStatus.DONE
    report.refresh_from_db()
    assert (report.pdf.name, report.xlsx.name, report.csv_zip.name) == files and report.finished_at == finished
    assert Report.objects.count() == 1
    assert AuditEntry.objects.for_object(report).filter(action="report.ready").count() == 1


def test_a_failing_build_is_marked_failed_and_can_be_retried(world, gemeente_user, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(services, "render_report_pdf", broken)
    report = ask(world, gemeente_user)
    assert build_report.delay(report.pk).get() == BuildStatus.FAILED
    report.refresh_from_db()
    assert report.has_failed and report.can_retry and not report.is_busy
    assert report.error == str(services.FAILED_MESSAGE) and not report.pdf
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(report=report, actor=gemeente_user)
    report.refresh_from_db()
    assert report.status == BuildStatus.DONE and report.attempts == 2 and report.error == ""
    with pytest.raises(ValidationError) as raised:
        services.report_retry(report=report, actor=gemeente_user)
    assert raised.value.code == "not_failed"


def test_a_build_whose_worker_died_shows_as_failed_and_does_not_block_a_new_request(world, gemeente_user):
    report = ask(world, gemeente_user)
    Report.objects.filter(pk=report.pk).update(status=BuildStatus.RUNNING,
                                               started_at=timezone.now() - datetime.timedelta(hours=2))
    report.refresh_from_db()
    assert report.is_stale and report.has_failed and not report.is_busy
    again = ask(world, gemeente_user)
    assert again.pk != report.pk
    report.refresh_from_db()
    assert report.status == BuildStatus.FAILED


@pytest.mark.parametrize(("period", "code"), [
    (Period(datetime.date(2017, 12, 1), datetime.date(2018, 1, 31)), "before_start"),
    (Period(datetime.date(2030, 1, 1), datetime.date(2030, 12, 31)), "future"),
])
def test_a_report_covers_days_that_have_been(world, gemeente_user, period, code):
    with pytest.raises(ValidationError) as raised:
        ask(world, gemeente_user, period=period)
    assert [error.code for errors in raised.value.error_dict.values() for error in errors] == [code]
    assert not Report.objects.exists()


def test_a_municipality_of_another_organiser_is_refused(world, beheerder, other_organiser):
    with pytest.raises(ValidationError) as raised:
        ask(world, beheerder, municipality=other_organiser.municipalities.first())
    assert raised.value.code == "other_organiser"


def test_a_period_that_ends_before_it_starts_does_not_exist():
    with pytest.raises(ValueError):
        Period(datetime.date(2025, 3, 1), datetime.date(2025, 2, 1))


# --- the January run ------------------------------------------------------------------------------------------

def test_the_january_run_waits_for_the_rule_set_day_and_runs_once(world, make_user, other_organiser,
                                                                  django_capture_on_commit_callbacks):
    staff = [make_user(Role.GEMEENTE, municipality=world.leuven), make_user(Role.GEMEENTE, municipality=world.leuven)]
    RuleSet.objects.filter(organiser=world.organiser).update(yearly_documents_day=12)  # Gent keeps the 15th
    with time_machine.travel(datetime.datetime(2026, 1, 11, 6, tzinfo=UTC), tick=False):
        assert services.yearly_documents_run() == {"reports": 0, "batches": 0}
    with time_machine.travel(datetime.datetime(2026, 1, 12, 4, 30, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert make_yearly_documents.delay().get() == {"reports": 3, "batches": 1}
        with django_capture_on_commit_callbacks(execute=True):
            assert services.yearly_documents_run() == {"reports": 0, "batches": 0}
    reports = Report.objects.filter(organiser=world.organiser, yearly=True)
    assert {(r.municipality_id, r.audience) for r in reports} == {
        (world.leuven.pk, "gemeente"), (world.herent.pk, "gemeente"), (None, "organisatie")}
    assert {r.status for r in reports} == {BuildStatus.DONE}
    assert {(r.period_start, r.period_end) for r in reports} == {(datetime.date(2025, 1, 1),
                                                                   datetime.date(2025, 12, 31))}
    leuven = reports.get(municipality=world.leuven)
    notified = Notification.objects.filter(key=f"reports.yearly.{leuven.pk}")
    assert sorted(n.recipient_id for n in notified) == sorted(user.pk for user in staff)
    assert FiscalAttest.objects.filter(organiser=world.organiser, year=2025).count() == 3
    with time_machine.travel(datetime.datetime(2026, 2, 12, 6, tzinfo=UTC), tick=False):
        assert services.yearly_documents_run() == {"reports": 0, "batches": 0}


# --- fiscal attests -------------------------------------------------------------------------------------------

def _pdf_text(attest) -> str:
    with attest.pdf.open("rb") as handle:
        return subprocess.run(["pdftotext", "-layout", "-", "-"], input=handle.read(), capture_output=True,
                              check=True).stdout.decode()


@time_machine.travel(datetime.datetime(2026, 1, 20, 9, tzinfo=UTC), tick=False)
def test_the_attest_batch_makes_one_attest_per_private_client_who_paid(world, beheerder,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.attest_batch_request(organiser=world.organiser, year=2025, actor=beheerder)
    batch.refresh_from_db()
    assert batch.status == BuildStatus.DONE and batch.total == batch.made == 3
    attests = {attest.client_id: attest for attest in FiscalAttest.objects.filter(year=2025)}
    expected = {world.clients[name].pk: value for name, value in ATTESTS_2025.items()}
    assert {pk: (a.cheques, a.amount) for pk, a in attests.items()} == expected
    assert world.clients["town"].pk not in attests  # an organisation gets no attest
    c1 = attests[world.clients["c1"].pk]
    assert c1.reduction_percent == 20 and c1.reduction == Decimal("12.90") and c1.number.endswith("-1")
    text = _pdf_text(c1)
    client = world.clients["c1"]
    for needle in ("Fiscaal attest wijk-werkcheques 2025", client.name, client.national_number_display,
                   world.organiser.kbo_number, "€ 64,50", "20 %", "Pagina 1 van 1"):
        assert needle in text, needle
    assert Notification.objects.filter(key=f"reports.attest.2025.{client.pk}").count() == 0  # no login
    # Run again: nothing new.
    again = AttestBatch.objects.create(organiser=world.organiser, year=2025)
    assert run_attest_batch.delay(again.pk).get() == BuildStatus.DONE
    assert FiscalAttest.objects.filter(year=2025).count() == 3
    assert run_attest_batch.delay(again.pk).get() == BuildStatus.DONE


@time_machine.travel(datetime.datetime(2026, 1, 20, 9, tzinfo=UTC), tick=False)
def test_an_attest_batch_while_one_runs_and_a_year_not_over_are_refused(world, beheerder):
    services.attest_batch_request(organiser=world.organiser, year=2025, actor=beheerder)
    with pytest.raises(services.AlreadyRunning):
        services.attest_batch_request(organiser=world.organiser, year=2025, actor=beheerder)
    with pytest.raises(ValidationError) as raised:
        services.attest_batch_request(organiser=world.organiser, year=2026, actor=beheerder)
    assert raised.value.error_dict["year"][0].code == "year_not_over"
    assert AttestBatch.objects.count() == 1


@time_machine.travel(datetime.datetime(2026, 2, 3, 9, tzinfo=UTC), tick=False)
def test_an_attest_made_again_after_a_correction_keeps_the_earlier_version(world, bemiddelaar,
                                                                            django_capture_on_commit_callbacks):
    client = world.clients["c1"]
    with django_capture_on_commit_callbacks(execute=True):
        first = services.fiscal_attest_regenerate(client=client, year=2025, actor=bemiddelaar)
    first.refresh_from_db()
    assert (first.version, first.cheques, first.amount) == (1, 10, Decimal("64.50")) and first.pdf
    # A correction: one cheque bought in 2025 was refunded to the client.
    Cheque.objects.filter(pk=Cheque.objects.filter(client=client, status=ChequeStatus.AVAILABLE).first().pk).update(
        status=ChequeStatus.REFUNDED)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.fiscal_attest_regenerate(client=client, year=2025, actor=bemiddelaar)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.version, second.cheques, second.amount, second.status) == (2, 9, Decimal("58.05"),
                                                                              AttestStatus.CURRENT)
    assert first.status == AttestStatus.REPLACED and first.replaced_at is not None and first.pdf
    assert first.pdf.name != second.pdf.name
    assert "vervangt na een correctie versie 1" in _pdf_text(second)
    assert AuditEntry.objects.filter(action="fiscal_attest.regenerate", object_id=str(second.pk)).exists()
    assert AuditEntry.objects.filter(action="fiscal_attest.replace", object_id=str(first.pk)).exists()


@time_machine.travel(datetime.datetime(2026, 2, 3, 9, tzinfo=UTC), tick=False)
def test_no_attest_for_an_organisation_or_a_client_who_paid_nothing(world, bemiddelaar):
    with pytest.raises(ValidationError) as raised:
        services.fiscal_attest_regenerate(client=world.clients["town"], year=2025, actor=bemiddelaar)
    assert raised.value.error_dict["year"][0].code == "not_private"
    with pytest.raises(ValidationError) as raised:
        services.fiscal_attest_regenerate(client=world.clients["c2"], year=2025, actor=bemiddelaar)
    assert raised.value.error_dict["year"][0].code == "nothing_paid"
    with pytest.raises(ValidationError) as raised:
        services.fiscal_attest_regenerate(client=world.clients["c1"], year=2026, actor=bemiddelaar)
    assert raised.value.error_dict["year"][0].code == "year_not_over"
    assert not FiscalAttest.objects.exists()
