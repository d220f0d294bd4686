"""Trajectory deadlines: what happens by itself as days pass (a trajectory ends on its end date, warnings before
the end, evaluation and follow-up reminders). Run daily by Celery beat (`tasks.run_trajectory_deadlines`).

Every step is set-based (one locked SELECT of the due ids, one UPDATE over them, bulk inserts) and idempotent:
a step marks what it did on the rows themselves, so running it twice on a day changes nothing the second time.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role, User
from wijkwerken.core.models import AuditEntry, Organiser
from wijkwerken.core.notifications import notifications_send
from wijkwerken.core.rules import rules_for
from wijkwerken.core.signals import send_on_commit

from .. import signals
from ..models import FollowUp, OutflowReason, Trajectory, TrajectoryStatus, Worker
from ..selectors import worker_url

# How many days ahead evaluations and outcome follow-ups are announced.
REMINDER_DAYS_AHEAD = getattr(settings, "WORKERS_REMINDER_DAYS_AHEAD", 7)


def _fmt(day):
    return day.strftime("%d/%m/%Y")


def _notify(items) -> int:
    return notifications_send(items=items, subject=_("Wijk-werken: a trajectory needs your attention"))


def _recipients(workers, *, include_worker):
    """Per worker id: its bemiddelaar (else the organiser's bemiddelaars), its coach, its login."""
    fallback = {}
    for user in User.objects.filter(
        role=Role.BEMIDDELAAR, is_active=True, organiser_id__in={w.organiser_id for w in workers}
    ):
        fallback.setdefault(user.organiser_id, []).append(user)
    result = {}
    for worker in workers:
        users = [worker.bemiddelaar] if worker.bemiddelaar else list(fallback.get(worker.organiser_id, []))
        users.append(worker.coach)
        if include_worker:
            users.append(worker.user)
        result[worker.pk] = [u for u in users if u is not None]
    return result


def _workers(ids):
    return list(Worker.objects.filter(pk__in=ids).select_related("bemiddelaar", "coach", "user"))


def trajectories_end_due(*, today: datetime.date, trajectory_ids=None) -> int:
    """On its end date a trajectory ends by itself with reason "einde termijn".

    Never the trajectory of an ex-PWA worker: the law gives it no end (it has no latest end date). With
    `trajectory_ids` only those are considered (a trajectory entered with a past end date ends as it is written).
    """
    with transaction.atomic():
        candidates = Trajectory.objects.select_for_update(skip_locked=True).filter(
            status=TrajectoryStatus.ACTIVE, end_date__lte=today, worker__ex_pwa=False
        )
        if trajectory_ids is not None:
            candidates = candidates.filter(pk__in=list(trajectory_ids))
        due = list(candidates.values_list("pk", "end_date", "worker_id", "organiser_id"))
        if not due:
            return 0
        ids = [pk for pk, *_rest in due]
        Trajectory.objects.filter(pk__in=ids, status=TrajectoryStatus.ACTIVE).update(
            status=TrajectoryStatus.ENDED,
            ended_on=F("end_date"),
            outflow_reason=OutflowReason.TERM_ENDED,
        )
        FollowUp.objects.bulk_create(
            [f for pk, end_date, *_rest in due for f in FollowUp.for_ended_trajectory(pk, end_date)],
            ignore_conflicts=True,
        )
        workers = {w.pk: w for w in _workers([worker_id for _pk, _end, worker_id, _org in due])}
        worker_type = ContentType.objects.get_for_model(Worker)
        AuditEntry.objects.bulk_create(
            AuditEntry(
                organiser_id=organiser_id,
                actor=None,
                action="trajectory.end",
                content_type=worker_type,
                object_id=str(worker_id),
                object_repr=str(workers[worker_id])[:200],
                summary=_("Trajectory ended on %(date)s: %(reason)s")
                % {"date": _fmt(end_date), "reason": OutflowReason.TERM_ENDED.label},
                changes={
                    "status": ["active", "ended"],
                    "outflow_reason": OutflowReason.TERM_ENDED.value,
                    "trajectory": pk,
                },
            )
            for pk, end_date, worker_id, organiser_id in due
        )
        send_on_commit(signals.trajectory_ended, sender=Trajectory, trajectory_ids=[pk for pk, *_rest in due],
                       worker_ids=[worker_id for _pk, _end, worker_id, _org in due])
        recipients = _recipients(workers.values(), include_worker=False)
        _notify(
            [
                (
                    user,
                    f"trajectory-ended:{pk}",
                    _("The trajectory of %(worker)s ended on %(date)s (end of term).")
                    % {"worker": workers[worker_id], "date": _fmt(end_date)},
                    worker_url(worker_id),
                )
                for pk, end_date, worker_id, _org in due
                for user in recipients[worker_id]
            ]
        )
    return len(due)


def trajectories_warn_ending(*, today: datetime.date) -> int:
    """Warn bemiddelaar, coach and worker a number of days (from the rules) before the end date (not for ex-PWA
    workers, whose trajectory does not end by itself)."""
    warned = 0
    organiser_ids = (
        Trajectory.objects.filter(status=TrajectoryStatus.ACTIVE, worker__ex_pwa=False)
        .values_list("organiser_id", flat=True).distinct()
    )
    for organiser in Organiser.objects.filter(pk__in=organiser_ids):
        days = rules_for(organiser=organiser, on=today).trajectory_end_warning_days
        with transaction.atomic():
            due = list(
                Trajectory.objects.select_for_update(skip_locked=True)
                .filter(
                    organiser=organiser,
                    status=TrajectoryStatus.ACTIVE,
                    worker__ex_pwa=False,
                    end_date__gt=today,
                    end_date__lte=today + datetime.timedelta(days=days),
                )
                .filter(Q(end_warning_sent_for__isnull=True) | ~Q(end_warning_sent_for=F("end_date")))
                .values_list("pk", "end_date", "worker_id")
            )
            if not due:
                continue
            Trajectory.objects.filter(pk__in=[pk for pk, *_rest in due]).update(end_warning_sent_for=F("end_date"))
            workers = {w.pk: w for w in _workers([worker_id for _pk, _end, worker_id in due])}
            recipients = _recipients(workers.values(), include_worker=True)
            items = []
            for pk, end_date, worker_id in due:
                for user in recipients[worker_id]:
                    if user.pk == workers[worker_id].user_id:
                        text = _("Your wijk-werken trajectory ends on %(date)s.") % {"date": _fmt(end_date)}
                        url = reverse("workers:my_trajectory")
                    else:
                        text = _("The trajectory of %(worker)s ends on %(date)s.") % {
                            "worker": workers[worker_id],
                            "date": _fmt(end_date),
                        }
                        url = worker_url(worker_id)
                    items.append((user, f"trajectory-ending:{pk}:{end_date.isoformat()}", text, url,
                                  ("trajectory.ending", pk)))
            _notify(items)
            warned += len(due)
    return warned


def evaluations_remind(*, today: datetime.date) -> int:
    """Remind the bemiddelaar of an evaluation that is due within the next days (once per due date)."""
    with transaction.atomic():
        due = list(
            Trajectory.objects.select_for_update(skip_locked=True)
            .filter(
                status=TrajectoryStatus.ACTIVE,
                evaluation_due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_AHEAD),
            )
            .filter(Q(evaluation_reminded_for__isnull=True) | ~Q(evaluation_reminded_for=F("evaluation_due_on")))
            .values_list("pk", "evaluation_due_on", "worker_id")
        )
        if not due:
            return 0
        Trajectory.objects.filter(pk__in=[pk for pk, *_rest in due]).update(
            evaluation_reminded_for=F("evaluation_due_on")
        )
        workers = {w.pk: w for w in _workers([worker_id for *_rest, worker_id in due])}
        recipients = _recipients(workers.values(), include_worker=False)
        _notify(
            [
                (
                    user,
                    f"evaluation:{pk}:{due_on.isoformat()}",
                    _("The evaluation of %(worker)s is due on %(date)s.")
                    % {"worker": workers[worker_id], "date": _fmt(due_on)},
                    worker_url(worker_id),
                    ("trajectory.evaluation_due", pk),
                )
                for pk, due_on, worker_id in due
                for user in recipients[worker_id]
            ]
        )
    return len(due)


def follow_ups_remind(*, today: datetime.date) -> int:
    """Remind bemiddelaar and coach to follow up the outcome 3 and 6 months after the end (once each)."""
    with transaction.atomic():
        due = list(
            FollowUp.objects.select_for_update(skip_locked=True)
            .filter(
                done_on__isnull=True,
                reminded_at__isnull=True,
                due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_AHEAD),
            )
            .values_list("pk", "due_on", "months_after", "trajectory__worker_id")
        )
        if not due:
            return 0
        FollowUp.objects.filter(pk__in=[pk for pk, *_rest in due]).update(reminded_at=timezone.now())
        workers = {w.pk: w for w in _workers([worker_id for *_rest, worker_id in due])}
        recipients = _recipients(workers.values(), include_worker=False)
        _notify(
            [
                (
                    user,
                    f"follow-up:{pk}",
                    _("Follow up %(worker)s %(months)s months after the trajectory, by %(date)s.")
                    % {"worker": workers[worker_id], "months": months, "date": _fmt(due_on)},
                    worker_url(worker_id),
                    ("follow_up.due", pk),
                )
                for pk, due_on, months, worker_id in due
                for user in recipients[worker_id]
            ]
        )
    return len(due)


def trajectory_deadlines_run(*, today: datetime.date) -> dict:
    """The daily run: every step in its own transaction, each safe to repeat."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "ended": trajectories_end_due(today=today),
            "warned": trajectories_warn_ending(today=today),
            "evaluations": evaluations_remind(today=today),
            "follow_ups": follow_ups_remind(today=today),
        }
