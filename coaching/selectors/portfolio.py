"""What goes into the portfolio: hours by activity, the kinds of clients, the competences at the start and at the
end. No note text ever comes through here."""

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from assignments.models import ClientCategory, Prestatie, PrestatieStatus

from ..models import Portfolio, Rater
from .access import file_workers
from .competences import measurements_of

# Hours the organiser checked: validated by staff, or confirmed by the client.
WORKED_STATUSES = (PrestatieStatus.VALIDATED, PrestatieStatus.CONFIRMED)


def worked_prestaties(worker, start, end) -> QuerySet:
    return Prestatie.objects.filter(worker=worker, date__gte=start, date__lte=end, status__in=WORKED_STATUSES)


def hours_by_activity(worker, start, end) -> list[dict]:
    """Per main activity: the minutes worked in the period, most first."""
    rows = (
        worked_prestaties(worker, start, end)
        .values("assignment__activity__main_activity__name")
        .annotate(minutes=Sum("minutes"), days=Count("date", distinct=True))
        .order_by("-minutes", "assignment__activity__main_activity__name")
    )
    return [{"activity": r["assignment__activity__main_activity__name"], "minutes": r["minutes"], "days": r["days"]}
            for r in rows]


def client_kinds(worker, start, end) -> list[dict]:
    """The kinds of clients worked for (never their names): category and number of clients."""
    labels = dict(ClientCategory.choices)
    rows = (
        worked_prestaties(worker, start, end)
        .values("client__category")
        .annotate(clients=Count("client", distinct=True))
        .order_by("-clients", "client__category")
    )
    return [{"category": labels.get(r["client__category"], r["client__category"]), "clients": r["clients"]}
            for r in rows]


def start_and_end_measurements(worker, trajectory) -> list:
    """The first and the last measurement of the trajectory the coach scored (one if there is only one)."""
    scored = [m for m in measurements_of(worker) if m.is_coach_scored and m.trajectory_id == trajectory.pk]
    if not scored:
        return []
    return [scored[0]] if len(scored) == 1 else [scored[0], scored[-1]]


def competence_progress(measurements) -> list[dict]:
    """Per competence of the last measurement: the coach's level at the start and at the end."""
    if not measurements:
        return []
    first, last = measurements[0], measurements[-1]

    def levels(measurement):
        return {s.competence.key: s.level for s in measurement.scores.all() if s.rater == Rater.COACH}

    start, end = levels(first), levels(last)
    return [{"name": c.name, "start": start.get(c.key), "end": end.get(c.key)}
            for c in last.framework.competences.all()]


def portfolios_of(worker) -> QuerySet:
    return Portfolio.objects.filter(worker=worker).select_related("signed_by")


def portfolio_for_staff(user, pk) -> Portfolio:
    """A portfolio of a worker whose coaching file the user may open; someone else's is a 404."""
    return get_object_or_404(Portfolio.objects.filter(worker__in=file_workers(user)).select_related("worker"), pk=pk)
