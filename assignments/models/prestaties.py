"""Prestaties: the hours one worker did on one assignment on one day, in three steps like dienstencheques
(registered -> validated -> confirmed)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Organiser

from .placements import Assignment


class PrestatieStatus(models.TextChoices):
    REGISTERED = "geregistreerd", _("registered")
    VALIDATED = "gevalideerd", _("validated")
    CONFIRMED = "bevestigd", _("confirmed")
    DISPUTED = "betwist", _("disputed")
    CANCELLED = "geannuleerd", _("cancelled")


# The longest round trip a wijk-werk job can take (km): Flanders is some 200 km wide, and a worker works near home.
MAX_ROUND_TRIP_KM = 200

class HoursWarning(models.TextChoices):
    """Why registered hours look unusual. Not a block (real work shifts): the registrar confirms them and the
    staff member who validates sees the warning."""

    NOT_PLANNED_DAY = "niet_gepland", _("not a planned day of the assignment")
    OUTSIDE_TIMES = "buiten_uren", _("outside the planned times")
    LONG_DAY = "lange_dag", _("a long day")


# Hours that start or end this much outside the assignment's planned times are unusual (minutes).
PLANNED_TIMES_TOLERANCE_MINUTES = 30
# A day on which one worker's hours add up to more than this is unusual (minutes): 10 hours.
LONG_DAY_MINUTES = 10 * 60

# Hours that count towards the caps: everything that may still be paid.
COUNTED_STATUSES = (PrestatieStatus.REGISTERED, PrestatieStatus.VALIDATED, PrestatieStatus.CONFIRMED,
                    PrestatieStatus.DISPUTED)


class Prestatie(models.Model):
    """Hours one worker did on one assignment on one day."""

    TRANSITIONS = {
        PrestatieStatus.REGISTERED: (PrestatieStatus.VALIDATED, PrestatieStatus.CANCELLED),
        PrestatieStatus.VALIDATED: (PrestatieStatus.CONFIRMED, PrestatieStatus.DISPUTED, PrestatieStatus.CANCELLED),
        PrestatieStatus.DISPUTED: (PrestatieStatus.VALIDATED, PrestatieStatus.CONFIRMED, PrestatieStatus.CANCELLED),
        PrestatieStatus.CONFIRMED: (),
        PrestatieStatus.CANCELLED: (),
    }

    organiser = models.ForeignKey(Organiser, related_name="prestaties", on_delete=models.PROTECT)
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), related_name="prestaties", on_delete=models.PROTECT
    )
    worker = models.ForeignKey("workers.Worker", related_name="prestaties", on_delete=models.PROTECT)
    client = models.ForeignKey("assignments.Client", related_name="prestaties", on_delete=models.PROTECT)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    minutes = models.PositiveIntegerField(_("minutes"))
    cheques = models.PositiveSmallIntegerField(_("cheques"))
    # The round trip home - work place - home, given with the hours and validated with them by staff.
    kilometres = models.DecimalField(_("kilometres (round trip)"), max_digits=4, decimal_places=1,
                                     default=Decimal("0"))
    # Set when staff corrected the kilometres after the client confirmed: a payout already made is corrected in
    # the next one.
    kilometres_corrected_at = models.DateTimeField(_("kilometres corrected after confirmation on"), null=True,
                                                   blank=True)
    status = models.CharField(_("status"), max_length=15, choices=PrestatieStatus.choices,
                              default=PrestatieStatus.REGISTERED, db_index=True)
    # Set by the database when a payout batch pays the prestatie (a trigger on the payout items, migration cheques
    # 0014), never by the application: a payout run reads the unpaid confirmed prestaties through the partial index
    # `prestatie_unpaid_idx` instead of every confirmed prestatie of five years.
    paid_out = models.BooleanField(_("paid out"), default=False, editable=False)
    # The status of the prestatie's settlement ("" before it is settled), copied by the database from the settlement
    # (triggers, migration cheques 0016), never by the application: a payout run adds up the month's unpaid work
    # from this table alone instead of joining every settlement of the organiser.
    settlement_status = models.CharField(_("settlement"), max_length=12, blank=True, default="", editable=False)
    # HoursWarning codes the registrar confirmed (outside the schedule, a long day), shown to staff who validate.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    # A staff correction: the client must confirm explicitly, it is never confirmed automatically.
    corrected = models.BooleanField(_("corrected by staff"), default=False)
    correction_note = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirm_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.CharField(_("what is not right"), max_length=500, blank=True)
    resolution_note = models.CharField(_("how the dispute was resolved"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("prestatie")
        verbose_name_plural = _("prestaties")
        ordering = ["-date", "-start_time", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="prestatie_times_order"),
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=24 * 60), name="prestatie_minutes_range"),
            models.CheckConstraint(condition=Q(cheques__gte=1), name="prestatie_at_least_one_cheque"),
            models.CheckConstraint(condition=Q(kilometres__gte=0, kilometres__lte=MAX_ROUND_TRIP_KM),
                                   name="prestatie_kilometres_sane"),
            models.CheckConstraint(
                condition=~Q(status="betwist") | ~Q(dispute_reason=""), name="prestatie_dispute_has_reason"
            ),
        ]
        indexes = [
            # A worker's hours under the caps (status and minutes) come from this index alone on PostgreSQL: the
            # candidate ranking adds up a year for every eligible worker.
            models.Index(fields=["worker", "date"], include=["status", "minutes"], name="prestatie_worker_date_idx"),
            models.Index(fields=["organiser", "status", "date"], name="prestatie_queue_idx"),
            models.Index(fields=["client", "status"], name="prestatie_client_idx"),
            models.Index(fields=["organiser"], condition=Q(kilometres_corrected_at__isnull=False),
                         name="prestatie_km_corrected_idx"),
            # The payout run adds up the unpaid work per worker from this index alone (PostgreSQL reads the
            # included columns without visiting the table; other databases ignore `include`).
            models.Index(fields=["organiser", "worker", "date"],
                         include=["id", "cheques", "kilometres", "settlement_status"],
                         condition=Q(status="bevestigd", paid_out=False), name="prestatie_unpaid_idx"),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M}–{self.end_time:%H:%M} {self.worker}"

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[PrestatieStatus(self.status)]

    @property
    def warning_labels(self) -> list[str]:
        labels = dict(HoursWarning.choices)
        return [str(labels[code]) for code in self.warnings or [] if code in labels]

    @property
    def hours_display(self) -> str:
        return f"{self.minutes // 60} u {self.minutes % 60:02d}"


class WorkerMonth(models.Model):
    """The minutes of one worker per month that count towards the caps (`COUNTED_STATUSES`), so the caps of a
    whole pool (the candidate ranking) read at most twelve rows per worker instead of a year of prestaties.

    Kept by the database, never written by the application: the triggers `prestatie_worker_month` (PostgreSQL) and
    `prestatie_worker_month_insert/update/delete` (SQLite) on assignments_prestatie, made by migration
    0017_worker_month. `tests/assignments/test_hours_month.py` compares it with the prestaties themselves.

    Read by worker and month: on PostgreSQL the index `worker_month_caps_idx` holds the minutes too, so the candidate
    ranking reads each scored worker's caps from the index alone (the worker's own index would send it to the
    table for every row). Read by month and minutes (`worker_month_busy_idx`) for the few workers close to a cap
    (`workers_with_minutes_left`)."""

    worker = models.ForeignKey("workers.Worker", related_name="+", on_delete=models.CASCADE, db_index=False)
    month = models.DateField()  # the first day of the month
    minutes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "month"], name="worker_month_unique"),
            models.CheckConstraint(condition=Q(minutes__gte=0), name="worker_month_not_negative"),
            models.CheckConstraint(condition=Q(month__day=1), name="worker_month_first_day"),
        ]
        indexes = [
            models.Index(fields=["worker", "month"], include=["minutes"], name="worker_month_caps_idx"),
            # The workers close to a cap (the worker list's "hours left" filter): a range of the busiest rows.
            models.Index(fields=["month", "minutes"], name="worker_month_busy_idx"),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y} {self.worker_id}: {self.minutes} min"


class HoursMonth(models.Model):
    """The hours that count towards the caps (`COUNTED_STATUSES`) per organiser, municipality of the assignment and
    month, so a chart or a figure of a whole organiser or municipality reads twelve rows instead of a year of
    prestaties.

    Kept by the database, never written by the application: the triggers `prestatie_hours_month` (on
    assignments_prestatie: a prestatie written, cancelled, moved or deleted) and `assignment_hours_month_move` (on
    assignments_assignment: an assignment moved to another municipality), made by migration
    0010_hours_month for PostgreSQL and SQLite. `tests/assignments/test_hours_month.py` compares it with the
    prestaties themselves."""

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.CASCADE)
    municipality = models.ForeignKey("core.Municipality", related_name="+", on_delete=models.CASCADE)
    month = models.DateField()  # the first day of the month
    minutes = models.BigIntegerField(default=0)
    prestaties = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organiser", "municipality", "month"], name="hours_month_unique"),
            models.CheckConstraint(condition=Q(minutes__gte=0, prestaties__gte=0), name="hours_month_not_negative"),
            models.CheckConstraint(condition=Q(month__day=1), name="hours_month_first_day"),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y} {self.municipality_id}: {self.minutes} min"
