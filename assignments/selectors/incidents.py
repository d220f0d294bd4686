"""Reads on incidents and no-shows, always starting from what the user may see."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from wijkwerken.core.dates import is_working_day, today

from ..models.incidents import Incident, NoShow, NoShowKind
from .placements import scoped_to_participants


def incidents_for(user) -> QuerySet:
    return scoped_to_participants(Incident.objects.all(), user).select_related(
        "worker", "client", "assignment__activity", "reported_by", "declared_by")


def no_shows_for(user) -> QuerySet:
    return scoped_to_participants(NoShow.objects.all(), user).select_related(
        "worker", "client", "assignment__activity", "reported_by")


@dataclass(frozen=True)
class DeclarationDue:
    incident: Incident
    working_days_left: int | None  # None once the deadline has passed

    @property
    def overdue(self) -> bool:
        return self.incident.declaration_deadline < today()


def accidents_to_declare(user) -> list[DeclarationDue]:
    """Accidents the organiser still has to declare to the insurer, the nearest deadline first (the bemiddelaar's
    start page)."""
    now = today()
    return [DeclarationDue(incident=incident,
                           working_days_left=_working_days_through(now, incident.declaration_deadline))
            for incident in incidents_for(user).to_declare()]


def _working_days_through(start: datetime.date, end: datetime.date) -> int | None:
    """The working days from `start` to `end`, both included; None when `end` has passed."""
    if end < start:
        return None
    days = (start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1))
    return sum(1 for day in days if is_working_day(day))


@dataclass(frozen=True)
class AbsenceCounts:
    worker_absent: int
    client_cancelled: int
    incidents: int


def absence_counts(*, worker=None, client=None) -> AbsenceCounts:
    """The no-shows and incidents in one worker's or one client's history (the caller scoped the person)."""
    person = {"worker": worker} if worker is not None else {"client": client}
    counts = NoShow.objects.filter(**person).aggregate(
        worker_absent=Count("id", filter=Q(kind=NoShowKind.WORKER_ABSENT)),
        client_cancelled=Count("id", filter=Q(kind=NoShowKind.CLIENT_CANCELLED)))
    return AbsenceCounts(incidents=Incident.objects.filter(**person).count(), **counts)


def absence_history(*, worker=None, client=None) -> dict:
    """The counts and the latest no-shows and incidents of one worker or client, for their page."""
    person = {"worker": worker} if worker is not None else {"client": client}
    return {
        "absences": absence_counts(**person),
        "recent_no_shows": NoShow.objects.filter(**person).select_related("assignment__activity")[:5],
        "recent_incidents": Incident.objects.filter(**person).select_related("assignment__activity")[:5],
    }
