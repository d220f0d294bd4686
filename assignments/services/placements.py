"""Writes on assignments (wijk-werkplaatsen): assign a worker to a request, change, pause, end, hand over."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role
from wijkwerken.core.audit import audit_log, audit_log_many, diff_fields
from wijkwerken.core.errors import service_error
from wijkwerken.core.notifications import notifications_send
from workers.models import Worker
from workers.selectors import trajectory_on

from ..models import Assignment, AssignmentSchedule, AssignmentStatus, HelpRequest, RequestStatus, WorkerExclusion
from ..selectors.clients import on_behalf_of

SCHEDULE_FIELDS = ("schedule", "weekdays", "time_from", "time_until", "hours_per_week", "start_date", "end_date")



def _check_worker_may_do(*, worker: Worker, help_request: HelpRequest, start_date, end_date, exclude_assignment=None):
    """The worker's trajectory covers the whole period, and ex-PWA-only work goes to ex-PWA workers only."""
    if worker.organiser_id != help_request.organiser_id:
        raise service_error(_("This wijk-werker belongs to another organiser."), "other_organiser")
    trajectory = trajectory_on(worker=worker, day=start_date)
    if trajectory is None:
        raise service_error(_("%(worker)s has no trajectory on %(date)s.")
                     % {"worker": worker, "date": start_date.strftime("%d/%m/%Y")}, "no_trajectory", "start_date")
    trajectory_end = trajectory.last_day
    if end_date > trajectory_end:
        raise service_error(_("The trajectory of %(worker)s ends on %(date)s: the assignment cannot last longer.")
                     % {"worker": worker, "date": trajectory_end.strftime("%d/%m/%Y")}, "past_trajectory",
                     "end_date")
    if help_request.activity.ex_pwa_only and not worker.ex_pwa:
        raise service_error(_("Only ex-PWA wijk-werkers may do this activity."), "ex_pwa_only")
    if WorkerExclusion.objects.filter(worker=worker, client_id=help_request.client_id).exists():
        raise service_error(_("%(worker)s may not be matched with this client (exclusion).") % {"worker": worker},
                     "excluded")


def _notify_assigned(assignment: Assignment, text_worker: str, text_client: str, key: str) -> None:
    items = []
    if assignment.worker.user_id:
        items.append((assignment.worker.user, f"{key}:{assignment.pk}", text_worker,
                      reverse("assignments:my_week")))
    for contact in assignment.client.contacts.select_related("user"):
        items.append((contact.user, f"{key}:{assignment.pk}", text_client, reverse("assignments:my_hours")))
    notifications_send(items=items, subject=_("Wijk-werken: news about your assignment"))


def assignment_create(
    *, help_request: HelpRequest, worker: Worker, actor, start_date: datetime.date | None = None,
    end_date: datetime.date | None = None, schedule: str | None = None, weekdays=None,
    time_from: datetime.time | None = None, time_until: datetime.time | None = None,
    hours_per_week: Decimal | None = None, handed_over_from: Assignment | None = None,
) -> Assignment:
    """Assign `worker` to `request`. The schedule defaults to the request's; the request becomes "toegewezen".

    A request can have several workers (schools and vzw's often take more), so assigning again adds one.
    """
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().select_related("activity", "client").get(
            pk=help_request.pk)
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        if help_request.status not in (RequestStatus.NEW, RequestStatus.IN_PROGRESS, RequestStatus.ASSIGNED):
            raise service_error(_("This request is %(status)s: it cannot be assigned.")
                         % {"status": help_request.get_status_display()}, "request_closed")
        if Assignment.objects.open().filter(request=help_request, worker=worker).exists():
            raise service_error(_("%(worker)s is already assigned to this request.") % {"worker": worker},
                         "already_assigned")
        start_date = start_date or help_request.start_date
        end_date = end_date or help_request.end_date
        _check_worker_may_do(worker=worker, help_request=help_request, start_date=start_date, end_date=end_date)
        assignment = Assignment(
            organiser=help_request.organiser, request=help_request, worker=worker, client=help_request.client,
            activity=help_request.activity, municipality=help_request.municipality,
            schedule=schedule or (AssignmentSchedule.ONCE if help_request.schedule == "once"
                                  else AssignmentSchedule.WEEKLY),
            weekdays=list(weekdays if weekdays is not None else help_request.weekdays or []),
            time_from=time_from or help_request.time_from, time_until=time_until or help_request.time_until,
            hours_per_week=hours_per_week if hours_per_week is not None else help_request.hours_per_week,
            start_date=start_date, end_date=end_date, handed_over_from=handed_over_from, created_by=actor,
        )
        assignment.full_clean()
        assignment.save()
        if help_request.status != RequestStatus.ASSIGNED:
            old = help_request.status
            help_request.status = RequestStatus.ASSIGNED
            help_request.save(update_fields=["status", "updated_at"])
            audit_log(actor=actor, obj=help_request, action="request.toegewezen",
                      summary=_("Assigned to %(worker)s") % {"worker": worker},
                      changes={"status": [old, RequestStatus.ASSIGNED]})
        audit_log(actor=actor, obj=assignment, action="assignment.create",
                  summary=_("%(worker)s assigned to %(client)s for %(activity)s")
                  % {"worker": worker, "client": help_request.client, "activity": help_request.activity})
        period = f"{start_date:%d/%m/%Y} – {end_date:%d/%m/%Y}"
        _notify_assigned(
            assignment,
            _("New assignment: %(activity)s for %(client)s (%(period)s).")
            % {"activity": help_request.activity, "client": help_request.client, "period": period},
            _("%(worker)s will help you with %(activity)s (%(period)s).")
            % {"worker": worker.first_name, "activity": help_request.activity, "period": period},
            "assignment-new",
        )
    return assignment


def assignment_update(*, assignment: Assignment, actor, **data) -> Assignment:
    """Change the schedule or period; the end never goes past the worker's trajectory."""
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().select_related("request__activity", "worker").get(
            pk=assignment.pk)
        if not assignment.is_open:
            raise service_error(_("An ended assignment cannot be changed."), "assignment_ended")
        old = {name: getattr(assignment, name) for name in SCHEDULE_FIELDS}
        for name, value in data.items():
            if name not in SCHEDULE_FIELDS:
                raise TypeError(f"assignment_update() got an unexpected field {name!r}")
            setattr(assignment, name, value)
        _check_worker_may_do(worker=assignment.worker, help_request=assignment.request,
                             start_date=assignment.start_date,
                             end_date=assignment.end_date)
        assignment.full_clean()
        changes = diff_fields(assignment, old, SCHEDULE_FIELDS)
        if changes:
            assignment.save(update_fields=list(changes))
            audit_log(actor=actor, obj=assignment, action="assignment.update", summary=_("Assignment changed"),
                      changes=changes)
    return assignment


def assignment_instructions_update(*, assignment: Assignment, instructions: str, actor) -> Assignment:
    """What the wijk-werker should bring or know, kept up by the client or staff; the worker is told."""
    with transaction.atomic():
        assignment = (Assignment.objects.select_for_update(of=("self",))
                      .select_related("worker__user", "client", "activity").get(pk=assignment.pk))
        if not assignment.is_open:
            raise service_error(_("An ended assignment cannot be changed."), "assignment_ended")
        if actor.role == Role.GEBRUIKER and not assignment.client.contacts.filter(user=actor).exists():
            raise service_error(_("This assignment is not yours."), "not_participant")
        old = assignment.instructions
        assignment.instructions = instructions.strip()
        if assignment.instructions == old:
            return assignment
        assignment.full_clean()
        assignment.save(update_fields=["instructions"])
        audit_log(actor=actor, on_behalf_of=on_behalf_of(assignment.client, actor), obj=assignment,
                  action="assignment.instructions", summary=_("Instructions for the wijk-werker changed"),
                  changes={"instructions": [old, assignment.instructions]})
        notifications_send(items=[(
            assignment.worker.user, f"assignment-instructions:{assignment.pk}:{timezone.now():%Y%m%d%H%M%S}",
            _("New instructions for your job %(activity)s at %(client)s.") % {
                "activity": assignment.activity, "client": assignment.client},
            reverse("assignments:my_assignment", args=[assignment.pk]))],
            subject=_("Wijk-werken: new instructions for your job"))
    return assignment


def _change_status(*, assignment: Assignment, status: str, actor, summary: str, reason: str = "") -> Assignment:
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if not assignment.can_change_to(status):
            raise service_error(_("An assignment that is %(old)s cannot become %(new)s.")
                         % {"old": assignment.get_status_display(), "new": AssignmentStatus(status).label},
                         "invalid_transition")
        old = assignment.status
        assignment.status = status
        fields = ["status"]
        if status == AssignmentStatus.ENDED:
            if not reason.strip():
                raise service_error(_("Say why the assignment ends."), "no_reason", "end_reason")
            assignment.end_reason = reason.strip()[:300]
            fields.append("end_reason")
        assignment.save(update_fields=fields)
        audit_log(actor=actor, obj=assignment, action=f"assignment.{status}",
                  summary=summary + (f" — {reason}" if reason else ""), changes={"status": [old, status]})
    return assignment


def assignment_pause(*, assignment: Assignment, actor, reason: str = "") -> Assignment:
    return _change_status(assignment=assignment, status=AssignmentStatus.PAUSED, actor=actor,
                          summary=_("Assignment paused"), reason=reason)


def assignment_resume(*, assignment: Assignment, actor) -> Assignment:
    return _change_status(assignment=assignment, status=AssignmentStatus.ACTIVE, actor=actor,
                          summary=_("Assignment resumed"))


def assignment_end(*, assignment: Assignment, reason: str, actor) -> Assignment:
    return _change_status(assignment=assignment, status=AssignmentStatus.ENDED, actor=actor,
                          summary=_("Assignment ended"), reason=reason)


def assignment_hand_over(*, assignment: Assignment, worker: Worker, start_date: datetime.date, actor) -> Assignment:
    """Another worker takes over from `start_date`: the old assignment ends, a new one continues the schedule."""
    with transaction.atomic():
        if worker.pk == assignment.worker_id:
            raise service_error(_("Choose another wijk-werker."), "same_worker", "worker")
        new = assignment_create(
            help_request=assignment.request, worker=worker, actor=actor, start_date=start_date,
            end_date=assignment.end_date, schedule=assignment.schedule, weekdays=assignment.weekdays,
            time_from=assignment.time_from, time_until=assignment.time_until,
            hours_per_week=assignment.hours_per_week, handed_over_from=assignment,
        )
        assignment_end(assignment=assignment, actor=actor,
                       reason=_("Handed over to %(worker)s from %(date)s")
                       % {"worker": worker, "date": start_date.strftime("%d/%m/%Y")})
    return new


def assignments_end_after_trajectory(*, on: datetime.date) -> int:
    """Daily: open assignments whose worker has no trajectory any more end, in one UPDATE. Safe to run twice.

    Covers trajectories that ended (by the clock or by staff) and assignments past their own last day.
    """
    from workers.models import Trajectory, TrajectoryStatus

    # The same rule as everywhere (`TrajectoryQuerySet.covering`): an active ex-PWA trajectory has no end.
    covered = Trajectory.objects.covering(on).filter(status=TrajectoryStatus.ACTIVE)
    open_assignments = Assignment.objects.open().filter(start_date__lte=on)
    with transaction.atomic():
        ended = list(
            open_assignments.select_for_update()
            .filter(Q(end_date__lt=on) | ~Q(worker__in=covered.values("worker")))
            .values("pk", "status", "end_date", "organiser_id")
        )
        if not ended:
            return 0
        audit_log_many(
            actor=None, action="assignment.beeindigd", model=Assignment,
            rows=[(row["pk"], row["organiser_id"], _("Assignment ended") + " — " + (
                _("the last day has passed") if row["end_date"] < on else _("the trajectory has ended")),
                {"status": [row["status"], AssignmentStatus.ENDED]}) for row in ended],
        )
        Assignment.objects.filter(pk__in=[row["pk"] for row in ended]).update(
            status=AssignmentStatus.ENDED, end_reason=_("Ended automatically: last day passed or trajectory ended"))
    return len(ended)
