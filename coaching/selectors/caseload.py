"""The caseload: per worker what needs the coach's attention first, computed for a whole set of workers with a
fixed number of queries (the coach's caseload page and the daily reminder job use the same code).

What needs attention, most urgent first: wellbeing that is low or dropped, actions past their date, closing an
ended trajectory (final measurement and closing summary), a competence measurement that is due (intake, every N
months, end), a trajectory that ends soon, an outcome follow-up 3 or 6 months after the end, and no contact for a
number of weeks.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wijkwerken.core.dates import add_months
from workers.models import FollowUp, Trajectory, Worker
from workers.selectors import with_status

from ..models import (
    ActionStatus,
    CheckIn,
    CoachingNote,
    CoachingSettings,
    CoachPeriod,
    GoalAction,
    Measurement,
    MeasurementMoment,
    Portfolio,
    SessionInvitation,
)
from .access import caseload_workers

# A measurement or a follow-up shows on the caseload this many days before it is due.
NOTICE_DAYS = 14
# Check-ins older than this do not flag a worker any more.
CHECK_IN_HORIZON_DAYS = 90


class AttentionKind(models.TextChoices):
    WELLBEING = "welzijn", gettext_lazy("wellbeing")
    ACTION = "actie", gettext_lazy("action past its date")
    CLOSING = "afronding", gettext_lazy("closing the trajectory")
    MEASUREMENT = "meting", gettext_lazy("competence measurement due")
    ENDING = "einde", gettext_lazy("trajectory ends soon")
    FOLLOW_UP = "opvolging", gettext_lazy("follow-up due")
    NO_CONTACT = "contact", gettext_lazy("no contact for a while")


PRIORITY = {kind: index for index, kind in enumerate(AttentionKind)}


@dataclass(frozen=True)
class Attention:
    kind: AttentionKind
    text: str
    due_on: datetime.date | None = None
    key: str = ""  # what a reminder is about, unique per thing and due date

    @property
    def priority(self) -> int:
        return PRIORITY[self.kind]


@dataclass
class CaseloadRow:
    worker: Worker
    trajectory: Trajectory | None
    last_contact: datetime.date | None
    attention: list[Attention] = field(default_factory=list)

    @property
    def kinds(self) -> set[str]:
        return {a.kind.value for a in self.attention}

    def sort_key(self):
        if not self.attention:
            return (1, 99, datetime.date.max, self.worker.last_name, self.worker.first_name)
        first = min(self.attention, key=lambda a: (a.priority, a.due_on or datetime.date.min))
        return (0, first.priority, first.due_on or datetime.date.min, self.worker.last_name, self.worker.first_name)


@dataclass(frozen=True)
class MeasurementDue:
    moment: MeasurementMoment
    due_on: datetime.date


def measurement_due(*, trajectory: Trajectory, measurements, interval_months: int, ending_days: int,
                    on: datetime.date) -> MeasurementDue | None:
    """The next measurement of an active trajectory: the intake first, then every `interval_months` after the
    last one (calendar months, clamped at month ends: 31 August + 6 months = 28 or 29 February), and the end
    measurement once the end comes within `ending_days`. `measurements` are (moment, taken_on) of the trajectory."""
    if not trajectory.is_active:
        return None
    moments = {moment for moment, _taken_on in measurements}
    if MeasurementMoment.INTAKE not in moments:
        return MeasurementDue(MeasurementMoment.INTAKE, trajectory.start_date)
    if MeasurementMoment.END in moments:
        return None
    if trajectory.end_date <= on + datetime.timedelta(days=ending_days):
        return MeasurementDue(MeasurementMoment.END, trajectory.end_date)
    last = max(taken_on for _moment, taken_on in measurements)
    return MeasurementDue(MeasurementMoment.PERIODIC, add_months(last, interval_months))


def _fmt(day) -> str:
    return day.strftime("%d/%m/%Y")


def _scale_labels(scales) -> str:
    return ", ".join(str(CheckIn._meta.get_field(scale).verbose_name) for scale in scales)


def attention_for(workers, *, on: datetime.date) -> dict[int, CaseloadRow]:
    """A caseload row per worker, with everything that needs attention on `on`."""
    workers = list(workers)
    ids = [w.pk for w in workers]
    if not ids:
        return {}
    settings = {}
    for organiser_id in {w.organiser_id for w in workers}:
        settings[organiser_id] = CoachingSettings.for_organiser(organiser_id)

    trajectories = {}
    for trajectory in Trajectory.objects.filter(worker_id__in=ids).order_by("worker_id", "start_date", "pk"):
        current = trajectories.get(trajectory.worker_id)
        if current is None or not current.is_active:
            trajectories[trajectory.worker_id] = trajectory  # the active one, else the latest
    measurements = defaultdict(list)
    unscored = defaultdict(list)
    for worker_id, trajectory_id, moment, taken_on, scored_at in Measurement.objects.filter(
        worker_id__in=ids
    ).values_list("worker_id", "trajectory_id", "moment", "taken_on", "coach_scored_at"):
        measurements[(worker_id, trajectory_id)].append((moment, taken_on))
        if scored_at is None:
            unscored[worker_id].append(taken_on)
    last_note = dict(
        CoachingNote.objects.filter(worker_id__in=ids).values("worker_id").annotate(last=Max("date"))
        .values_list("worker_id", "last")
    )
    last_session = {
        worker_id: timezone.localtime(starts_at).date()
        for worker_id, starts_at in SessionInvitation.objects.filter(worker_id__in=ids, attended=True)
        .values("worker_id").annotate(last=Max("session__starts_at")).values_list("worker_id", "last")
    }
    coach_since = dict(
        CoachPeriod.objects.filter(worker_id__in=ids, ended_on__isnull=True).values_list("worker_id", "started_on")
    )
    check_ins = defaultdict(list)
    for check_in in CheckIn.objects.filter(
        worker_id__in=ids, taken_on__gte=on - datetime.timedelta(days=CHECK_IN_HORIZON_DAYS)
    ).order_by("worker_id", "-taken_on", "-id"):
        if len(check_ins[check_in.worker_id]) < 2:
            check_ins[check_in.worker_id].append(check_in)
    overdue = {
        row["worker_id"]: row
        for row in GoalAction.objects.filter(worker_id__in=ids, status=ActionStatus.OPEN, due_on__lt=on)
        .values("worker_id").annotate(count=Count("pk"), first=Min("due_on"))
    }
    follow_ups = defaultdict(list)
    for follow_up in FollowUp.objects.filter(
        trajectory__worker_id__in=ids, done_on__isnull=True, due_on__lte=on + datetime.timedelta(days=NOTICE_DAYS)
    ).select_related("trajectory"):
        follow_ups[follow_up.trajectory.worker_id].append(follow_up)
    closed = set(Portfolio.objects.filter(worker_id__in=ids).values_list("trajectory_id", flat=True))

    rows = {}
    for worker in workers:
        config = settings[worker.organiser_id]
        trajectory = trajectories.get(worker.pk)
        contacts = [d for d in (last_note.get(worker.pk), last_session.get(worker.pk)) if d]
        row = CaseloadRow(worker=worker, trajectory=trajectory, last_contact=max(contacts) if contacts else None)
        items = row.attention

        recent = check_ins.get(worker.pk, [])
        if recent:
            latest, previous = recent[0], (recent[1] if len(recent) > 1 else None)
            low, dropped = latest.low_scales(), latest.dropped_scales(previous)
            if low or dropped:
                parts = []
                if low:
                    parts.append(_("low: %(scales)s") % {"scales": _scale_labels(low)})
                if dropped:
                    parts.append(_("dropped: %(scales)s") % {"scales": _scale_labels(dropped)})
                items.append(Attention(
                    AttentionKind.WELLBEING,
                    _("Wellbeing on %(date)s, %(details)s")
                    % {"date": _fmt(latest.taken_on), "details": "; ".join(parts)},
                    latest.taken_on, f"wellbeing:{latest.pk}",
                ))
        if worker.pk in overdue:
            info = overdue[worker.pk]
            items.append(Attention(
                AttentionKind.ACTION,
                ngettext("%(count)s action past its date (on %(date)s)",
                         "%(count)s actions past their date (the first on %(date)s)", info["count"])
                % {"count": info["count"], "date": _fmt(info["first"])},
                info["first"], f"actions:{worker.pk}:{info['first'].isoformat()}",
            ))
        if trajectory is not None and not trajectory.is_active:
            moments = {m for m, _d in measurements.get((worker.pk, trajectory.pk), [])}
            missing = []
            if MeasurementMoment.END not in moments:
                missing.append(_("final measurement"))
            if trajectory.pk not in closed:
                missing.append(_("closing summary"))
            if missing:
                items.append(Attention(
                    AttentionKind.CLOSING,
                    _("Trajectory ended on %(date)s: %(missing)s to do")
                    % {"date": _fmt(trajectory.ended_on), "missing": _(" and ").join(missing)},
                    trajectory.ended_on, f"closing:{trajectory.pk}",
                ))
        if trajectory is not None and trajectory.is_active:
            if unscored.get(worker.pk):
                first = min(unscored[worker.pk])
                items.append(Attention(
                    AttentionKind.MEASUREMENT,
                    _("Score the measurement of %(date)s") % {"date": _fmt(first)}, first,
                    f"measurement-open:{worker.pk}:{first.isoformat()}",
                ))
            else:
                due = measurement_due(
                    trajectory=trajectory, measurements=measurements.get((worker.pk, trajectory.pk), []),
                    interval_months=config.measurement_interval_months, ending_days=config.ending_soon_days, on=on,
                )
                if due is not None and due.due_on <= on + datetime.timedelta(days=NOTICE_DAYS):
                    items.append(Attention(
                        AttentionKind.MEASUREMENT,
                        _("Measurement (%(moment)s) due on %(date)s")
                        % {"moment": due.moment.label, "date": _fmt(due.due_on)},
                        due.due_on, f"measurement:{trajectory.pk}:{due.moment.value}:{due.due_on.isoformat()}",
                    ))
            if trajectory.end_date <= on + datetime.timedelta(days=config.ending_soon_days):
                items.append(Attention(
                    AttentionKind.ENDING,
                    _("Trajectory ends on %(date)s") % {"date": _fmt(trajectory.end_date)}, trajectory.end_date,
                    f"ending:{trajectory.pk}:{trajectory.end_date.isoformat()}",
                ))
            reference = row.last_contact or max(
                d for d in (trajectory.start_date, coach_since.get(worker.pk)) if d is not None
            )
            contact_due = reference + datetime.timedelta(weeks=config.no_contact_weeks)
            if contact_due <= on:
                text = (_("No contact since %(date)s") % {"date": _fmt(row.last_contact)} if row.last_contact
                        else _("No contact yet"))
                items.append(Attention(AttentionKind.NO_CONTACT, text, contact_due,
                                       f"contact:{worker.pk}:{contact_due.isoformat()}"))
        for follow_up in follow_ups.get(worker.pk, []):
            items.append(Attention(
                AttentionKind.FOLLOW_UP,
                _("Follow-up %(months)s months after the end, due on %(date)s")
                % {"months": follow_up.months_after, "date": _fmt(follow_up.due_on)},
                follow_up.due_on, f"follow-up:{follow_up.pk}",
            ))
        items.sort(key=lambda a: (a.priority, a.due_on or datetime.date.min))
        rows[worker.pk] = row
    return rows


def caseload_queryset(user, *, on: datetime.date):
    return with_status(caseload_workers(user).select_related("municipality", "user"), on=on).order_by(
        "last_name", "first_name", "pk"
    )


def attention_counts(rows) -> list[tuple[str, str, int]]:
    """Per kind (value, label, number of workers), and how many need any attention at all."""
    rows = list(rows)
    return [(kind.value, kind.label, sum(1 for r in rows if kind.value in r.kinds)) for kind in AttentionKind]
