"""Who coaches whom: the history of a worker's coaches, the organiser's coaching settings and the beheerder's
access to a worker's notes.

The current coach is `Worker.coach` (the workers app owns it and its clock warns that coach); `CoachPeriod`
keeps the history, so a former coach keeps read-only access to what they wrote and read before.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Organiser


class CoachingSettings(models.Model):
    """The organiser's choices for the caseload; an organiser without a row uses the defaults."""

    organiser = models.OneToOneField(Organiser, related_name="coaching_settings", on_delete=models.CASCADE)
    no_contact_weeks = models.PositiveSmallIntegerField(
        _("flag a worker without contact after (weeks)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    measurement_interval_months = models.PositiveSmallIntegerField(
        _("measure competences every (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    ending_soon_days = models.PositiveSmallIntegerField(
        _("flag a trajectory that ends within (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    FIELDS = ("no_contact_weeks", "measurement_interval_months", "ending_soon_days")

    class Meta:
        verbose_name = _("coaching settings")
        verbose_name_plural = _("coaching settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(no_contact_weeks__gte=1, no_contact_weeks__lte=26), name="coaching_settings_weeks_range"
            ),
            models.CheckConstraint(
                condition=Q(measurement_interval_months__gte=1, measurement_interval_months__lte=12),
                name="coaching_settings_interval_range",
            ),
            models.CheckConstraint(
                condition=Q(ending_soon_days__gte=1, ending_soon_days__lte=120),
                name="coaching_settings_ending_range",
            ),
        ]

    def __str__(self):
        return str(_("Coaching settings of %(organiser)s")) % {"organiser": self.organiser}

    @classmethod
    def for_organiser(cls, organiser_id) -> "CoachingSettings":
        """The stored settings, or the defaults (unsaved) when the organiser never changed them."""
        return cls.objects.filter(organiser_id=organiser_id).first() or cls(organiser_id=organiser_id)


class CoachPeriod(models.Model):
    """A period in which `coach` coached `worker`. The open period (no end) belongs to the current coach."""

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="coach_periods", on_delete=models.PROTECT)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("work coach"), related_name="+", on_delete=models.PROTECT
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coaching period")
        verbose_name_plural = _("coaching periods")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"], condition=Q(ended_on__isnull=True), name="coachperiod_one_open_per_worker"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="coachperiod_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["coach", "worker"], name="coachperiod_coach_idx")]

    def __str__(self):
        return f"{self.coach} · {self.worker}"


class NoteAccessGrant(models.Model):
    """A beheerder may read one worker's notes (read-only) when the worker's coach grants it, with a reason."""

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="note_access_grants", on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("administrator"), related_name="+", on_delete=models.PROTECT
    )
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("access to coaching notes")
        verbose_name_plural = _("access to coaching notes")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "user"], condition=Q(revoked_at__isnull=True), name="noteaccess_one_open_grant"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="noteaccess_has_reason"),
        ]

    def __str__(self):
        return str(_("Access for %(user)s to the notes of %(worker)s")) % {"user": self.user, "worker": self.worker}

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None
