"""Wijk-werkers and their trajectories.

Dates are inclusive: a trajectory runs from `start_date` up to and including `end_date`; a suspension from
`start_date` up to and including `end_date`. A planned length of N months ends the day before the same day
N months later (1 January + 6 months ends on 30 June).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import add_months
from wijkwerken.core.identity import format_national_number, mask_national_number, validate_national_number
from wijkwerken.core.models import Municipality, Organiser
from wijkwerken.core.validators import validate_iban


class Referral(models.TextChoices):
    VDAB = "vdab", _("VDAB (job seeker)")
    OCMW = "ocmw", _("OCMW (leefloner)")


class Mobility(models.TextChoices):
    FOOT = "foot", _("on foot")
    BIKE = "bike", _("bicycle")
    CAR = "car", _("car")
    PUBLIC_TRANSPORT = "public_transport", _("public transport")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    ARABIC = "ar", _("Arabic")
    TURKISH = "tr", _("Turkish")
    SPANISH = "es", _("Spanish")
    POLISH = "pl", _("Polish")
    ROMANIAN = "ro", _("Romanian")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")
    TIGRINYA = "ti", _("Tigrinya")
    DARI = "prs", _("Dari")
    SOMALI = "so", _("Somali")


class Certificate(models.TextChoices):
    CHILDCARE = "childcare", _("childcare certificate")
    FIRST_AID = "first_aid", _("first aid")
    DRIVING_LICENCE_B = "driving_licence_b", _("driving licence B")
    VCA = "vca", _("VCA safety certificate")
    FOOD_HYGIENE = "food_hygiene", _("food hygiene")
    CHAINSAW = "chainsaw", _("chainsaw and garden machinery")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DayPart(models.TextChoices):
    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")
    EVENING = "evening", _("evening")


class ActivityKind(models.TextChoices):
    SKILL = "skill", _("skill")
    INTEREST = "interest", _("interest")


class WorkerStatus(models.TextChoices):
    """Where a worker stands, derived from their trajectories (see `selectors.with_status`)."""

    NEW = "new", _("no trajectory yet")
    ACTIVE = "active", _("in trajectory")
    SUSPENDED = "suspended", _("suspended")
    ENDED = "ended", _("trajectory ended")


class WorkerQuerySet(models.QuerySet):
    def of_organiser(self, organiser):
        return self.filter(organiser=organiser)


class Worker(models.Model):
    """A wijk-werker registered with an organiser. Personal data: shown only to the organiser's staff."""

    organiser = models.ForeignKey(Organiser, related_name="workers", on_delete=models.PROTECT)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), related_name="workers", on_delete=models.PROTECT
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    national_number = models.CharField(
        _("national register number or BIS number"), max_length=11, validators=[validate_national_number]
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(
        _("postcode"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("A postcode has 4 digits."), code="invalid_postcode")],
    )
    city = models.CharField(_("city or borough"), max_length=100)

    referral = models.CharField(_("referred by"), max_length=10, choices=Referral.choices)
    referrer_name = models.CharField(_("referring person"), max_length=200)
    referral_date = models.DateField(_("date of the referral"))
    consent_signed_on = models.DateField(_("consent signed on"), null=True, blank=True)

    languages = models.JSONField(_("languages"), default=list, blank=True)
    mobility = models.JSONField(_("mobility"), default=list, blank=True)
    max_distance_km = models.PositiveSmallIntegerField(
        _("maximum travel distance (km)"), default=5, validators=[MaxValueValidator(200)]
    )
    certificates = models.JSONField(_("certificates"), default=list, blank=True)
    iban = models.CharField(_("IBAN for payouts"), max_length=42, blank=True, validators=[validate_iban])
    ex_pwa = models.BooleanField(
        _("ex-PWA (transitional measure)"),
        default=False,
        help_text=_("Had a PWA contract on 30 September 2017: the trajectory has no maximum length."),
    )
    notes = models.TextField(_("notes"), blank=True)

    bemiddelaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        related_name="mediated_workers",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("work coach"),
        related_name="coached_workers",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        related_name="worker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    agreement_pdf = models.FileField(
        _("wijk-werkovereenkomst"), upload_to="workers/agreements/", blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once the personal data were anonymised (wijkwerken.privacy); the row stays for the statistics.
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("wijk-werker")
        verbose_name_plural = _("wijk-werkers")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "national_number"], name="worker_unique_national_number"),
            models.CheckConstraint(condition=Q(max_distance_km__lte=200), name="worker_max_distance_sane"),
        ]
        indexes = [
            models.Index(fields=["organiser", "last_name", "first_name"], name="worker_name_idx"),
            # Index-only semi- and anti-joins on the trajectories for the counts per status (selectors.status_counts).
            models.Index(fields=["organiser", "id"], name="worker_organiser_pk_idx"),
            models.Index(fields=["organiser", "municipality", "id"], name="worker_municipality_pk_idx"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return str(self)

    @property
    def national_number_display(self):
        return format_national_number(self.national_number)

    @property
    def national_number_masked(self):
        return mask_national_number(self.national_number)

    def get_languages_display(self):
        labels = dict(Language.choices)
        return [labels.get(code, code) for code in self.languages]

    def get_mobility_display(self):
        labels = dict(Mobility.choices)
        return [labels.get(code, code) for code in self.mobility]

    def get_certificates_display(self):
        labels = dict(Certificate.choices)
        return [labels.get(code, code) for code in self.certificates]


class WorkerActivity(models.Model):
    """A skill or interest of a worker, by main activity (hoofdactiviteit) of the activity list."""

    worker = models.ForeignKey(Worker, related_name="activities", on_delete=models.CASCADE)
    activity = models.CharField(_("main activity"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices)

    class Meta:
        verbose_name = _("skill or interest")
        verbose_name_plural = _("skills and interests")
        constraints = [models.UniqueConstraint(fields=["worker", "activity", "kind"], name="workeractivity_unique")]
        # Who has the skill or interest for a main activity: the candidate ranking asks it for the whole pool.
        indexes = [models.Index(fields=["activity", "kind", "worker"], name="workeractivity_activity_idx")]

    def __str__(self):
        from .activities import main_activity_name

        return main_activity_name(self.activity)


class Availability(models.Model):
    """One weekly slot (weekday × part of the day) in which the worker is available."""

    # No index of its own: the unique slot index leads with the worker and holds every column, so the candidate
    # ranking counts a worker's matching slots from the index alone.
    worker = models.ForeignKey(Worker, related_name="availability", on_delete=models.CASCADE, db_index=False)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    part = models.CharField(_("part of the day"), max_length=10, choices=DayPart.choices)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["weekday", "part"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "weekday", "part"], name="availability_unique_slot"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="availability_weekday_range"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.get_part_display()}"

    @property
    def slot(self):
        return f"{self.weekday}-{self.part}"


class OutflowReason(models.TextChoices):
    WORK = "werk", _("work")
    TRAINING = "opleiding", _("training")
    INTERNSHIP = "stage", _("internship (stage/IBO)")
    WORK_CARE = "werk_zorg", _("work-care trajectory")
    TERM_ENDED = "einde_termijn", _("end of term")
    STOPPED = "stopgezet", _("stopped")
    ILLNESS = "ziekte", _("illness")
    MOVED = "verhuis", _("moved")
    OTHER = "ander", _("other")


# The last day of an open-ended (ex-PWA) trajectory, where a date is needed to compare or sort.
OPEN_END = datetime.date.max


class TrajectoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=TrajectoryStatus.ACTIVE)

    def covering(self, day):
        """The trajectories in which work may be done on `day`: started, and not ended before it. An active ex-PWA
        trajectory (no latest end date) has no end."""
        return self.filter(start_date__lte=day).filter(
            Q(status=TrajectoryStatus.ACTIVE) & (Q(max_end_date__isnull=True) | Q(end_date__gte=day))
            | Q(ended_on__gte=day)
        )

    def with_last_day(self):
        """Annotate `last` (see `Trajectory.last_day`) in SQL."""
        return self.annotate(last=Case(
            When(status=TrajectoryStatus.ACTIVE, max_end_date__isnull=True, then=Value(OPEN_END)),
            default=Coalesce("ended_on", "end_date"), output_field=models.DateField(),
        ))

    def ending_within(self, *, today, days):
        """Active trajectories that end by themselves within `days` (ex-PWA trajectories have no end)."""
        return self.active().filter(worker__ex_pwa=False, end_date__lte=today + datetime.timedelta(days=days))


class TrajectoryStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    ENDED = "ended", _("ended")


class Trajectory(models.Model):
    """One wijk-werken trajectory. A worker has at most one active trajectory; ended ones stay as history."""

    TRANSITIONS = {TrajectoryStatus.ACTIVE: {TrajectoryStatus.ENDED}, TrajectoryStatus.ENDED: set()}

    organiser = models.ForeignKey(Organiser, related_name="trajectories", on_delete=models.PROTECT)
    worker = models.ForeignKey(Worker, related_name="trajectories", on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=10, choices=TrajectoryStatus.choices,
                              default=TrajectoryStatus.ACTIVE)
    start_date = models.DateField(_("start date"))
    planned_end_date = models.DateField(_("planned end date"), help_text=_("The end date at the start."))
    end_date = models.DateField(_("end date"), help_text=_("Moved by extensions and suspensions."))
    max_end_date = models.DateField(
        _("latest possible end date"),
        null=True,
        blank=True,
        help_text=_("The maximum length plus suspensions; empty for ex-PWA workers."),
    )
    evaluation_due_on = models.DateField(_("next evaluation"))
    last_evaluated_on = models.DateField(_("last evaluation"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outflow_reason = models.CharField(_("outflow reason"), max_length=20, choices=OutflowReason.choices, blank=True)
    end_note = models.TextField(_("note at the end"), blank=True)

    # What the clock already did, so a second run changes nothing: the end date (or evaluation date) for
    # which the warning (reminder) was sent. A moved date makes the clock warn again.
    end_warning_sent_for = models.DateField(null=True, blank=True, editable=False)
    evaluation_reminded_for = models.DateField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"], condition=Q(status="active"), name="trajectory_one_active_per_worker"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="trajectory_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__gte=models.F("start_date")),
                name="trajectory_planned_after_start",
            ),
            models.CheckConstraint(
                condition=Q(max_end_date__isnull=True) | Q(end_date__lte=models.F("max_end_date")),
                name="trajectory_end_within_cap",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="active", ended_on__isnull=True, outflow_reason="")
                    | (Q(status="ended", ended_on__isnull=False) & ~Q(outflow_reason=""))
                ),
                name="trajectory_end_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_date")),
                name="trajectory_ended_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["organiser", "status", "end_date"], name="trajectory_clock_idx"),
            # Only the rows concerned: active trajectories by next evaluation, ended ones by end (outflow per year).
            models.Index(fields=["organiser", "evaluation_due_on"], condition=Q(status="active"),
                         name="trajectory_evaluation_due_idx"),
            models.Index(fields=["organiser", "ended_on"], condition=Q(status="ended"), name="trajectory_ended_on_idx"),
        ]

    def __str__(self):
        return str(_("Trajectory of %(worker)s from %(date)s")) % {
            "worker": self.worker,
            "date": self.start_date.strftime("%d/%m/%Y"),
        }

    def can_transition(self, status) -> bool:
        return status in self.TRANSITIONS[TrajectoryStatus(self.status)]

    def can_end(self) -> bool:
        return self.can_transition(TrajectoryStatus.ENDED)

    @property
    def is_active(self):
        return self.status == TrajectoryStatus.ACTIVE

    @property
    def is_open_ended(self) -> bool:
        """An active ex-PWA trajectory (no latest end date): the law gives it no end."""
        return self.is_active and self.max_end_date is None

    @property
    def last_day(self):
        """The last day hours may be registered: the actual end if ended, none for an open-ended (ex-PWA)
        trajectory, the scheduled end otherwise."""
        if self.ended_on:
            return self.ended_on
        return OPEN_END if self.is_open_ended else self.end_date

    def covers(self, day) -> bool:
        return self.start_date <= day <= self.last_day


class Suspension(models.Model):
    """A period in which the trajectory clock pauses; the end date moves by its length."""

    trajectory = models.ForeignKey(Trajectory, related_name="suspensions", on_delete=models.CASCADE)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("up to and including"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="suspension_end_after_start")
        ]
        # The suspensions that cover a day are among the few that end on it or later.
        indexes = [models.Index(fields=["end_date", "start_date"], name="suspension_current_idx")]

    def __str__(self):
        return f"{self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class Extension(models.Model):
    """An extension of the trajectory: the end date moved from `previous_end_date` to `new_end_date`."""

    trajectory = models.ForeignKey(Trajectory, related_name="extensions", on_delete=models.CASCADE)
    previous_end_date = models.DateField(_("previous end date"))
    new_end_date = models.DateField(_("new end date"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_end_date__gt=models.F("previous_end_date")), name="extension_moves_end_later"
            )
        ]

    def __str__(self):
        return f"{self.previous_end_date:%d/%m/%Y} → {self.new_end_date:%d/%m/%Y}"


class Evaluation(models.Model):
    """The six-monthly evaluation by the bemiddelaar."""

    trajectory = models.ForeignKey(Trajectory, related_name="evaluations", on_delete=models.CASCADE)
    evaluated_on = models.DateField(_("evaluated on"))
    note = models.TextField(_("summary"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["evaluated_on"]

    def __str__(self):
        return f"{self.evaluated_on:%d/%m/%Y}"


# The outcome of an ended trajectory is followed up this many months after the end.
FOLLOW_UP_MONTHS = (3, 6)


class FollowUp(models.Model):
    """The outcome of an ended trajectory, checked 3 and 6 months after the end."""

    trajectory = models.ForeignKey(Trajectory, related_name="follow_ups", on_delete=models.CASCADE)
    months_after = models.PositiveSmallIntegerField(_("months after the end"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    situation = models.CharField(_("situation"), max_length=20, choices=OutflowReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "months_after"], name="followup_one_per_moment"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(situation=""), name="followup_done_has_situation"
            ),
        ]
        # Only the follow-ups still to do, in the order the panels list them.
        indexes = [models.Index(fields=["due_on"], include=["trajectory"], condition=Q(done_on__isnull=True),
                                name="followup_pending_due_idx")]

    def __str__(self):
        return str(_("Follow-up after %(months)s months")) % {"months": self.months_after}

    @classmethod
    def for_ended_trajectory(cls, trajectory_id, ended_on) -> list["FollowUp"]:
        """The (unsaved) follow-ups of a trajectory that ended on `ended_on`."""
        return [cls(trajectory_id=trajectory_id, months_after=months, due_on=add_months(ended_on, months))
                for months in FOLLOW_UP_MONTHS]


class InterimWork(models.Model):
    """Interim (temp agency) work. Too many days in a rolling period end the right to wijk-werken."""

    worker = models.ForeignKey(Worker, related_name="interim_work", on_delete=models.CASCADE)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("up to and including"))
    employer = models.CharField(_("interim agency or employer"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interim work")
        verbose_name_plural = _("interim work")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="interim_end_after_start")
        ]

    def __str__(self):
        return f"{self.employer} {self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1
