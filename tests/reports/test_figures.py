"""The numbers of a report, on a hand-built world whose every figure is known (tests/reports/dataset.py): the
bare aggregate queries, and the tables the files are written from."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tests.reports.dataset import LEUVEN_2024, LEUVEN_2025
from wijkwerken.core.disclosure import HIDDEN, MASKED
from wijkwerken.reports.periods import Period
from wijkwerken.reports.selectors import report_figures
from wijkwerken.reports.tables import hours, report_tables

pytestmark = pytest.mark.django_db

YEAR_2025 = Period.year(2025)


def _tables(world, *, municipality, mask, period=YEAR_2025):
    scope = [municipality.pk] if municipality else None
    now = report_figures(organiser_id=world.organiser.pk, municipality_ids=scope, period=period)
    before = report_figures(organiser_id=world.organiser.pk, municipality_ids=scope, period=period.previous())
    names = {world.leuven.pk: "Leuven", world.herent.pk: "Herent"}
    with translation.override("en"):
        tables = report_tables(now, before, municipality_id=municipality.pk if municipality else None, mask=mask,
                               names=names)
    return {table.key: table for table in tables}


def _row(table, label):
    rows = [row for row in table.rows if row.label == label]
    assert len(rows) == 1, f"{table.key}: {label!r} in {[row.label for row in table.rows]}"
    return rows[0]


def test_the_bare_aggregates_of_leuven(world):
    figures = report_figures(organiser_id=world.organiser.pk, municipality_ids=[world.leuven.pk], period=YEAR_2025)
    m = world.leuven.pk
    assert hours(figures.minutes_by_month.total(m)) == LEUVEN_2025["hours"]
    assert figures.minutes_by_month.total(m, 1) == LEUVEN_2025["prestaties"]
    months = {month.month: hours(values[0]) for (month,), values in figures.minutes_by_month.by(m).items()}
    assert months == LEUVEN_2025["months"]
    assert {key[0]: hours(v[0]) for key, v in figures.minutes_by_category.by(m).items()} == \
        LEUVEN_2025["categories"]
    assert hours(figures.minutes_by_category.total(m, 1)) == LEUVEN_2025["own_services"]
    assert {key: hours(v[0]) for key, v in figures.minutes_by_activity.by(m).items()} == LEUVEN_2025["activities"]
    assert figures.workers_active.total(m) == LEUVEN_2025["workers_active"]
    assert figures.workers_new.total(m) == LEUVEN_2025["workers_new"]
    assert figures.trajectories_ended.by(m) == {("werk",): [1]}
    assert figures.follow_ups.by(m) == {(3, "werk"): [1]}
    assert figures.clients.total(m, 0) == LEUVEN_2025["clients_active"]
    assert figures.clients.total(m, 1) == LEUVEN_2025["clients_new"]
    assert figures.cheques.by(m) == {
        ("sold",): [34, Decimal("219.30")], ("redeemed",): [4, Decimal("25.80")], ("expired",): [1, Decimal("5.95")]}
    assert figures.refunds.by(m) == {(): [1, Decimal("10.00")]}
    assert figures.fees.by(m) == {(): [2, Decimal("15.00")]}


def test_the_organiser_counts_every_municipality_and_nothing_of_another_organiser(world):
    figures = report_figures(organiser_id=world.organiser.pk, period=YEAR_2025)
    assert hours(figures.minutes_by_month.total()) == Decimal("8.52")  # Leuven 391 + Herent 120 minutes
    assert figures.workers_active.total() == 9
    assert figures.cheques.value(("sold",)) == 39
    assert figures.municipality_ids() == {world.leuven.pk, world.herent.pk}


def test_organiser_staff_see_exact_numbers_beside_the_previous_year(world):
    tables = _tables(world, municipality=world.leuven, mask=False)
    summary = tables["kerncijfers"]
    expected = {
        "Hours worked": ("hours", "hours"), "Prestaties": ("prestaties", "prestaties"),
        "Active wijk-werkers": ("workers_active", "workers_active"), "New wijk-werkers": ("workers_new", "workers_new"),
        "Trajectories ended": ("ended", "ended"), "Active clients": ("clients_active", "clients_active"),
        "New clients": ("clients_new", "clients_new"), "Cheques sold": ("sold", "sold"),
        "Cheques sold (€)": ("sold_euro", "sold_euro"),
    }
    for label, (now, before) in expected.items():
        row = _row(summary, label)
        assert (row.current, row.previous) == (LEUVEN_2025[now], LEUVEN_2024[before]), label
    hours_row = _row(summary, "Hours worked")
    assert hours_row.change == Decimal("4.52") and hours_row.change_percent == Decimal("226.0")
    workers = tables["wijkwerkers"]
    assert _row(workers, "referred by VDAB").current == 7 and _row(workers, "referred by the OCMW").current == 1
    assert _row(workers, "of whom ex-PWA").current == 1
    assert _row(tables["uitstroom"], "Work").current == 1
    months = tables["uren-per-maand"]
    assert [row.label for row in months.rows][:2] == ["January 2025", "February 2025"]
    assert _row(months, "February 2025").previous == Decimal("2.00")  # 29 February 2024
    assert _row(months, "December 2025").current == Decimal("1.02")
    cheques = tables["cheques"]
    assert _row(cheques, "Cheques used").current == 4 and _row(cheques, "Cheques expired").current == 1
    assert _row(cheques, "Refunded (€)").current == Decimal("10.00")
    assert _row(cheques, "Registration fees (€)").current == Decimal("15.00")
    activity = tables["uren-per-activiteit"]
    assert [(row.label, row.level, row.current) for row in activity.rows] == [
        ("Klein tuinonderhoud", 0, Decimal("3.52")), ("Gras maaien", 1, Decimal("3.52")),
        ("Kleine herstellingswerken", 0, Decimal("3.00")), ("Schilderen", 1, Decimal("3.00")),
        ("Total", 0, Decimal("6.52"))]


def test_municipal_staff_see_fewer_than_five_persons_as_lt5(world):
    tables = _tables(world, municipality=world.leuven, mask=True)
    summary = tables["kerncijfers"]
    active = _row(summary, "Active wijk-werkers")
    assert (active.current, active.previous, active.change) == (8, MASKED, None)  # 2 in 2024: hidden
    assert _row(summary, "New wijk-werkers").current == 7
    assert _row(summary, "Trajectories ended").current == MASKED
    assert _row(summary, "Active clients").current == MASKED  # 4
    # Hours and cheques are not persons.
    assert _row(summary, "Hours worked").current == LEUVEN_2025["hours"]
    assert _row(summary, "Cheques used").current == 4
    workers = tables["wijkwerkers"]
    # 7 by VDAB beside 1 by the OCMW: the 1 is "< 5", and the 7 is hidden too, else 8 - 7 gives the 1 away.
    assert _row(workers, "referred by the OCMW").current == MASKED
    assert _row(workers, "referred by VDAB").current == HIDDEN
    outflow = tables["uitstroom"]
    assert {row.current for row in outflow.rows} == {MASKED}  # every reason under 5, also the total (1)
    assert all(cell.value is None for row in outflow.rows for cell in outflow.cells(row)[2:])


def test_the_organiser_report_has_a_table_per_municipality(world):
    tables = _tables(world, municipality=None, mask=False)
    per = tables["per-gemeente"]
    assert [row.label for row in per.rows] == ["Herent", "Leuven", "Total"]
    leuven, total = per.rows[1], per.rows[2]
    assert leuven.values[:3] == [Decimal("6.52"), 4, 8]
    assert total.values[:3] == [Decimal("8.52"), 5, 9]
    assert _row(tables["kerncijfers"], "Hours worked").current == Decimal("8.52")


def test_a_period_across_a_year_end(world):
    period = Period(datetime.date(2025, 12, 1), datetime.date(2026, 1, 31))
    tables = _tables(world, municipality=world.leuven, mask=False, period=period)
    months = tables["uren-per-maand"]
    assert [(row.label, row.current) for row in months.rows] == [
        ("December 2025", Decimal("1.02")), ("January 2026", Decimal("1.00")), ("Total", Decimal("2.02"))]
    assert _row(months, "December 2025").previous == Decimal("0.00")  # December 2024
    # Both cheques of the 61 minutes of 31 December: one used that night before midnight, one after.
    assert _row(tables["cheques"], "Cheques used").current == 2
    december = report_figures(organiser_id=world.organiser.pk, municipality_ids=[world.leuven.pk],
                              period=Period(datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)))
    assert december.cheques.value(("redeemed",)) == 1


def test_a_leap_day_period_compares_with_28_february(world):
    leap = Period(datetime.date(2024, 2, 29), datetime.date(2024, 2, 29))
    figures = report_figures(organiser_id=world.organiser.pk, municipality_ids=[world.leuven.pk], period=leap)
    assert hours(figures.minutes_by_month.total()) == Decimal("2.00")
    assert leap.previous() == Period(datetime.date(2023, 2, 28), datetime.date(2023, 2, 28))


def test_the_dst_switch_day_counts_whole(world):
    """30 March 2025 has 23 hours: a cheque used at 00:30 that night belongs to that day and month."""
    day = Period(datetime.date(2025, 3, 30), datetime.date(2025, 3, 30))
    figures = report_figures(organiser_id=world.organiser.pk, municipality_ids=[world.leuven.pk], period=day)
    assert figures.cheques.value(("redeemed",)) == 1
    assert hours(figures.minutes_by_month.total()) == Decimal("1.00")
    before = Period(datetime.date(2025, 3, 29), datetime.date(2025, 3, 29))
    assert report_figures(organiser_id=world.organiser.pk, period=before).cheques.value(("redeemed",)) == 0
