"""The organiser's own competence framework (generic soft skills on a 5-level scale, versioned) and the
measurements: the coach and the worker each score every competence, side by side.

A published framework version never changes (measurements refer to it); a change is a new version, drafted as a
copy of the current one and published. A competence keeps its `key` across versions, so charts over time line
up measurements taken on different versions.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Organiser

SCALE = (1, 2, 3, 4, 5)


class CompetenceFramework(models.Model):
    organiser = models.ForeignKey(Organiser, related_name="competence_frameworks", on_delete=models.PROTECT)
    version = models.PositiveSmallIntegerField(_("version"))
    published_on = models.DateField(_("in use since"), null=True, blank=True, help_text=_("Empty for a draft."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("competence framework")
        verbose_name_plural = _("competence frameworks")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "version"], name="framework_unique_version"),
            models.UniqueConstraint(
                fields=["organiser"], condition=Q(published_on__isnull=True), name="framework_one_draft"
            ),
        ]

    def __str__(self):
        return str(_("Competence framework version %(version)s")) % {"version": self.version}

    @property
    def is_draft(self) -> bool:
        return self.published_on is None


class Competence(models.Model):
    """One soft skill with a description per level (1 to 5), so two coaches score alike."""

    framework = models.ForeignKey(CompetenceFramework, related_name="competences", on_delete=models.PROTECT)
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("what it is about"), max_length=300)
    levels = models.JSONField(_("description per level"), default=list)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["framework", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="competence_unique_key")]

    def __str__(self):
        return self.name

    def clean(self):
        levels = self.levels if isinstance(self.levels, list) else []
        if len(levels) != len(SCALE) or not all(isinstance(text, str) and text.strip() for text in levels):
            raise ValidationError(
                {"levels": ValidationError(_("Describe each of the five levels."), code="levels_incomplete")}
            )

    def level_rows(self):
        return list(zip(SCALE, self.levels, strict=False))


class MeasurementMoment(models.TextChoices):
    INTAKE = "intake", _("intake")
    PERIODIC = "tussentijds", _("every six months")
    END = "einde", _("end of the trajectory")
    REQUEST = "op_vraag", _("on request")


class Rater(models.TextChoices):
    COACH = "coach", _("coach")
    SELF = "zelf", _("self-assessment")


class Measurement(models.Model):
    """A moment at which the competences are scored, by the coach and by the worker themselves."""

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="measurements", on_delete=models.PROTECT)
    trajectory = models.ForeignKey(
        "workers.Trajectory", related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    framework = models.ForeignKey(CompetenceFramework, related_name="measurements", on_delete=models.PROTECT)
    moment = models.CharField(_("moment"), max_length=20, choices=MeasurementMoment.choices)
    taken_on = models.DateField(_("date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    coach_scored_at = models.DateTimeField(null=True, blank=True, editable=False)
    coach_scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    self_scored_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("competence measurement")
        verbose_name_plural = _("competence measurements")
        ordering = ["-taken_on", "-id"]
        constraints = [
            # One intake and one end measurement per trajectory.
            models.UniqueConstraint(
                fields=["trajectory", "moment"],
                condition=Q(moment__in=["intake", "einde"]),
                name="measurement_one_intake_and_end",
            ),
        ]
        indexes = [models.Index(fields=["worker", "taken_on"], name="measurement_worker_idx")]

    def __str__(self):
        return f"{self.get_moment_display()} {self.taken_on:%d/%m/%Y} · {self.worker}"

    @property
    def is_coach_scored(self) -> bool:
        return self.coach_scored_at is not None

    @property
    def is_self_scored(self) -> bool:
        return self.self_scored_at is not None


class Score(models.Model):
    measurement = models.ForeignKey(Measurement, related_name="scores", on_delete=models.CASCADE)
    competence = models.ForeignKey(Competence, related_name="+", on_delete=models.PROTECT)
    rater = models.CharField(max_length=10, choices=Rater.choices)
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["measurement", "competence", "rater"], name="score_one_per_rater"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="score_level_on_scale"),
        ]

    def __str__(self):
        return f"{self.competence}: {self.level}"
