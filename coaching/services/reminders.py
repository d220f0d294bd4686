"""The daily coaching job (Celery beat, `tasks.run_reminders`): keep the coaches' history in step with the worker
form, and remind coaches (and workers, for their own actions) of what falls due.

Set-based and idempotent: the caseload of every coach is computed with the same fixed number of queries per batch
of workers as the caseload page, and each reminder has a key per thing and due date, so a second run on the same
day (or a later run for the same due date) sends nothing new. Trajectories ending soon and outcome follow-ups
are already announced to the coach by the workers clock; wellbeing is announced when the check-in is made.
Messages go out by e-mail too, so they name no action, goal or note: the page behind the link shows them.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from workers.models import Worker

from ..models import ActionOwner, ActionStatus, GoalAction
from ..selectors.caseload import AttentionKind, attention_for
from .caseload import coach_periods_sync
from .common import notify, worker_file_url

REMINDED_KINDS = (AttentionKind.MEASUREMENT, AttentionKind.NO_CONTACT, AttentionKind.CLOSING)
BATCH = 500


def caseload_reminders(*, today: datetime.date, worker_ids=None) -> int:
    """What needs the coach's attention, once per thing and due date; only `worker_ids` when given (a trajectory
    that just ended: the coach is asked for the final measurement and summary at once)."""
    sent = 0
    workers = Worker.objects.filter(coach__isnull=False, coach__is_active=True).select_related("coach").order_by("pk")
    if worker_ids is not None:
        workers = workers.filter(pk__in=list(worker_ids))
    last_pk = 0
    while True:
        batch = list(workers.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return sent
        last_pk = batch[-1].pk
        rows = attention_for(batch, on=today)
        sent += notify([
            (row.worker.coach, f"coaching-{item.key}", f"{row.worker}: {item.text}", worker_file_url(row.worker.pk))
            for row in rows.values()
            for item in row.attention
            if item.kind in REMINDED_KINDS
        ])


def actions_remind(*, today: datetime.date) -> int:
    """An action past its date: the coach is told, and the worker too when it is theirs (once per due date)."""
    overdue = GoalAction.objects.filter(status=ActionStatus.OPEN, due_on__lt=today).select_related(
        "worker__coach", "worker__user"
    )
    items = []
    for action in overdue.iterator(chunk_size=1000):
        worker = action.worker
        if worker.coach is not None:
            items.append((
                worker.coach, f"coaching-action:{action.pk}:{action.due_on.isoformat()}",
                _("%(worker)s: an action agreed for %(date)s is not done yet.")
                % {"worker": worker, "date": action.due_on.strftime("%d/%m/%Y")},
                worker_file_url(worker.pk), ("coaching.action_overdue", action.pk),
            ))
        if action.owner == ActionOwner.WORKER and worker.user is not None:
            items.append((
                worker.user, f"coaching-my-action:{action.pk}:{action.due_on.isoformat()}",
                _("Something you agreed to do by %(date)s is not done yet. Look at your page.")
                % {"date": action.due_on.strftime("%d/%m/%Y")},
                reverse("coaching:my_coaching"), ("coaching.action_overdue", action.pk),
            ))
    return notify(items)


def reminders_run(*, today: datetime.date) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        periods = coach_periods_sync(today=today)
        return {
            **periods,
            "caseload": caseload_reminders(today=today),
            "actions": actions_remind(today=today),
        }
