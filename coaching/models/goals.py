"""Goals linked to competences, the actions towards them (owned by the worker or the coach, with a due date) and
their review at each measurement. Actions agreed in a coaching note are actions too (linked to the note)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Organiser


class GoalStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACHIEVED = "bereikt", _("achieved")
    STOPPED = "stopgezet", _("stopped")


class Goal(models.Model):
    TRANSITIONS = {
        GoalStatus.OPEN: {GoalStatus.ACHIEVED, GoalStatus.STOPPED},
        GoalStatus.ACHIEVED: {GoalStatus.OPEN},
        GoalStatus.STOPPED: {GoalStatus.OPEN},
    }

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="goals", on_delete=models.PROTECT)
    title = models.CharField(_("goal"), max_length=200)
    competence = models.ForeignKey(
        "coaching.Competence",
        verbose_name=_("competence"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["status", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_on__isnull=True))
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="goal_closed_has_date",
            )
        ]

    def __str__(self):
        return self.title

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[GoalStatus(self.status)]


class ActionOwner(models.TextChoices):
    WORKER = "wijkwerker", _("the worker")
    COACH = "werkcoach", _("the coach")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "gedaan", _("done")
    CANCELLED = "geschrapt", _("cancelled")


class GoalAction(models.Model):
    TRANSITIONS = {
        ActionStatus.OPEN: {ActionStatus.DONE, ActionStatus.CANCELLED},
        ActionStatus.DONE: set(),
        ActionStatus.CANCELLED: set(),
    }

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="goal_actions", on_delete=models.PROTECT)
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), related_name="actions", on_delete=models.PROTECT, null=True, blank=True
    )
    note = models.ForeignKey(
        "coaching.CoachingNote", related_name="actions", on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("who"), max_length=12, choices=ActionOwner.choices)
    due_on = models.DateField(_("by"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(done_on__isnull=True))
                | (~Q(status="open") & Q(done_on__isnull=False)),
                name="goalaction_closed_has_date",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="goalaction_has_description"),
        ]
        indexes = [models.Index(fields=["worker", "status", "due_on"], name="goalaction_due_idx")]

    def __str__(self):
        return self.description

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[ActionStatus(self.status)]


class GoalProgress(models.TextChoices):
    ON_TRACK = "op_koers", _("on track")
    SLOWER = "trager", _("slower than expected")
    ACHIEVED = "bereikt", _("achieved")
    STOPPED = "stopgezet", _("stopped")


class GoalReview(models.Model):
    """A goal reviewed at a measurement: how it goes, and a short comment."""

    goal = models.ForeignKey(Goal, related_name="reviews", on_delete=models.PROTECT)
    measurement = models.ForeignKey("coaching.Measurement", related_name="goal_reviews", on_delete=models.PROTECT)
    progress = models.CharField(_("progress"), max_length=12, choices=GoalProgress.choices)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goal review")
        verbose_name_plural = _("goal reviews")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["goal", "measurement"], name="goalreview_once_per_measurement")]

    def __str__(self):
        return f"{self.goal} · {self.get_progress_display()}"
