"""Goals, their actions and their review at a measurement."""

from django.db import transaction
from django.utils.translation import gettext as _

from wijkwerken.core.audit import audit_log
from wijkwerken.core.dates import today as get_today
from workers.models import Worker

from ..models import ActionOwner, ActionStatus, Goal, GoalAction, GoalProgress, GoalReview, GoalStatus, Measurement
from .common import error, require_current_coach

# A review that closes the goal.
CLOSING_PROGRESS = {GoalProgress.ACHIEVED: GoalStatus.ACHIEVED, GoalProgress.STOPPED: GoalStatus.STOPPED}


def _check_competence(worker, competence) -> None:
    if competence is not None and competence.framework.organiser_id != worker.organiser_id:
        raise error(_("Choose a competence of your organisation's framework."), "foreign_competence", "competence")


def goal_create(*, worker: Worker, title: str, competence=None, actor) -> Goal:
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        require_current_coach(actor, worker)
        _check_competence(worker, competence)
        goal = Goal(
            organiser_id=worker.organiser_id, worker=worker, title=(title or "").strip(), competence=competence,
            created_by=actor,
        )
        goal.full_clean()
        goal.save()
        audit_log(
            actor=actor, action="coaching.goal_create", obj=goal, organiser=worker.organiser,
            summary=_("Goal set for %(worker)s") % {"worker": worker}, changes={"worker": worker.pk},
        )
    return goal


def goal_set_status(*, goal: Goal, status: str, actor) -> Goal:
    with transaction.atomic():
        goal = Goal.objects.select_for_update(of=("self",)).select_related("worker__organiser").get(pk=goal.pk)
        require_current_coach(actor, goal.worker)
        if status not in GoalStatus.values or not goal.can_change_to(status):
            raise error(_("This goal cannot get that status."), "invalid_transition", "status")
        old = goal.status
        goal.status = status
        goal.closed_on = None if status == GoalStatus.OPEN else get_today()
        goal.save(update_fields=["status", "closed_on"])
        audit_log(
            actor=actor, action="coaching.goal_status", obj=goal, organiser=goal.worker.organiser,
            summary=_("Goal status changed"), changes={"status": [old, status]},
        )
    return goal


def goal_action_add(*, worker: Worker, description: str, owner: str, due_on, goal=None, note=None, actor) -> GoalAction:
    """An action towards a goal, or agreed in a note. Owned by the worker or the coach, with a due date."""
    require_current_coach(actor, worker)
    if owner not in ActionOwner.values:
        raise error(_("Choose who does this action."), "invalid_owner", "owner")
    if goal is not None and goal.worker_id != worker.pk:
        raise error(_("Choose one of this worker's goals."), "foreign_goal", "goal")
    if goal is not None and goal.status != GoalStatus.OPEN:
        raise error(_("This goal is closed; reopen it first."), "goal_closed", "goal")
    with transaction.atomic():
        action = GoalAction(
            organiser_id=worker.organiser_id, worker=worker, goal=goal, note=note,
            description=(description or "").strip(), owner=owner, due_on=due_on, created_by=actor,
        )
        action.full_clean()
        action.save()
        audit_log(
            actor=actor, action="coaching.action_add", obj=action, organiser=worker.organiser,
            summary=_("Action agreed with %(worker)s, by %(date)s")
            % {"worker": worker, "date": due_on.strftime("%d/%m/%Y")},
            changes={"worker": worker.pk, "owner": owner},
        )
    return action


def goal_action_set_status(*, action: GoalAction, status: str, actor) -> GoalAction:
    """The coach closes any action; the worker marks their own action done."""
    with transaction.atomic():
        action = (GoalAction.objects.select_for_update(of=("self",)).select_related("worker__organiser")
                  .get(pk=action.pk))
        own = action.worker.user_id == actor.pk
        if own:
            if action.owner != ActionOwner.WORKER or status != ActionStatus.DONE:
                raise error(_("Only your own actions can be marked done."), "not_your_action")
        else:
            require_current_coach(actor, action.worker)
        if status not in ActionStatus.values or not action.can_change_to(status):
            raise error(_("This action is already closed."), "invalid_transition", "status")
        old = action.status
        action.status = status
        action.done_on = get_today()
        action.save(update_fields=["status", "done_on"])
        audit_log(
            actor=actor, action="coaching.action_status", obj=action, organiser=action.worker.organiser,
            summary=_("Action marked %(status)s") % {"status": action.get_status_display()},
            changes={"status": [old, status]},
        )
    return action


def goal_review(*, goal: Goal, measurement: Measurement, progress: str, comment: str = "", actor) -> GoalReview:
    """Review a goal at a measurement; "achieved" or "stopped" closes the goal."""
    if progress not in GoalProgress.values:
        raise error(_("Choose how the goal is going."), "invalid_progress", "progress")
    with transaction.atomic():
        goal = Goal.objects.select_for_update(of=("self",)).select_related("worker__organiser").get(pk=goal.pk)
        require_current_coach(actor, goal.worker)
        if measurement.worker_id != goal.worker_id:
            raise error(_("This measurement is of another worker."), "foreign_measurement")
        if GoalReview.objects.filter(goal=goal, measurement=measurement).exists():
            raise error(_("This goal was already reviewed at this measurement."), "already_reviewed")
        review = GoalReview(
            goal=goal, measurement=measurement, progress=progress, comment=(comment or "").strip(), reviewed_by=actor
        )
        review.full_clean()
        review.save()
        closing = CLOSING_PROGRESS.get(GoalProgress(progress))
        changes = {"progress": progress}
        if closing and goal.status == GoalStatus.OPEN:
            goal.status = closing
            goal.closed_on = measurement.taken_on
            goal.save(update_fields=["status", "closed_on"])
            changes["status"] = [GoalStatus.OPEN.value, closing.value]
        audit_log(
            actor=actor, action="coaching.goal_review", obj=goal, organiser=goal.worker.organiser,
            summary=_("Goal reviewed at the measurement of %(date)s: %(progress)s")
            % {"date": measurement.taken_on.strftime("%d/%m/%Y"), "progress": review.get_progress_display()},
            changes=changes,
        )
    return review
