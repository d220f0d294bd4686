"""Reads on prestaties, and the hour caps: the only place hours are counted."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from wijkwerken.core.geo import distance_km
from wijkwerken.core.models import Organiser
from wijkwerken.core.rules import rules_for

from ..models.prestaties import COUNTED_STATUSES, Prestatie, PrestatieStatus
from .placements import scoped_to_participants


def prestaties_for(user) -> QuerySet:
    return scoped_to_participants(Prestatie.objects.all(), user).select_related(
        "worker", "client", "assignment__activity", "assignment__municipality")


def validation_queue(user) -> QuerySet:
    return prestaties_for(user).filter(status=PrestatieStatus.REGISTERED).order_by("date", "start_time")


def dispute_queue(user) -> QuerySet:
    return prestaties_for(user).filter(status=PrestatieStatus.DISPUTED).order_by("disputed_at")


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

    One aggregate over the year's counted prestaties of the organiser finds the workers already too close to a cap
    (a hash anti-join, not two subqueries per worker); the caps come from the organiser's rules (the list is scoped
    to one organiser, so one rules lookup serves every row).
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
    too_close = (
        Prestatie.objects.filter(organiser_id=organiser_id, status__in=COUNTED_STATUSES,
                                 date__gte=on.replace(month=1, day=1), date__lte=on.replace(month=12, day=31))
        .values("worker")
        .annotate(month_used=Coalesce(Sum("minutes", filter=Q(date__month=on.month)), 0), year_used=Sum("minutes"))
        .filter(Q(month_used__gt=month_limit) | Q(year_used__gt=year_limit))
        .values("worker")
    )
    return queryset.exclude(pk__in=too_close)
