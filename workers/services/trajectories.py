"""The trajectory: start, extension, suspension, evaluation, end, follow-up; interim work."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkwerken.core.audit import audit_log, diff_fields
from wijkwerken.core.dates import add_months, today
from wijkwerken.core.rules import rules_for
from wijkwerken.core.signals import send_on_commit

from .. import signals
from ..models import (
    Evaluation,
    Extension,
    FollowUp,
    InterimWork,
    OutflowReason,
    Suspension,
    Trajectory,
    TrajectoryStatus,
    Worker,
)
from .common import ONE_DAY, error, fmt
from .trajectory_deadlines import trajectories_end_due


def _suspended_days(trajectory) -> int:
    return sum(s.days for s in trajectory.suspensions.all())


def _cap_for(*, worker, start_date, suspended_days=0):
    """The latest possible end date: the maximum length plus suspensions, none for ex-PWA workers."""
    if worker.ex_pwa:
        return None
    rules = rules_for(municipality=worker.municipality, on=start_date)
    return add_months(start_date, rules.trajectory_max_months) - ONE_DAY + datetime.timedelta(days=suspended_days)


def apply_cap(trajectory) -> None:
    cap = _cap_for(
        worker=trajectory.worker, start_date=trajectory.start_date, suspended_days=_suspended_days(trajectory)
    )
    if cap is not None and trajectory.end_date > cap:
        raise error(
            _(
                "The trajectory already runs until %(end)s, beyond the maximum of %(cap)s; the ex-PWA status "
                "cannot be removed."
            )
            % {"end": fmt(trajectory.end_date), "cap": fmt(cap)},
            "beyond_cap",
            "ex_pwa",
        )
    trajectory.max_end_date = cap
    trajectory.save(update_fields=["max_end_date"])


def _locked_active(trajectory) -> Trajectory:
    trajectory = Trajectory.objects.select_for_update().select_related("worker__municipality").get(pk=trajectory.pk)
    if not trajectory.is_active:
        raise error(_("This trajectory has already ended."), "not_active")
    return trajectory


def trajectory_start(*, worker: Worker, start_date: datetime.date, actor,
                     end_date: datetime.date | None = None) -> Trajectory:
    """Start a trajectory: planned end and evaluation date follow from the rules valid on the start date.

    A trajectory entered afterwards may come with its current `end_date` when it was already extended (recorded
    as an extension). Its status is right as it is written: one whose end date has passed ends at once with
    "einde termijn", as the daily run would end it.
    """
    with transaction.atomic():
        worker = Worker.objects.select_for_update().select_related("municipality").get(pk=worker.pk)
        if worker.trajectories.active().exists():
            raise error(
                _("This worker already has an active trajectory; end it before starting a new one."),
                "overlapping_trajectory",
                "start_date",
            )
        last_end = worker.trajectories.filter(ended_on__isnull=False).order_by("-ended_on").first()
        if last_end is not None and start_date <= last_end.ended_on:
            raise error(
                _("The previous trajectory ended on %(date)s; a new one starts after that.")
                % {"date": fmt(last_end.ended_on)},
                "overlapping_trajectory",
                "start_date",
            )
        rules = rules_for(municipality=worker.municipality, on=start_date)
        planned_end = add_months(start_date, rules.trajectory_planned_months) - ONE_DAY
        trajectory = Trajectory(
            organiser=worker.organiser,
            worker=worker,
            start_date=start_date,
            planned_end_date=planned_end,
            end_date=planned_end,
            max_end_date=_cap_for(worker=worker, start_date=start_date),
            evaluation_due_on=add_months(start_date, rules.evaluation_interval_months) - ONE_DAY,
        )
        if end_date is not None and end_date != planned_end:
            if end_date < planned_end:
                raise error(
                    _("The end date cannot be before the planned end (%(date)s); end the trajectory instead.")
                    % {"date": fmt(planned_end)},
                    "end_before_planned",
                    "end_date",
                )
            if trajectory.max_end_date is not None and end_date > trajectory.max_end_date:
                raise error(
                    _("A trajectory lasts at most until %(date)s (the maximum length plus suspensions).")
                    % {"date": fmt(trajectory.max_end_date)},
                    "beyond_cap",
                    "end_date",
                )
            trajectory.end_date = end_date
        trajectory.full_clean()
        trajectory.save()
        if trajectory.end_date != planned_end:
            Extension.objects.create(
                trajectory=trajectory, previous_end_date=planned_end, new_end_date=trajectory.end_date,
                reason=_("Already extended when the trajectory was entered"), created_by=actor,
            )
        audit_log(
            actor=actor,
            action="trajectory.start",
            obj=worker,
            organiser=worker.organiser,
            summary=_("Trajectory started on %(start)s, planned until %(end)s")
            % {"start": fmt(start_date), "end": fmt(trajectory.end_date)},
            changes={"trajectory": trajectory.pk, "start_date": start_date, "end_date": trajectory.end_date},
        )
        # Entered afterwards with an end date already past: it ends now, as the daily run would end it.
        if trajectories_end_due(today=today(), trajectory_ids=[trajectory.pk]):
            trajectory.refresh_from_db()
    return trajectory


def trajectory_extend(*, trajectory: Trajectory, new_end_date: datetime.date, reason: str, actor) -> Trajectory:
    """Move the end date later, up to the maximum length (no maximum for ex-PWA workers)."""
    with transaction.atomic():
        trajectory = _locked_active(trajectory)
        previous = trajectory.end_date
        if new_end_date <= previous:
            raise error(
                _("An extension ends after the current end date (%(date)s).") % {"date": fmt(previous)},
                "extension_not_later",
                "new_end_date",
            )
        if trajectory.max_end_date is not None and new_end_date > trajectory.max_end_date:
            raise error(
                _("A trajectory lasts at most until %(date)s (the maximum length plus suspensions).")
                % {"date": fmt(trajectory.max_end_date)},
                "beyond_cap",
                "new_end_date",
            )
        trajectory.end_date = new_end_date
        trajectory.full_clean()
        trajectory.save(update_fields=["end_date"])
        Extension.objects.create(
            trajectory=trajectory,
            previous_end_date=previous,
            new_end_date=new_end_date,
            reason=reason,
            created_by=actor,
        )
        audit_log(
            actor=actor,
            action="trajectory.extend",
            obj=trajectory.worker,
            organiser=trajectory.organiser,
            summary=_("Trajectory extended until %(date)s") % {"date": fmt(new_end_date)},
            changes={"end_date": [previous, new_end_date], "reason": reason},
        )
    return trajectory


def trajectory_suspend(*, trajectory: Trajectory, start_date, end_date, reason: str, actor) -> Suspension:
    """Pause the clock: the end date, the latest end date and a later evaluation move by its length."""
    if end_date < start_date:
        raise error(_("The end of the suspension is before its start."), "end_before_start", "end_date")
    with transaction.atomic():
        trajectory = _locked_active(trajectory)
        if not trajectory.start_date <= start_date <= trajectory.end_date:
            raise error(
                _("A suspension starts within the trajectory (%(start)s – %(end)s).")
                % {"start": fmt(trajectory.start_date), "end": fmt(trajectory.end_date)},
                "outside_trajectory",
                "start_date",
            )
        if trajectory.suspensions.filter(start_date__lte=end_date, end_date__gte=start_date).exists():
            raise error(_("This period overlaps an earlier suspension."), "overlapping_suspension", "start_date")
        suspension = Suspension(
            trajectory=trajectory, start_date=start_date, end_date=end_date, reason=reason, created_by=actor
        )
        suspension.full_clean()
        suspension.save()
        shift = datetime.timedelta(days=suspension.days)
        old = {
            "end_date": trajectory.end_date,
            "max_end_date": trajectory.max_end_date,
            "evaluation_due_on": trajectory.evaluation_due_on,
        }
        trajectory.end_date += shift
        if trajectory.max_end_date is not None:
            trajectory.max_end_date += shift
        if trajectory.evaluation_due_on >= start_date:
            trajectory.evaluation_due_on += shift
        trajectory.full_clean()
        changes = diff_fields(trajectory, old, old)
        trajectory.save(update_fields=list(changes))
        audit_log(
            actor=actor,
            action="trajectory.suspend",
            obj=trajectory.worker,
            organiser=trajectory.organiser,
            summary=_("Trajectory suspended %(start)s – %(end)s; new end date %(new)s")
            % {"start": fmt(start_date), "end": fmt(end_date), "new": fmt(trajectory.end_date)},
            changes={**changes, "reason": reason},
        )
    return suspension


def trajectory_evaluate(*, trajectory: Trajectory, evaluated_on, note: str, actor) -> Evaluation:
    with transaction.atomic():
        trajectory = _locked_active(trajectory)
        if evaluated_on < trajectory.start_date:
            raise error(
                _("An evaluation cannot be before the start of the trajectory."),
                "before_start",
                "evaluated_on",
            )
        rules = rules_for(municipality=trajectory.worker.municipality, on=evaluated_on)
        evaluation = Evaluation.objects.create(
            trajectory=trajectory, evaluated_on=evaluated_on, note=note, created_by=actor
        )
        old_due = trajectory.evaluation_due_on
        trajectory.last_evaluated_on = evaluated_on
        trajectory.evaluation_due_on = add_months(evaluated_on, rules.evaluation_interval_months)
        trajectory.save(update_fields=["last_evaluated_on", "evaluation_due_on"])
        audit_log(
            actor=actor,
            action="trajectory.evaluate",
            obj=trajectory.worker,
            organiser=trajectory.organiser,
            summary=_("Evaluation on %(date)s; next one by %(next)s")
            % {"date": fmt(evaluated_on), "next": fmt(trajectory.evaluation_due_on)},
            changes={"evaluation_due_on": [old_due, trajectory.evaluation_due_on]},
        )
    return evaluation


def trajectory_end(*, trajectory: Trajectory, ended_on, outflow_reason: str, note: str = "", actor) -> Trajectory:
    """End the trajectory with an outflow reason; the outcome is followed up 3 and 6 months later."""
    if outflow_reason not in OutflowReason.values:
        raise error(_("Choose an outflow reason."), "invalid_reason", "outflow_reason")
    with transaction.atomic():
        trajectory = _locked_active(trajectory)
        if not trajectory.can_end():
            raise error(_("This trajectory has already ended."), "not_active")
        if ended_on < trajectory.start_date:
            raise error(
                _("The end date is before the start of the trajectory (%(date)s).")
                % {"date": fmt(trajectory.start_date)},
                "end_before_start",
                "ended_on",
            )
        if ended_on > trajectory.end_date:
            raise error(
                _("The trajectory runs until %(date)s at the latest; extend it first.")
                % {"date": fmt(trajectory.end_date)},
                "after_end_date",
                "ended_on",
            )
        trajectory.status = TrajectoryStatus.ENDED
        trajectory.ended_on = ended_on
        trajectory.outflow_reason = outflow_reason
        trajectory.end_note = note
        trajectory.full_clean()
        trajectory.save(update_fields=["status", "ended_on", "outflow_reason", "end_note"])
        FollowUp.objects.bulk_create(FollowUp.for_ended_trajectory(trajectory.pk, ended_on), ignore_conflicts=True)
        audit_log(
            actor=actor,
            action="trajectory.end",
            obj=trajectory.worker,
            organiser=trajectory.organiser,
            summary=_("Trajectory ended on %(date)s: %(reason)s")
            % {"date": fmt(ended_on), "reason": trajectory.get_outflow_reason_display()},
            changes={"status": ["active", "ended"], "outflow_reason": outflow_reason},
        )
        send_on_commit(signals.trajectory_ended, sender=Trajectory, trajectory_ids=[trajectory.pk],
                       worker_ids=[trajectory.worker_id])
    return trajectory


def follow_up_record(*, follow_up: FollowUp, done_on, situation: str, note: str = "", actor) -> FollowUp:
    if situation not in OutflowReason.values:
        raise error(_("Choose the worker's situation."), "invalid_situation", "situation")
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().select_related("trajectory__worker").get(pk=follow_up.pk)
        if done_on < follow_up.trajectory.ended_on:
            raise error(_("A follow-up comes after the end of the trajectory."), "before_end", "done_on")
        old = {"done_on": follow_up.done_on, "situation": follow_up.situation, "note": follow_up.note}
        follow_up.done_on, follow_up.situation, follow_up.note = done_on, situation, note
        follow_up.full_clean()
        changes = diff_fields(follow_up, old, old)
        if changes:
            follow_up.save(update_fields=list(changes))
            audit_log(
                actor=actor,
                action="follow_up.record",
                obj=follow_up.trajectory.worker,
                organiser=follow_up.trajectory.organiser,
                summary=_("Follow-up after %(months)s months: %(situation)s")
                % {"months": follow_up.months_after, "situation": follow_up.get_situation_display()},
                changes=changes,
            )
    return follow_up


def interim_work_record(*, worker: Worker, start_date, end_date, employer: str, actor) -> InterimWork:
    """Record interim work. The warning for too many days is a read (`selectors.interim_warning`)."""
    if end_date < start_date:
        raise error(_("The end of the period is before its start."), "end_before_start", "end_date")
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        if worker.interim_work.filter(start_date__lte=end_date, end_date__gte=start_date).exists():
            raise error(
                _("This period overlaps interim work that is already recorded."),
                "overlapping_interim",
                "start_date",
            )
        interim = InterimWork(
            worker=worker, start_date=start_date, end_date=end_date, employer=employer, created_by=actor
        )
        interim.full_clean()
        interim.save()
        audit_log(
            actor=actor,
            action="worker.interim_work",
            obj=worker,
            organiser=worker.organiser,
            summary=ngettext("Interim work %(start)s – %(end)s (%(days)s day)",
                             "Interim work %(start)s – %(end)s (%(days)s days)", interim.days)
            % {"start": fmt(start_date), "end": fmt(end_date), "days": interim.days},
        )
    return interim
