"""Who may open which worker's coaching file. The one place that decides it; every view and service asks here.

- the current coach (`Worker.coach`, a werkcoach of the organiser): reads and writes;
- a former coach (a closed coaching period, or the author of a note about the worker): reads, read-only;
- a beheerder with an open grant for that worker: reads the notes, read-only;
- nobody else: the file does not exist for them (404). Bemiddelaars see only the shared summary.
"""

import enum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from wijkwerken.accounts.models import Role
from workers.models import Worker

from ..models import CoachingNote, CoachPeriod, NoteAccessGrant


class Relation(enum.Enum):
    CURRENT = "current"
    FORMER = "former"
    GRANTED = "granted"


def _active_staff(user, *roles) -> bool:
    return bool(user.is_authenticated and user.is_active and user.organiser_id and user.role in roles)


def coach_relation(user, worker: Worker) -> Relation | None:
    if worker.organiser_id != getattr(user, "organiser_id", None):
        return None
    if _active_staff(user, Role.WERKCOACH):
        if worker.coach_id == user.pk:
            return Relation.CURRENT
        former = (
            CoachPeriod.objects.filter(worker=worker, coach=user).exists()
            or CoachingNote.objects.filter(worker=worker, author=user).exists()
        )
        return Relation.FORMER if former else None
    if _active_staff(user, Role.BEHEERDER):
        granted = NoteAccessGrant.objects.filter(worker=worker, user=user, revoked_at__isnull=True).exists()
        return Relation.GRANTED if granted else None
    return None


def is_current_coach(user, worker: Worker) -> bool:
    return coach_relation(user, worker) == Relation.CURRENT


def file_workers(user) -> QuerySet:
    """The workers whose coaching file `user` may open (current, former, granted)."""
    if _active_staff(user, Role.WERKCOACH):
        return Worker.objects.filter(organiser_id=user.organiser_id).filter(
            Q(coach=user)
            | Exists(CoachPeriod.objects.filter(worker=OuterRef("pk"), coach=user))
            | Exists(CoachingNote.objects.filter(worker=OuterRef("pk"), author=user))
        )
    if _active_staff(user, Role.BEHEERDER):
        return Worker.objects.filter(organiser_id=user.organiser_id).filter(
            Exists(NoteAccessGrant.objects.filter(worker=OuterRef("pk"), user=user, revoked_at__isnull=True))
        )
    return Worker.objects.none()


def caseload_workers(user) -> QuerySet:
    """The werkcoach's current caseload."""
    if not _active_staff(user, Role.WERKCOACH):
        return Worker.objects.none()
    return Worker.objects.filter(organiser_id=user.organiser_id, coach=user)


def file_worker(user, pk) -> tuple[Worker, Relation]:
    """The worker behind a coaching-file URL, with the user's relation to them; someone else's is a 404."""
    worker = get_object_or_404(file_workers(user).select_related("municipality", "coach", "user"), pk=pk)
    return worker, coach_relation(user, worker)


def readable_notes(user) -> QuerySet:
    """The notes whose text `user` may read: those of the workers in their file scope."""
    return CoachingNote.objects.filter(worker__in=file_workers(user))

