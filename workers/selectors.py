"""Reads on workers. Everything that serves a user starts from what that user may see."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today as get_today
from wijkwerken.core.disclosure import persons_counts
from wijkwerken.core.models import Municipality, Organiser
from wijkwerken.core.rules import rules_for
from wijkwerken.core.selectors import scope_to_user

from .models import (
    FollowUp,
    InterimWork,
    OutflowReason,
    Suspension,
    Trajectory,
    TrajectoryStatus,
    Worker,
    WorkerStatus,
)


def _active_trajectories() -> QuerySet:
    return Trajectory.objects.filter(worker=OuterRef("pk"), status=TrajectoryStatus.ACTIVE)


def _suspended_on(on: datetime.date) -> Exists:
    return Exists(Suspension.objects.filter(trajectory__worker=OuterRef("pk"),
                                            trajectory__status=TrajectoryStatus.ACTIVE,
                                            start_date__lte=on, end_date__gte=on))


def _any_trajectory() -> Exists:
    return Exists(Trajectory.objects.filter(worker=OuterRef("pk")))


def with_status(queryset: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    """Annotate `worker_status`, `active_start`, `active_end` and `active_trajectory_id` (filterable)."""
    on = on or get_today()
    active = _active_trajectories()
    return queryset.annotate(
        active_trajectory_id=Subquery(active.values("pk")[:1]),
        active_start=Subquery(active.values("start_date")[:1]),
        active_end=Subquery(active.values("end_date")[:1]),
        has_trajectory=_any_trajectory(),
        is_suspended=_suspended_on(on),
    ).annotate(
        worker_status=Case(
            When(is_suspended=True, then=Value(WorkerStatus.SUSPENDED)),
            When(active_end__isnull=False, then=Value(WorkerStatus.ACTIVE)),
            When(has_trajectory=True, then=Value(WorkerStatus.ENDED)),
            default=Value(WorkerStatus.NEW),
            output_field=CharField(),
        )
    )


def status_condition(status: str, *, on: datetime.date | None = None) -> Q:
    """Workers of `status` as a condition on their trajectories (what `with_status` computes per row), so a list
    filtered on status is a semi-join the database plans once, not a subquery per worker."""
    on = on or get_today()
    active, suspended, any_trajectory = Exists(_active_trajectories()), _suspended_on(on), _any_trajectory()
    return {
        WorkerStatus.SUSPENDED: Q(suspended),
        WorkerStatus.ACTIVE: Q(active) & ~Q(suspended),
        WorkerStatus.ENDED: Q(any_trajectory) & ~Q(active),
        WorkerStatus.NEW: ~Q(any_trajectory),
    }[status]


def count_of(queryset: QuerySet) -> Subquery:
    """`COUNT(*)` of `queryset` as a scalar subquery, so several counts come back in one query."""
    return Subquery(
        queryset.order_by().annotate(n=Func(Value(1), function="COUNT", output_field=IntegerField())).values("n"),
        output_field=IntegerField(),
    )


def status_counts(workers: QuerySet, *, anchor: QuerySet, on: datetime.date | None = None) -> dict[str, int]:
    """The number of `workers` per status, in one query: per status a count of the workers that meet
    `status_condition` (the status filter's own semi- and anti-joins, index-only on (organiser, id) and the
    trajectories' worker index), instead of the `with_status` subqueries for every worker. `anchor` is a queryset
    of exactly one row (the user's organiser or municipality) that carries the counts."""
    on = on or get_today()
    counts = {status: count_of(workers.filter(status_condition(status, on=on))) for status in WorkerStatus.values}
    row = anchor.values(**{f"status_{status}": count for status, count in counts.items()}).get()
    return {status: row[f"status_{status}"] for status in counts}


def worker_status_counts(user, *, on: datetime.date | None = None) -> dict[str, int]:
    """The number of workers the user sees, per status."""
    return status_counts(workers_visible_to(user), anchor=Organiser.objects.filter(pk=user.organiser_id), on=on)


def workers_visible_to(user) -> QuerySet:
    """The organiser's staff see the organiser's workers; municipal staff and others see none (404)."""
    return scope_to_user(Worker.objects.all(), user)


def worker_list(user) -> QuerySet:
    return with_status(workers_visible_to(user).select_related("municipality")).order_by(
        "last_name", "first_name", "pk"
    )


def worker_detail(user, pk) -> Worker:
    return get_object_or_404(
        with_status(workers_visible_to(user).select_related("municipality", "bemiddelaar", "coach", "user")),
        pk=pk,
    )


def trajectory_of(user, pk) -> Trajectory:
    return get_object_or_404(scope_to_user(Trajectory.objects.select_related("worker__municipality"), user), pk=pk)


def follow_up_of(user, pk) -> FollowUp:
    return get_object_or_404(
        scope_to_user(
            FollowUp.objects.select_related("trajectory__worker"),
            user,
            organiser_field="trajectory__organiser",
        ),
        pk=pk,
    )


def worker_of_user(user) -> Worker | None:
    """The worker record behind a wijk-werker login."""
    if not (user.is_authenticated and user.role == Role.WIJKWERKER):
        return None
    return Worker.objects.filter(user=user, organiser_id=user.organiser_id).select_related("municipality").first()


def trajectory_on(*, worker: Worker, day: datetime.date) -> Trajectory | None:
    """The trajectory that covers `day` (hours may be registered only then), if any."""
    return worker.trajectories.covering(day).first()


def trajectories_ending_soon(user, *, days: int | None = None, on: datetime.date | None = None) -> QuerySet:
    """Active trajectories whose end date falls within `days` (the rules' warning period by default)."""
    on = on or get_today()
    if days is None:
        days = rules_for(organiser=user.organiser, on=on).trajectory_end_warning_days
    return (
        scope_to_user(Trajectory.objects.all(), user)
        .filter(status=TrajectoryStatus.ACTIVE, end_date__lte=on + datetime.timedelta(days=days))
        .select_related("worker__municipality", "worker__bemiddelaar")
        .order_by("end_date", "pk")
    )


def evaluations_due(user, *, days: int = 14, on: datetime.date | None = None) -> QuerySet:
    on = on or get_today()
    return (
        scope_to_user(Trajectory.objects.all(), user)
        .filter(status=TrajectoryStatus.ACTIVE, evaluation_due_on__lte=on + datetime.timedelta(days=days))
        .select_related("worker")
        .order_by("evaluation_due_on")
    )


def follow_ups_due(user, *, days: int = 14, on: datetime.date | None = None) -> QuerySet:
    on = on or get_today()
    return (
        scope_to_user(FollowUp.objects.all(), user, organiser_field="trajectory__organiser")
        .filter(done_on__isnull=True, due_on__lte=on + datetime.timedelta(days=days))
        .select_related("trajectory__worker")
        .order_by("due_on")
    )


@dataclass(frozen=True)
class InterimWarning:
    window_start: datetime.date
    window_end: datetime.date
    days: int
    max_days: int
    period_days: int


def interim_warning(worker: Worker) -> InterimWarning | None:
    """The latest rolling period with more interim days than the rules allow (10 in 28 by default)."""
    days = set()
    for start, end in InterimWork.objects.filter(worker=worker).values_list("start_date", "end_date"):
        days.update(start + datetime.timedelta(days=i) for i in range((end - start).days + 1))
    for window_end in sorted(days, reverse=True):
        rules = rules_for(municipality=worker.municipality, on=window_end)
        window_start = window_end - datetime.timedelta(days=rules.interim_period_days - 1)
        count = sum(1 for day in days if window_start <= day <= window_end)
        if count > rules.interim_max_days:
            return InterimWarning(window_start, window_end, count, rules.interim_max_days, rules.interim_period_days)
    return None


@dataclass(frozen=True)
class TimelineEvent:
    day: datetime.date
    kind: str
    label: str
    detail: str = ""


def trajectory_timeline(trajectory: Trajectory) -> list[TimelineEvent]:
    """The trajectory's events in date order, for the timeline on the worker page."""
    events = [TimelineEvent(trajectory.start_date, "start", _("Start"))]
    for suspension in trajectory.suspensions.all():
        events.append(
            TimelineEvent(
                suspension.start_date,
                "suspension",
                _("Suspended until %(date)s") % {"date": suspension.end_date.strftime("%d/%m/%Y")},
                suspension.reason,
            )
        )
    for extension in trajectory.extensions.all():
        events.append(
            TimelineEvent(
                extension.created_at.date(),
                "extension",
                _("Extended until %(date)s") % {"date": extension.new_end_date.strftime("%d/%m/%Y")},
                extension.reason,
            )
        )
    for evaluation in trajectory.evaluations.all():
        events.append(TimelineEvent(evaluation.evaluated_on, "evaluation", _("Evaluation"), evaluation.note))
    if trajectory.is_active:
        events.append(TimelineEvent(trajectory.evaluation_due_on, "planned", _("Next evaluation")))
        events.append(TimelineEvent(trajectory.end_date, "planned", _("Planned end")))
    else:
        events.append(
            TimelineEvent(
                trajectory.ended_on,
                "end",
                _("End: %(reason)s") % {"reason": trajectory.get_outflow_reason_display()},
                trajectory.end_note,
            )
        )
        for follow_up in trajectory.follow_ups.all():
            if follow_up.done_on:
                events.append(
                    TimelineEvent(follow_up.done_on, "follow_up", str(follow_up), follow_up.get_situation_display())
                )
            else:
                events.append(TimelineEvent(follow_up.due_on, "planned", str(follow_up)))
    return sorted(events, key=lambda e: (e.day, e.kind != "start"))


def trajectory_progress(trajectory: Trajectory, *, on: datetime.date | None = None) -> dict:
    """Days gone and left, for the progress bar."""
    on = on or get_today()
    # An open-ended (ex-PWA) trajectory is measured against its nominal end date.
    last = trajectory.end_date if trajectory.is_open_ended else trajectory.last_day
    total = (last - trajectory.start_date).days + 1
    done = min(max((on - trajectory.start_date).days + 1, 0), total)
    return {
        "total": total,
        "done": done,
        "left": max((last - on).days, 0),
        "percent": round(100 * done / total) if total else 100,
    }


def municipality_statistics(user, *, on: datetime.date | None = None) -> dict:
    """Counts without personal data, for municipal staff: their one municipality."""
    on = on or get_today()
    if not (user.is_authenticated and user.role == Role.GEMEENTE and user.municipality_id):
        return {}
    by_status = status_counts(
        Worker.objects.filter(organiser_id=user.organiser_id, municipality_id=user.municipality_id),
        anchor=Municipality.objects.filter(pk=user.municipality_id),
        on=on,
    )
    ended = Trajectory.objects.filter(
        organiser_id=user.organiser_id,
        worker__municipality_id=user.municipality_id,
        status=TrajectoryStatus.ENDED,
        ended_on__year=on.year,
    )
    outflow = dict(ended.values_list("outflow_reason").annotate(n=Count("pk")).values_list("outflow_reason", "n"))
    # Fewer than 5 persons shows as "< 5" to municipal staff (wijkwerken.core.disclosure), as in their reports.
    statuses = persons_counts([by_status.get(value, 0) for value, _label in WorkerStatus.choices], mask=True)
    reasons = persons_counts([outflow.get(value, 0) for value, _label in OutflowReason.choices], mask=True)
    return {
        "status_counts": list(zip((label for _value, label in WorkerStatus.choices), statuses, strict=True)),
        "outflow_counts": list(zip((label for _value, label in OutflowReason.choices), reasons, strict=True))
        if outflow else [],
        "year": on.year,
    }


def worker_url(worker_id) -> str:
    """The staff page of a worker, for links in notifications."""
    return reverse("workers:worker_detail", args=[worker_id])
