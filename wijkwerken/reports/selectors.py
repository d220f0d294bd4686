"""Reads of the reports app.

`report_figures` is the bare set of aggregate queries behind a report: a handful of GROUP BY queries, each
filtered on the organiser and on an indexed date range, so their cost follows the period asked for and not the
years of history in the database. Everything is grouped by municipality as well: the organiser report's table
per municipality and its totals come from the same rows. Nothing here loops over prestaties or cheques in Python.

The other selectors scope reports and attests to the user: municipal staff see the reports made for municipal
staff of their own municipality; the beheerder sees the organiser's reports; a client sees its own attests.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth

from assignments.models import COUNTED_STATUSES, Client, ClientCategory, Prestatie, RegistrationFee
from assignments.models.clients import FeeStatus
from cheques.models import Cheque, ChequeStatus, ClientCredit, CreditKind
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import Municipality
from wijkwerken.core.selectors import municipalities_visible_to
from workers.models import FollowUp, Trajectory, Worker

from .models import AttestBatch, AttestStatus, FiscalAttest, Report, ReportAudience
from .periods import Period

ZERO = Decimal("0.00")


class Grouped:
    """Aggregate rows keyed by (municipality id, *dimension): sums over every municipality of the scope or one."""

    def __init__(self, width: int = 1):
        self.width = width
        self.rows: dict[tuple, list] = {}

    def add(self, municipality_id, key: tuple, *values) -> None:
        row = self.rows.setdefault((municipality_id, *key), [0] * self.width)
        for index, value in enumerate(values):
            row[index] += value or 0

    def by(self, municipality_id=None) -> dict[tuple, list]:
        """{dimension key: [values]} of one municipality, or summed over all of them (None)."""
        totals: dict[tuple, list] = {}
        for (row_municipality, *key), values in self.rows.items():
            if municipality_id is not None and row_municipality != municipality_id:
                continue
            total = totals.setdefault(tuple(key), [0] * self.width)
            for index, value in enumerate(values):
                total[index] += value
        return totals

    def value(self, key: tuple = (), municipality_id=None, index: int = 0):
        return self.by(municipality_id).get(key, [0] * self.width)[index]

    def total(self, municipality_id=None, index: int = 0):
        return sum(values[index] for values in self.by(municipality_id).values())

    def municipality_ids(self) -> set:
        return {key[0] for key in self.rows}


@dataclass
class Figures:
    """The raw numbers of one period (minutes, counts, euros), grouped by municipality."""

    period: Period
    minutes_by_month: Grouped = field(default_factory=lambda: Grouped(2))  # (month,): minutes, prestaties
    minutes_by_category: Grouped = field(default_factory=lambda: Grouped(2))  # (category,): minutes, own services
    minutes_by_activity: Grouped = field(default_factory=Grouped)  # (main activity, activity)
    workers_active: Grouped = field(default_factory=Grouped)  # (ex-PWA, referral)
    workers_new: Grouped = field(default_factory=Grouped)  # ()
    trajectories_ended: Grouped = field(default_factory=Grouped)  # (outflow reason,)
    follow_ups: Grouped = field(default_factory=Grouped)  # (months after, situation)
    clients: Grouped = field(default_factory=lambda: Grouped(2))  # (category,): active, new
    cheques: Grouped = field(default_factory=lambda: Grouped(2))  # ("sold" | "redeemed" | "expired",): count, €
    refunds: Grouped = field(default_factory=lambda: Grouped(2))  # (): clients, €
    fees: Grouped = field(default_factory=lambda: Grouped(2))  # (): fees, €

    def municipality_ids(self) -> set:
        ids = set()
        for value in vars(self).values():
            if isinstance(value, Grouped):
                ids |= value.municipality_ids()
        return ids


def _scoped(queryset: QuerySet, municipality_field: str, municipality_ids) -> QuerySet:
    if municipality_ids is None:
        return queryset
    return queryset.filter(**{f"{municipality_field}__in": list(municipality_ids)})


def report_figures(*, organiser_id: int, municipality_ids=None, period: Period) -> Figures:
    """Every number of a report for `period`: of the organiser's municipalities `municipality_ids`, or of the
    whole organiser (None). Hours count where the work was done (the assignment's municipality), workers and
    clients where they live, cheques and fees by their client's municipality."""
    figures = Figures(period=period)
    start, end = period.start, period.end

    prestaties = _scoped(
        Prestatie.objects.filter(organiser_id=organiser_id, date__gte=start, date__lte=end,
                                 status__in=COUNTED_STATUSES),
        "assignment__municipality_id", municipality_ids)
    for row in (prestaties.values(municipality=F("assignment__municipality_id"), month=TruncMonth("date"))
                .annotate(minutes=Sum("minutes"), count=Count("id")).order_by()):
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        figures.minutes_by_month.add(row["municipality"], (month,), row["minutes"], row["count"])
    own_service = Case(When(client__category=ClientCategory.LOKAAL_BESTUUR,
                            client__municipality_id=F("assignment__municipality_id"), then=Value(True)),
                       default=Value(False))
    for row in (prestaties.values(municipality=F("assignment__municipality_id"), category=F("client__category"),
                                  own=own_service).annotate(minutes=Sum("minutes")).order_by()):
        figures.minutes_by_category.add(row["municipality"], (row["category"],), row["minutes"],
                                        row["minutes"] if row["own"] else 0)
    for row in (prestaties.values(municipality=F("assignment__municipality_id"),
                                  main=F("assignment__activity__main_activity__name"),
                                  activity=F("assignment__activity__name"))
                .annotate(minutes=Sum("minutes")).order_by()):
        figures.minutes_by_activity.add(row["municipality"], (row["main"], row["activity"]), row["minutes"])

    # Workers: in a trajectory on at least one day of the period.
    workers = _scoped(Worker.objects.filter(organiser_id=organiser_id), "municipality_id", municipality_ids)
    # One filter() call: the same trajectory must start before the end and not end before the start.
    active = workers.filter(Q(trajectories__start_date__lte=end)
                            & (Q(trajectories__ended_on__isnull=True) | Q(trajectories__ended_on__gte=start)))
    for row in active.values("municipality_id", "ex_pwa", "referral").annotate(
            count=Count("id", distinct=True)).order_by():
        figures.workers_active.add(row["municipality_id"], (row["ex_pwa"], row["referral"]), row["count"])
    first_trajectory_in_period = (Trajectory.objects.filter(organiser_id=organiser_id).values("worker_id")
                                  .annotate(first_start=Min("start_date"))
                                  .filter(first_start__gte=start, first_start__lte=end).values("worker_id"))
    new = workers.filter(pk__in=first_trajectory_in_period)
    for row in new.values("municipality_id").annotate(count=Count("id")).order_by():
        figures.workers_new.add(row["municipality_id"], (), row["count"])
    ended = _scoped(Trajectory.objects.filter(organiser_id=organiser_id, ended_on__gte=start, ended_on__lte=end),
                    "worker__municipality_id", municipality_ids)
    for row in ended.values(municipality=F("worker__municipality_id"), reason=F("outflow_reason")).annotate(
            count=Count("worker_id", distinct=True)).order_by():
        figures.trajectories_ended.add(row["municipality"], (row["reason"],), row["count"])
    follow_ups = _scoped(
        FollowUp.objects.filter(trajectory__organiser_id=organiser_id, done_on__gte=start, done_on__lte=end),
        "trajectory__worker__municipality_id", municipality_ids)
    for row in follow_ups.values(municipality=F("trajectory__worker__municipality_id"), months=F("months_after"),
                                 found=F("situation")).annotate(
            count=Count("trajectory__worker_id", distinct=True)).order_by():
        figures.follow_ups.add(row["municipality"], (row["months"], row["found"]), row["count"])

    # Clients: active on at least one day of the period; new when they became active in it.
    clients = _scoped(Client.objects.filter(organiser_id=organiser_id, activated_on__lte=end).filter(
        Q(stopped_on__isnull=True) | Q(stopped_on__gte=start)), "municipality_id", municipality_ids)
    for row in clients.values("municipality_id", "category").annotate(
            active=Count("id"), new=Count("id", filter=Q(activated_on__gte=start))).order_by():
        figures.clients.add(row["municipality_id"], (row["category"],), row["active"], row["new"])

    # Cheques by the day they were sold (issued), used and expired (their last valid day).
    cheques = _scoped(Cheque.objects.filter(organiser_id=organiser_id), "client__municipality_id", municipality_ids)
    moment_start, moment_end = period.moments()
    for kind, queryset in (
        ("sold", cheques.filter(issued_on__gte=start, issued_on__lte=end)),
        ("redeemed", cheques.filter(status=ChequeStatus.REDEEMED, redeemed_at__gte=moment_start,
                                    redeemed_at__lt=moment_end)),
        ("expired", cheques.filter(status=ChequeStatus.EXPIRED, expires_on__gte=start, expires_on__lte=end)),
    ):
        for row in queryset.values(municipality=F("client__municipality_id")).annotate(
                count=Count("id"), euros=Sum("value")).order_by():
            figures.cheques.add(row["municipality"], (kind,), row["count"], row["euros"] or ZERO)
    refunds = _scoped(
        ClientCredit.objects.filter(organiser_id=organiser_id, kind=CreditKind.REFUNDED,
                                    refund_batch__execution_date__gte=start, refund_batch__execution_date__lte=end),
        "client__municipality_id", municipality_ids)
    for row in refunds.values(municipality=F("client__municipality_id")).annotate(
            clients=Count("client_id", distinct=True), euros=Sum("amount")).order_by():
        figures.refunds.add(row["municipality"], (), row["clients"], -(row["euros"] or ZERO))
    fees = _scoped(RegistrationFee.objects.filter(client__organiser_id=organiser_id, status=FeeStatus.PAID,
                                                  paid_on__gte=start, paid_on__lte=end),
                   "client__municipality_id", municipality_ids)
    for row in fees.values(municipality=F("client__municipality_id")).annotate(
            count=Count("id"), euros=Sum("amount")).order_by():
        figures.fees.add(row["municipality"], (), row["count"], row["euros"] or ZERO)
    return figures


# --- scoping ------------------------------------------------------------------------------------------------------

def reports_for(user) -> QuerySet:
    """The beheerder: every report of the organiser. Municipal staff: the reports made for municipal staff of
    their municipality. Anyone else: none."""
    queryset = Report.objects.select_related("municipality", "organiser", "requested_by")
    if not (user.is_authenticated and user.is_active and user.organiser_id):
        return queryset.none()
    if user.role == Role.BEHEERDER:
        return queryset.filter(organiser_id=user.organiser_id)
    if user.role == Role.GEMEENTE:
        return queryset.filter(organiser_id=user.organiser_id, municipality_id=user.municipality_id,
                               audience=ReportAudience.MUNICIPALITY)
    return queryset.none()


def report_municipalities_for(user) -> QuerySet:
    """The municipalities whose reports the user may ask for: all of the organiser's for the beheerder, their own
    for municipal staff."""
    if not (user.is_authenticated and user.role in (Role.BEHEERDER, Role.GEMEENTE)):
        return municipalities_visible_to(user).none()
    return municipalities_visible_to(user)


def latest_reports(user, *, municipality=None, organiser_wide: bool = False, limit: int | None = None) -> QuerySet:
    queryset = reports_for(user)
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    elif organiser_wide:
        queryset = queryset.filter(municipality__isnull=True)
    queryset = queryset.order_by("-requested_at", "-pk")
    return queryset[:limit] if limit else queryset


def latest_ready_report_by_municipality(user) -> dict[int, Report]:
    """The newest ready report of each municipality the user may see (one query)."""
    latest = {}
    for report in reports_for(user).filter(status="klaar", municipality__isnull=False).order_by(
            "municipality_id", "-period_end", "-finished_at"):
        latest.setdefault(report.municipality_id, report)
    return latest


def attests_of_year(user, year: int) -> QuerySet:
    """The beheerder: the organiser's attests of `year`, every version."""
    if not (user.is_authenticated and user.role == Role.BEHEERDER and user.organiser_id):
        return FiscalAttest.objects.none()
    return (FiscalAttest.objects.filter(organiser_id=user.organiser_id, year=year)
            .select_related("client").order_by("client__name", "client_id", "-version"))


def attest_years(user) -> list[int]:
    if not (user.is_authenticated and user.organiser_id):
        return []
    return sorted(set(FiscalAttest.objects.filter(organiser_id=user.organiser_id)
                      .values_list("year", flat=True)), reverse=True)


def attest_batches_for(user) -> QuerySet:
    if not (user.is_authenticated and user.role == Role.BEHEERDER and user.organiser_id):
        return AttestBatch.objects.none()
    return AttestBatch.objects.filter(organiser_id=user.organiser_id).select_related("requested_by")


def attests_visible_to(user) -> QuerySet:
    """A client: its own attests; the organiser's staff who handle clients' money (bemiddelaar, beheerder):
    the organiser's; anyone else: none."""
    queryset = FiscalAttest.objects.select_related("client", "organiser")
    if not (user.is_authenticated and user.is_active and user.organiser_id):
        return queryset.none()
    if user.role == Role.GEBRUIKER:
        return queryset.filter(client__contacts__user=user, organiser_id=user.organiser_id)
    if user.role in (Role.BEHEERDER, Role.BEMIDDELAAR):
        return queryset.filter(organiser_id=user.organiser_id)
    return queryset.none()


def client_attests(client) -> QuerySet:
    return FiscalAttest.objects.filter(client=client).order_by("-year", "-version")


def current_attests(client) -> QuerySet:
    return client_attests(client).filter(status=AttestStatus.CURRENT)


def paid_for_cheques(*, organiser_id: int, year: int, client_ids=None) -> dict[int, tuple[int, Decimal]]:
    """{client id: (cheques, euros)} that private clients paid for cheques in `year`: the cheques issued to
    them in the year (electronic ones are issued when their order is paid; paper ones are registered when
    bought), at the price paid, less the ones refunded to them. One grouped query."""
    cheques = Cheque.objects.filter(organiser_id=organiser_id, issued_on__gte=datetime.date(year, 1, 1),
                                    issued_on__lte=datetime.date(year, 12, 31),
                                    client__category=ClientCategory.PARTICULIER).exclude(
        status=ChequeStatus.REFUNDED)
    if client_ids is not None:
        cheques = cheques.filter(client_id__in=list(client_ids))
    return {row["client_id"]: (row["count"], row["euros"] or ZERO)
            for row in cheques.values("client_id").annotate(count=Count("id"), euros=Sum("value")).order_by()
            if row["euros"]}


def municipality_names(ids) -> dict[int, str]:
    return dict(Municipality.objects.filter(pk__in=list(ids)).values_list("pk", "name"))
