"""Anonymisation keeps every number a report counts: a report made before and after gives the same tables."""

import pytest
from django.utils import translation

from assignments.models import Client
from tests.reports import dataset
from wijkwerken.privacy.services import clients_anonymise, workers_anonymise
from wijkwerken.reports.periods import Period
from wijkwerken.reports.selectors import paid_for_cheques, report_figures
from wijkwerken.reports.tables import report_tables, tables_to_json
from workers.models import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, leuven, herent, other_organiser):
    return dataset.build(organiser, leuven, herent, other_organiser)


def _every_report(world):
    reports = []
    for year in (2024, 2025):
        period = Period.year(year)
        for scope in (None, [world.leuven.pk], [world.herent.pk]):
            now = report_figures(organiser_id=world.organiser.pk, municipality_ids=scope, period=period)
            before = report_figures(organiser_id=world.organiser.pk, municipality_ids=scope, period=period.previous())
            with translation.override("nl"):
                tables = report_tables(now, before, municipality_id=scope[0] if scope else None, mask=False,
                                       names={world.leuven.pk: "Leuven", world.herent.pk: "Herent"})
            reports.append(tables_to_json(tables))
        reports.append(paid_for_cheques(organiser_id=world.organiser.pk, year=year))
    return reports


def test_a_report_made_after_anonymisation_has_the_same_numbers(world):
    before = _every_report(world)
    assert any(table["rows"] for report in before[:1] for table in report)
    worker_ids = list(Worker.objects.filter(organiser=world.organiser).values_list("pk", flat=True))
    client_ids = list(Client.objects.filter(organiser=world.organiser).values_list("pk", flat=True))
    assert sorted(workers_anonymise(worker_ids=worker_ids)) == sorted(worker_ids)
    assert sorted(clients_anonymise(client_ids=client_ids)) == sorted(client_ids)
    assert not Worker.objects.filter(organiser=world.organiser, anonymised_at__isnull=True).exists()
    assert _every_report(world) == before
