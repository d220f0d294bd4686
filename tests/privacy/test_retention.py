"""The retention rule: who is anonymised on which day (the boundary dates), what is erased and what stays, twice
in a row, and the one narrow path through the append-only triggers."""

import datetime
import json

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from assignments.models import ClientCategory, ClientStatus
from tests.accounts.factories import UserFactory
from tests.assignments.factories import ClientFactory
from tests.workers.factories import WorkerFactory
from wijkwerken.accounts.models import Role
from wijkwerken.core.audit import audit_log
from wijkwerken.core.models import AuditEntry, RuleSet
from wijkwerken.privacy.services import REDACTED, retention_run, workers_ended
from wijkwerken.privacy.tasks import anonymise_expired
from workers.models import OutflowReason, Trajectory, TrajectoryStatus, Worker

pytestmark = pytest.mark.django_db

D = datetime.date


def _ended_worker(organiser, ended_on, **kwargs):
    worker = WorkerFactory(organiser=organiser, **kwargs)
    start = ended_on - datetime.timedelta(days=200)
    Trajectory.objects.create(
        organiser=organiser, worker=worker, start_date=start, planned_end_date=ended_on, end_date=ended_on,
        max_end_date=ended_on, evaluation_due_on=start, status=TrajectoryStatus.ENDED, ended_on=ended_on,
        outflow_reason=OutflowReason.WORK, end_note="Vond werk bij de bakker in de Diestsestraat")
    return worker


def _stopped_client(municipality, stopped_on, **kwargs):
    return ClientFactory(municipality=municipality, status=ClientStatus.STOPPED, agreement_signed_on=D(2019, 1, 1),
                         activated_on=D(2019, 1, 1), stopped_on=stopped_on, stop_reason="Verhuisd naar Gent",
                         **kwargs)


def _at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(2, 0)).astimezone(), tick=False)


def test_a_worker_is_anonymised_on_the_day_the_retention_period_ends_not_before(organiser, leuven):
    worker = _ended_worker(organiser, D(2025, 3, 15), iban="BE68539007547034", email="jan@example.be",
                           notes="Heeft een moeilijke thuissituatie")
    with _at(D(2030, 3, 14)):
        assert retention_run() == {"workers": 0, "clients": 0}
    worker.refresh_from_db()
    assert worker.anonymised_at is None
    with _at(D(2030, 3, 15)):
        assert retention_run() == {"workers": 1, "clients": 0}
    worker.refresh_from_db()
    assert worker.anonymised_at is not None
    assert (worker.first_name, worker.last_name) == ("Geanonimiseerd", f"#{worker.pk}")
    assert worker.national_number == f"X{worker.pk}" and worker.iban == worker.email == worker.notes == ""
    assert worker.street == REDACTED and worker.referrer_name == REDACTED
    # What the reports count stays.
    assert worker.municipality == leuven and worker.postcode and worker.referral
    trajectory = worker.trajectories.get()
    assert trajectory.end_note == REDACTED and trajectory.outflow_reason == OutflowReason.WORK
    assert trajectory.ended_on == D(2025, 3, 15)


def test_29_february_ends_on_1_march_and_new_years_day_on_new_years_day(organiser, leuven):
    leap = _ended_worker(organiser, D(2024, 2, 29))
    new_year = _stopped_client(leuven, D(2025, 1, 1))
    with _at(D(2029, 2, 28)):
        assert retention_run() == {"workers": 0, "clients": 0}
    with _at(D(2029, 3, 1)):
        assert retention_run() == {"workers": 1, "clients": 0}
    with _at(D(2029, 12, 31)):
        assert retention_run() == {"workers": 0, "clients": 0}
    with _at(D(2030, 1, 1)):
        assert retention_run() == {"workers": 0, "clients": 1}
    leap.refresh_from_db()
    new_year.refresh_from_db()
    assert leap.anonymised_at and new_year.anonymised_at


def test_the_organisers_own_term_counts_and_active_people_are_never_anonymised(organiser, leuven):
    RuleSet.objects.filter(organiser=organiser).update(retention_years=2)
    ended = _ended_worker(organiser, D(2025, 6, 30))
    active_worker = WorkerFactory(organiser=organiser)
    Trajectory.objects.create(organiser=organiser, worker=active_worker, start_date=D(2020, 1, 1),
                              planned_end_date=D(2020, 6, 30), end_date=D(2020, 6, 30), max_end_date=None,
                              evaluation_due_on=D(2020, 6, 30))
    active_client = ClientFactory(municipality=leuven, status=ClientStatus.ACTIVE, agreement_signed_on=D(2019, 1, 1),
                                  activated_on=D(2019, 1, 1))
    with _at(D(2027, 6, 30)):
        assert retention_run() == {"workers": 1, "clients": 0}
    ended.refresh_from_db()
    active_worker.refresh_from_db()
    active_client.refresh_from_db()
    assert ended.anonymised_at and active_worker.anonymised_at is None and active_client.anonymised_at is None


def test_who_is_due_is_everyone_whose_last_trajectory_ended_by_the_cutoff_and_nobody_else(organiser, leuven):
    """The workers due are found from the trajectories that ended by the cutoff and the workers who never started
    one: the same people as adding up every worker's trajectories (the reference below), with the same end."""
    cutoff = D(2025, 6, 30)
    _ended_worker(organiser, D(2025, 6, 30), last_name="Op de grens")
    _ended_worker(organiser, D(2025, 7, 1), last_name="Een dag te laat")
    twice = _ended_worker(organiser, D(2024, 1, 31), last_name="Twee trajecten")
    Trajectory.objects.create(
        organiser=organiser, worker=twice, start_date=D(2025, 2, 1), planned_end_date=D(2025, 5, 31),
        end_date=D(2025, 5, 31), max_end_date=D(2025, 5, 31), evaluation_due_on=D(2025, 2, 1),
        status=TrajectoryStatus.ENDED, ended_on=D(2025, 5, 31), outflow_reason=OutflowReason.WORK)
    later = _ended_worker(organiser, D(2024, 1, 31), last_name="Later opnieuw")
    Trajectory.objects.create(
        organiser=organiser, worker=later, start_date=D(2025, 6, 1), planned_end_date=D(2025, 12, 31),
        end_date=D(2025, 12, 31), max_end_date=D(2025, 12, 31), evaluation_due_on=D(2025, 6, 1),
        status=TrajectoryStatus.ENDED, ended_on=D(2025, 8, 31), outflow_reason=OutflowReason.WORK)
    running = _ended_worker(organiser, D(2023, 1, 31), last_name="Loopt nog")
    Trajectory.objects.create(organiser=organiser, worker=running, start_date=D(2024, 1, 1),
                              planned_end_date=D(2024, 12, 31), end_date=D(2024, 12, 31), max_end_date=None,
                              evaluation_due_on=D(2024, 6, 30))
    for name, registered in (("Nooit begonnen", D(2025, 6, 29)), ("Pas ingeschreven", D(2025, 7, 2))):
        never = WorkerFactory(organiser=organiser, last_name=name)
        Worker.objects.filter(pk=never.pk).update(
            created_at=datetime.datetime.combine(registered, datetime.time(12)).astimezone())
    gone = _ended_worker(organiser, D(2020, 1, 31), last_name="Al geanonimiseerd")
    Worker.objects.filter(pk=gone.pk).update(anonymised_at=datetime.datetime(2026, 1, 1).astimezone())

    def reference():
        due = {}
        for worker in Worker.objects.filter(organiser=organiser, anonymised_at__isnull=True):
            trajectories = list(worker.trajectories.all())
            if any(t.status == TrajectoryStatus.ACTIVE for t in trajectories):
                continue
            ended = max((t.ended_on for t in trajectories),
                        default=worker.created_at.astimezone().date())
            if ended <= cutoff:
                due[worker.last_name] = ended
        return due

    found = {w.last_name: w.relation_ended_on for w in workers_ended(organiser, by=cutoff)}
    assert found == reference() == {"Op de grens": D(2025, 6, 30), "Twee trajecten": D(2025, 5, 31),
                                    "Nooit begonnen": D(2025, 6, 29)}


def test_the_nightly_job_runs_twice_without_changing_anything_the_second_time(organiser, leuven, beheerder):
    worker = _ended_worker(organiser, D(2020, 1, 10))
    client = _stopped_client(leuven, D(2020, 2, 1), iban="BE68539007547034", email="els@example.be")
    contact = UserFactory(role=Role.GEBRUIKER, organiser=organiser, email="els@example.be", first_name="Els")
    client.contacts.create(user=contact, is_primary=True)
    audit_log(actor=beheerder, action="assignments.client_changed", obj=client,
              summary=f"Adres van {client.name} gewijzigd", changes={"street": ["Oude straat 1", "Nieuwe straat 2"]})
    with _at(D(2026, 1, 1)):
        assert anonymise_expired.delay().get() == {"workers": 1, "clients": 1}
        first = (list(Worker.objects.values()), list(AuditEntry.objects.order_by("pk").values()))
        assert anonymise_expired.delay().get() == {"workers": 0, "clients": 0}
        assert (list(Worker.objects.values()), list(AuditEntry.objects.order_by("pk").values())) == first
    client.refresh_from_db()
    contact.refresh_from_db()
    assert client.anonymised_at and client.iban == "" and client.email == "" and client.stop_reason == REDACTED
    if client.category == ClientCategory.PARTICULIER:
        assert client.name == f"Geanonimiseerd #{client.number}" and client.national_number == f"X{client.pk}"
    assert not contact.is_active and contact.email == f"geanonimiseerd-{contact.pk}@example.invalid"
    assert not contact.has_usable_password()
    # The history keeps what happened, not who or which values.
    entry = AuditEntry.objects.get(action="assignments.client_changed")
    assert entry.summary == REDACTED and entry.object_repr == REDACTED
    assert entry.changes == {"street": REDACTED} and entry.object_id == str(client.pk)
    # What the job did is logged with counts and ids, never the erased values.
    logged = AuditEntry.objects.filter(action="privacy.anonymised").order_by("pk")
    assert sorted(e.object_id for e in logged) == sorted([str(worker.pk), str(client.pk)])
    batch = AuditEntry.objects.filter(action="privacy.anonymised_batch")
    assert batch.count() == 2 and all("Els" not in str(e.changes) for e in batch)


def _redact(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('wijkwerken.redacting', 'on', true)")
        cursor.execute(sql, params)


def test_the_audit_log_accepts_only_redaction_and_only_on_the_narrow_path(organiser, beheerder):
    entry = audit_log(actor=beheerder, action="x.changed", obj=organiser, summary="Naam van Jan gewijzigd",
                      changes={"name": ["Jan", "Piet"]})
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:  # without the flag
        cursor.execute("UPDATE core_auditentry SET summary = %s WHERE id = %s", [REDACTED, entry.pk])
    with pytest.raises(DatabaseError):  # another value than the marker
        _redact("UPDATE core_auditentry SET summary = 'Iets anders' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError):  # another column
        _redact("UPDATE core_auditentry SET summary = %s, action = 'y' WHERE id = %s", [REDACTED, entry.pk])
    with pytest.raises(DatabaseError):  # still no DELETE
        _redact("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    _redact("UPDATE core_auditentry SET summary = %s, changes = %s::jsonb WHERE id = %s",
            [REDACTED, json.dumps({"name": REDACTED}), entry.pk])
    entry.refresh_from_db()
    assert entry.summary == REDACTED and entry.changes == {"name": REDACTED} and entry.action == "x.changed"
