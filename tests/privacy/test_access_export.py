"""The access right: the export of a demo wijk-werker and a demo client holds every model that refers to them
(checked against the model graph, so a model added later cannot be forgotten), and after anonymisation none of
their personal values is left in it."""

import json
import zipfile

import pytest
from django.apps import apps

from assignments.models import Client, Prestatie
from cheques import demo as cheques_demo
from tests.demo import seed_demo
from wijkwerken.privacy.graph import person_models, personal_paths
from wijkwerken.privacy.models import AccessRequest, AccessStatus
from wijkwerken.privacy.services import (
    PERSONAL_FIELDS,
    access_export_build,
    access_export_data,
    clients_anonymise,
    workers_anonymise,
)
from workers.models import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.setattr(cheques_demo, "DEMO_FILES", tmp_path)
    monkeypatch.setattr(cheques_demo, "CODA_FILE", tmp_path / "demo.cod")
    monkeypatch.setattr(cheques_demo, "CAMT_FILE", tmp_path / "demo.xml")
    seed_demo(run_on_commit=True)


def _direct_relations(target):
    """(model, field) of every foreign key in the project that points at `target`, walked independently."""
    return [(model, field) for model in apps.get_models() for field in model._meta.get_fields()
            if field.concrete and field.is_relation and (field.many_to_one or field.one_to_one)
            and field.related_model is target and model is not target]


def test_every_model_pointing_at_a_person_is_exported_and_reviewed_for_anonymisation():
    for person in person_models():
        paths = personal_paths(person)
        for model, field in _direct_relations(person):
            assert field.name in paths[model], f"{model._meta.label}.{field.name} is not in the export"
        for model in paths:
            assert model._meta.label in PERSONAL_FIELDS, (
                f"{model._meta.label} refers to a {person._meta.model_name}: list its personal fields in "
                "wijkwerken/privacy/services.py PERSONAL_FIELDS (an empty tuple when it holds none)")
    for label, fields in PERSONAL_FIELDS.items():
        model = apps.get_model(label)
        for name in fields:
            model._meta.get_field(name)


def _richest(model):
    """The demo person with rows in the most models pointing at them."""
    counts = {}
    for related, field in _direct_relations(model):
        for pk in related.objects.values_list(field.name, flat=True).distinct():
            if pk:
                counts.setdefault(pk, set()).add(related)
    return model.objects.get(pk=max(counts, key=lambda pk: len(counts[pk])))


def _check_export(person):
    records = access_export_data(person)
    model = type(person)
    assert [row["id"] for row in records[model._meta.label]] == [person.pk]
    for related, lookups in personal_paths(model).items():
        expected = set()
        for lookup in lookups:
            expected |= set(related.objects.filter(**{lookup: person.pk}).values_list("pk", flat=True))
        exported = {row[related._meta.pk.attname] for row in records.get(related._meta.label, [])}
        assert exported == expected, related._meta.label
    return records


@pytest.mark.xdist_group("demo")
def test_the_export_of_a_demo_worker_and_client_holds_all_their_rows_and_anonymisation_erases_them(
        demo, beheerder):
    worker = _richest(Worker)
    client = _richest(Client)
    worker_records = _check_export(worker)
    client_records = _check_export(client)
    # A demo worker has a trajectory, assignments, prestaties and a case file; a demo client orders cheques.
    assert {"workers.Trajectory", "assignments.Assignment", "assignments.Prestatie"} <= set(worker_records)
    assert {"assignments.Assignment", "cheques.ChequeOrder"} <= set(client_records)
    # A cheque paid for a worker's prestatie is the client's; a coaching note on a client's assignment is the
    # worker's case file.
    assert "cheques.Cheque" not in worker_records and "coaching.CoachingNote" not in client_records

    access_request = AccessRequest.objects.create(organiser=worker.organiser, worker=worker, requested_by=beheerder)
    access_request = access_export_build(access_request.pk)
    assert access_request.status == AccessStatus.READY
    with zipfile.ZipFile(access_request.file.open("rb")) as archive:
        names = archive.namelist()
        document = json.loads(archive.read("gegevens.json"))
        pdf = archive.read("gegevens.pdf")
    assert pdf.startswith(b"%PDF") and set(document["records"]) == set(worker_records) | {"privacy.AccessRequest"}
    assert document["records"]["workers.Worker"][0]["national_number"] == worker.national_number
    if worker.agreement_pdf:
        assert f"documenten/{worker.agreement_pdf.name}" in names

    personal = [worker.first_name + " " + worker.last_name, worker.national_number, worker.street]
    personal += [value for value in (worker.email, worker.iban, worker.phone) if value]
    client_personal = [client.street] + [value for value in (client.email, client.iban, client.national_number)
                                         if value]
    workers_anonymise(worker_ids=[worker.pk])
    clients_anonymise(client_ids=[client.pk])
    worker.refresh_from_db()
    client.refresh_from_db()
    after = json.dumps(access_export_data(worker), default=str) + json.dumps(access_export_data(client), default=str)
    for value in personal + client_personal:
        assert value not in after, value
    assert not worker.agreement_pdf and not client.agreement_pdf
    # The counted rows stay.
    assert set(access_export_data(worker)) >= set(worker_records) - {"accounts.User"}
    assert Prestatie.objects.filter(worker=worker).count() == len(worker_records["assignments.Prestatie"])
