"""Reads on prestaties, and the hour caps: the only place hours are counted."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import ORGANISER_STAFF_ROLES, Role
from wijkwerken.core.geo import distance_km
from wijkwerken.core.models import Organiser
from wijkwerken.core.rules import rules_for
from wijkwerken.core.selectors import scope_to_user

from ..models.prestaties import (
    COUNTED_STATUSES,
    LONG_DAY_MINUTES,
    PLANNED_TIMES_TOLERANCE_MINUTES,
    HoursMonth,
    HoursWarning,
    Prestatie,
    PrestatieStatus,
    WorkerMonth,
)
from .placements import scoped_to_participants


def prestaties_for(user) -> QuerySet:
    return scoped_to_participants(Prestatie.objects.all(), user).select_related(
        "worker", "client", "assignment__activity", "assignment__municipality")


def validation_queue(user) -> QuerySet:
    return prestaties_for(user).filter(status=PrestatieStatus.REGISTERED).order_by("date", "start_time")


def dispute_queue(user) -> QuerySet:
    return prestaties_for(user).filter(status=PrestatieStatus.DISPUTED).order_by("disputed_at")


def queue_rows(user, queue: str) -> QuerySet:
    """The rows of the disputed ("betwist") or the validation queue as its list shows them: joined only to what a
    row shows (worker, client, and the activity of a prestatie to validate), fewer joins to plan for every page."""
    rows = dispute_queue(user) if queue == "betwist" else validation_queue(user)
    return rows.select_related(None).select_related(
        "worker", "client", *(() if queue == "betwist" else ("assignment__activity",)))


def proposed_kilometres(assignment) -> Decimal | None:
    """The round trip between the centres of the worker's home municipality and the assignment's municipality, as
    the crow flies, in whole km: a proposal the worker corrects. None within one municipality or when a centre is
    not known."""
    home, place = assignment.worker.municipality, assignment.municipality
    if home.pk == place.pk or home.centre is None or place.centre is None:
        return None
    return Decimal(2 * distance_km(home.centre, place.centre)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class HourCaps:
    on: datetime.date
    month_minutes: int
    year_minutes: int
    month_cap_hours: int
    year_cap_hours: int

    @property
    def month_left_minutes(self) -> int:
        return max(self.month_cap_hours * 60 - self.month_minutes, 0)

    @property
    def year_left_minutes(self) -> int:
        return max(self.year_cap_hours * 60 - self.year_minutes, 0)

    @property
    def left_minutes(self) -> int:
        """What may still be worked in this month, taking both caps into account."""
        return min(self.month_left_minutes, self.year_left_minutes)

    @property
    def month_percent(self) -> int:
        return min(round(100 * self.month_minutes / (self.month_cap_hours * 60)), 100)

    @property
    def year_percent(self) -> int:
        return min(round(100 * self.year_minutes / (self.year_cap_hours * 60)), 100)


def _counted(worker_ids, on: datetime.date, exclude_prestatie_id=None):
    queryset = Prestatie.objects.filter(worker_id__in=worker_ids, date__year=on.year, status__in=COUNTED_STATUSES)
    if exclude_prestatie_id is not None:
        queryset = queryset.exclude(pk=exclude_prestatie_id)
    return queryset


def minutes_used(worker_ids, on: datetime.date, exclude_prestatie_id=None) -> dict[int, tuple[int, int]]:
    """{worker id: (minutes in on's month, minutes in on's year)} in one query, for any number of workers."""
    rows = (
        _counted(worker_ids, on, exclude_prestatie_id)
        .values("worker_id")
        .annotate(
            month=Coalesce(Sum("minutes", filter=Q(date__month=on.month)), 0),
            year=Coalesce(Sum("minutes"), 0),
        )
    )
    used = dict.fromkeys(worker_ids, (0, 0))
    used.update({row["worker_id"]: (row["month"], row["year"]) for row in rows})
    return used


def hour_caps(*, worker, on: datetime.date, exclude_prestatie_id=None) -> HourCaps:
    """Hours used and left for `worker` in the month and the year of `on`."""
    rules = rules_for(organiser=worker.organiser, on=on)
    month, year = minutes_used([worker.pk], on, exclude_prestatie_id)[worker.pk]
    return HourCaps(on=on, month_minutes=month, year_minutes=year, month_cap_hours=rules.max_hours_per_month,
                    year_cap_hours=rules.max_hours_per_year)


def hour_caps_many(*, workers, on: datetime.date, organiser) -> dict[int, HourCaps]:
    """The caps of many workers of one organiser in one query (for the candidate list)."""
    rules = rules_for(organiser=organiser, on=on)
    used = minutes_used([w.pk for w in workers], on)
    return {
        worker_id: HourCaps(on=on, month_minutes=month, year_minutes=year, month_cap_hours=rules.max_hours_per_month,
                            year_cap_hours=rules.max_hours_per_year)
        for worker_id, (month, year) in used.items()
    }


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60} u {minutes % 60:02d}"


def workers_with_minutes_left(queryset, *, minutes: int, on: datetime.date):
    """Narrow a worker queryset to those with at least `minutes` left under both caps in `on`'s month.

    Reads the monthly totals the database keeps (`WorkerMonth`) through the index on (month, minutes), so only the
    few workers close to a cap are looked at, whatever the size of the pool:
    - the month cap: this month's rows above the month's limit;
    - the year cap: a year of at most twelve months above the limit has a month above a twelfth of it, so only the
      workers with such a month have their year added up.
    The caps come from the organiser's rules (the list is scoped to one organiser, so one rules lookup serves every
    row).
    """
    organiser_ids = set(queryset.values_list("organiser_id", flat=True).distinct()[:2])
    if len(organiser_ids) != 1:
        return queryset.none() if not organiser_ids else queryset
    organiser_id = organiser_ids.pop()
    rules = rules_for(organiser=Organiser.objects.get(pk=organiser_id), on=on)
    month_limit = rules.max_hours_per_month * 60 - minutes
    year_limit = rules.max_hours_per_year * 60 - minutes
    if month_limit < 0 or year_limit < 0:
        return queryset.none()
    year = WorkerMonth.objects.filter(month__gte=on.replace(month=1, day=1),
                                      month__lt=datetime.date(on.year + 1, 1, 1))
    month_too_close = WorkerMonth.objects.filter(month=on.replace(day=1), minutes__gt=month_limit).values("worker_id")
    # Twelve months of at most limit // 12 add up to at most the limit: a year above it has a month above that.
    suspects = year.filter(minutes__gt=year_limit // 12).values("worker_id")
    year_too_close = (year.filter(worker_id__in=suspects).values("worker_id").order_by()
                      .annotate(used=Sum("minutes")).filter(used__gt=year_limit).values("worker_id"))
    return queryset.exclude(pk__in=month_too_close).exclude(pk__in=year_too_close)


def _clock_minutes(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


@dataclass(frozen=True)
class HoursPlausibility:
    """What is unusual about hours about to be registered: `codes` (HoursWarning values, stored on the prestatie)
    and `messages` (one Dutch sentence per code, for the person who registers)."""

    codes: list[str]
    messages: list[str]

    def __bool__(self) -> bool:
        return bool(self.codes)


def hours_plausibility(*, assignment, day: datetime.date, start: datetime.time, end: datetime.time,
                       exclude_prestatie_id=None) -> HoursPlausibility:
    """Warnings, not refusals: a day the schedule does not plan, hours more than
    PLANNED_TIMES_TOLERANCE_MINUTES outside the planned times, or more than LONG_DAY_MINUTES on one day for the
    worker (all their hours that day together)."""
    codes, messages = [], []
    if not assignment.is_planned_on(day):
        codes.append(HoursWarning.NOT_PLANNED_DAY.value)
        if assignment.schedule == "once":
            planned = assignment.start_date.strftime("%d/%m/%Y")
        else:
            planned = ", ".join(assignment.weekday_labels)
        messages.append(_("%(date)s is not a planned day of this assignment (planned: %(planned)s).")
                        % {"date": day.strftime("%d/%m/%Y"), "planned": planned})
    if assignment.time_from and assignment.time_until and (
            _clock_minutes(start) < _clock_minutes(assignment.time_from) - PLANNED_TIMES_TOLERANCE_MINUTES
            or _clock_minutes(end) > _clock_minutes(assignment.time_until) + PLANNED_TIMES_TOLERANCE_MINUTES):
        codes.append(HoursWarning.OUTSIDE_TIMES.value)
        messages.append(_("%(start)s–%(end)s is outside the planned times (%(from)s–%(until)s).")
                        % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"),
                           "from": assignment.time_from.strftime("%H:%M"),
                           "until": assignment.time_until.strftime("%H:%M")})
    others = Prestatie.objects.filter(worker_id=assignment.worker_id, date=day).exclude(
        status=PrestatieStatus.CANCELLED)
    if exclude_prestatie_id is not None:
        others = others.exclude(pk=exclude_prestatie_id)
    day_minutes = (others.aggregate(total=Coalesce(Sum("minutes"), 0))["total"]
                   + _clock_minutes(end) - _clock_minutes(start))
    if day_minutes > LONG_DAY_MINUTES:
        codes.append(HoursWarning.LONG_DAY.value)
        messages.append(_("That makes %(total)s of work on %(date)s: more than %(max)s hours on one day.")
                        % {"total": format_minutes(day_minutes), "date": day.strftime("%d/%m/%Y"),
                           "max": LONG_DAY_MINUTES // 60})
    return HoursPlausibility(codes=codes, messages=messages)


def hours_per_month(user, *, year: int, worker=None) -> list[Decimal]:
    """The hours worked in each month of `year` (twelve values; counted as the caps count them) that `user` may
    see in figures: the organiser's staff all of it, municipal staff their municipality's, a worker their own.
    `worker` narrows staff figures to one worker. One aggregate query: over the monthly totals the database keeps
    (HoursMonth) for a whole organiser or municipality, over the prestaties for one worker."""
    if worker is None and (user.role in ORGANISER_STAFF_ROLES or user.role == Role.GEMEENTE):
        totals = scope_to_user(HoursMonth.objects.filter(month__year=year), user, municipality_field="municipality")
        minutes = {month.month: total for month, total in totals.order_by().values("month")
                   .annotate(total=Sum("minutes")).values_list("month", "total")}
    else:
        queryset = Prestatie.objects.filter(date__year=year, status__in=COUNTED_STATUSES)
        if user.role == Role.WIJKWERKER:
            queryset = queryset.filter(worker__user=user)
        elif user.role in ORGANISER_STAFF_ROLES or user.role == Role.GEMEENTE:
            queryset = scope_to_user(queryset, user, municipality_field="assignment__municipality")
        else:
            queryset = queryset.none()
        if worker is not None:
            queryset = queryset.filter(worker=worker)
        minutes = dict(queryset.order_by().annotate(month=ExtractMonth("date")).values("month")
                       .annotate(total=Sum("minutes")).values_list("month", "total"))
    return [(Decimal(minutes.get(month, 0)) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            for month in range(1, 13)]
    queryset = Prestatie.objects.filter(date__year=year, status__in=COUNTED_STATUSES)
    if user.role == Role.WIJKWERKER:
        queryset = queryset.filter(worker__user=user)
    elif user.role in ORGANISER_STAFF_ROLES:
        queryset = scope_to_user(queryset, user).filter(worker=worker)
    else:
        queryset = queryset.none()
    minutes = dict(queryset.order_by().annotate(month=ExtractMonth("date")).values("month")
                   .annotate(total=Sum("minutes")).values_list("month", "total"))
    return [(Decimal(minutes.get(month, 0)) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            for month in range(1, 13)]
