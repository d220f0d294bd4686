"""The benchmark scripts of the payout run and the reports (benchmarks/payouts.py, benchmarks/reports.py), run at a
tiny scale so they cannot rot: every measurement runs and what the scripts check along the way holds (the bare SQL
counts what the service counts, the query count does not grow with the workers, the restricted copy gives the
same report). The figures themselves are not tested: benchmarks are not timed tests."""

import datetime

import pytest
from django.db import connection, transaction
from django.test import override_settings

from benchmarks import payouts as payout_benchmark
from benchmarks import reports as report_benchmark
from benchmarks.flanders import OrganiserSpec, build
from wijkwerken.reports.models import FiscalAttest, Report
from wijkwerken.reports.periods import Period
from wijkwerken.reports.selectors import report_figures
from wijkwerken.reports.tables import report_tables, tables_to_json

REFERENCE = datetime.date(2026, 3, 16)
YEAR = 2025


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield


@pytest.fixture
def small_flanders(db):
    """One small organiser of two municipalities with five years of history."""
    return build(seed=5, reference=REFERENCE, organisers=[
        OrganiserSpec("Wijk-werken Proef", workers=12, clients=36, municipality_count=2, near="24062")])


@pytest.mark.django_db
def test_the_payout_benchmark_runs_and_its_query_count_does_not_grow_with_the_workers(capsys):
    small = payout_benchmark.measure(workers=3, per_worker=2, repeat=1)
    large = payout_benchmark.measure(workers=12, per_worker=2, repeat=1)

    for result in (small, large):
        assert result["sql_workers"] == result["workers"]
        assert result["sql_total"] == result["preview_total"] > 0  # the bare SQL sums what the preview pays
        assert result["preview_lines"] + result["preview_exceptions"] == result["workers"]
        assert result["write_items"] == 2 * result["preview_lines"]  # workers without an IBAN are not written
        assert result["confirm_median"] > 0 and result["sql_median"] > 0
        payout_benchmark.report(result)
    assert (small["preview_queries"], small["confirm_queries"]) == (large["preview_queries"],
                                                                    large["confirm_queries"])
    assert "× the bare SQL" in capsys.readouterr().out


def test_the_payout_benchmark_leaves_nothing_behind(db):
    from cheques.models import PayoutBatch
    from wijkwerken.core.models import Organiser

    before = Organiser.objects.count()
    payout_benchmark.measure(workers=2, per_worker=1, repeat=1)
    assert Organiser.objects.count() == before and not PayoutBatch.objects.exists()


def test_the_municipal_report_benchmark_counts_what_the_report_counts(small_flanders, capsys):
    municipality = report_benchmark.largest_municipality(YEAR)
    result = report_benchmark.measure_municipal(municipality=municipality, year=YEAR, repeat=1)

    assert result["same_numbers"] and result["totals"]["prestaties"] > 0
    assert result["ratio"] > 0 and result["medians"]["pdf"] > 0
    assert not Report.objects.exists()  # every build rolled back
    report_benchmark.print_municipal(result)
    assert "same numbers as the bare SQL: yes" in capsys.readouterr().out


def test_the_restricted_copy_gives_the_same_organiser_report(small_flanders):
    """What `restrict` deletes is nothing the report of the year (and the year before) counts."""
    organiser = report_benchmark.largest_organiser(YEAR)
    period = Period.year(YEAR)

    def tables():
        now = report_figures(organiser_id=organiser.pk, period=period)
        before = report_figures(organiser_id=organiser.pk, period=period.previous())
        return tables_to_json(report_tables(now, before, municipality_id=None, mask=False))

    from assignments.models import Prestatie

    expected, prestaties = tables(), Prestatie.objects.count()
    with transaction.atomic():
        with connection.cursor() as cursor:
            deleted = report_benchmark.restrict(cursor, YEAR)
        assert deleted["assignments_prestatie"] > 0 and Prestatie.objects.count() < prestaties
        assert tables() == expected
        transaction.set_rollback(True)


def test_the_memory_child_and_the_batch_run(small_flanders, capsys):
    organiser = report_benchmark.largest_organiser(YEAR)
    report_benchmark.memory_child(organiser.pk, None, YEAR)
    before, peak, heap, seconds = capsys.readouterr().out.split()
    assert int(peak) >= int(before) > 0 and int(heap) > 0 and float(seconds) > 0

    result = report_benchmark.measure_batch(year=YEAR, reports=None, attests=2)
    assert result["reports"] == result["of_reports"] == 2
    assert result["attests"] > 0 and result["rendered"] == 2
    assert not FiscalAttest.objects.exists() and not Report.objects.exists()
    report_benchmark.print_batch(result)
    assert "municipal reports in" in capsys.readouterr().out


def test_the_command_lines_parse():
    with pytest.raises(SystemExit):
        report_benchmark.main(["--help"])
    with pytest.raises(SystemExit):
        payout_benchmark.main(["--help"])


@pytest.mark.django_db
def test_the_generator_builds_a_shorter_history_on_request():
    from assignments.models import Prestatie

    result = build(seed=5, reference=REFERENCE, years=1, organisers=[
        OrganiserSpec("Wijk-werken Kort", workers=6, clients=18, municipality_count=1, near="24062")])
    first = Prestatie.objects.filter(organiser_id__in=result.organiser_ids).order_by("date").values_list(
        "date", flat=True).first()
    assert REFERENCE - datetime.timedelta(days=366) <= first < REFERENCE
