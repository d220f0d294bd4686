"""Set-up for coaching tests: a worker with a login in a running trajectory, coached by a werkcoach."""

import datetime

from coaching import services
from coaching.models import Rater
from tests.accounts.factories import UserFactory
from tests.workers.factories import WorkerFactory
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today
from workers import services as worker_services


def coached_worker(organiser, municipality, *, bemiddelaar, coach, started_days_ago=60, login=True, **kwargs):
    worker = WorkerFactory(organiser=organiser, municipality=municipality, bemiddelaar=bemiddelaar, **kwargs)
    if login:
        worker.user = UserFactory(role=Role.WIJKWERKER, organiser=organiser, email=f"w{worker.pk}@example.test")
        worker.save(update_fields=["user"])
    worker_services.trajectory_start(
        worker=worker, start_date=today() - datetime.timedelta(days=started_days_ago), actor=bemiddelaar
    )
    if coach is not None:
        services.coach_assign(worker=worker, coach=coach, actor=bemiddelaar)
        worker.refresh_from_db()
    return worker


def note(worker, coach, *, text="Gesprek over stiptheid en de bus.", kind="gesprek", day=None, **kwargs):
    return services.note_create(
        worker=worker, kind=kind, date=day or today(), duration_minutes=30, text=text, actor=coach, **kwargs
    )


def scored_measurement(worker, coach, *, moment="intake", day=None, level=3, self_level=None):
    measurement = services.measurement_start(worker=worker, moment=moment, taken_on=day or today(), actor=coach)
    competences = list(measurement.framework.competences.all())
    services.measurement_score(
        measurement=measurement, rater=Rater.COACH, levels={c.pk: level for c in competences}, actor=coach
    )
    if self_level is not None:
        services.measurement_score(
            measurement=measurement, rater=Rater.SELF, levels={c.pk: self_level for c in competences},
            actor=worker.user,
        )
    return measurement
