"""The confidential case file: coaching notes (a workplace visit is a note too), their addenda and the earlier
versions of corrected notes, and the shared summary, the one coaching text that leaves the coaching room.

Only the worker's coaches (and a beheerder with a grant) read a note's text, and every read is written to the audit
log. A note is corrected only by its author within 24 hours; after that only an addendum is possible. Notes,
addenda and revisions are never deleted: database triggers refuse it (migration 0002_case_file_append_only), and
addenda and revisions cannot be changed either.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wijkwerken.core.models import Organiser

CORRECTION_WINDOW = datetime.timedelta(hours=24)
MAX_NOTE_MINUTES = 8 * 60


class NoteKind(models.TextChoices):
    CONVERSATION = "gesprek", _("conversation")
    PHONE = "telefonisch", _("phone call")
    WORKPLACE_VISIT = "werkplekbezoek", _("workplace visit")
    GROUP_SESSION = "groepssessie", _("group session")
    OTHER = "ander", _("other")


# The kinds a coach chooses in the note form; a workplace visit has its own form (it names the assignment).
NOTE_FORM_KINDS = [(k.value, k.label) for k in NoteKind if k != NoteKind.WORKPLACE_VISIT]


class CoachingNote(models.Model):
    """One contact with the worker. Its `__str__` never shows the text: it ends up in the audit log."""

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="coaching_notes", on_delete=models.PROTECT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), related_name="+", on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_NOTE_MINUTES)]
    )
    text = models.TextField(pgettext_lazy("coaching", "note"))
    # A workplace visit: the assignment visited and what the client's contact person and the worker said.
    assignment = models.ForeignKey(
        "assignments.Assignment",
        verbose_name=_("assignment"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    contact_person_said = models.TextField(_("what the client's contact person said"), blank=True)
    worker_said = models.TextField(_("what the worker said"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")
        ordering = ["-date", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_NOTE_MINUTES),
                name="coachingnote_duration_range",
            ),
            models.CheckConstraint(
                condition=(Q(kind="werkplekbezoek") & Q(assignment__isnull=False))
                | (~Q(kind="werkplekbezoek") & Q(assignment__isnull=True, contact_person_said="", worker_said="")),
                name="coachingnote_visit_has_assignment",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="coachingnote_has_text"),
        ]
        indexes = [models.Index(fields=["worker", "date"], name="coachingnote_worker_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y} · {self.worker}"

    @property
    def is_visit(self) -> bool:
        return self.kind == NoteKind.WORKPLACE_VISIT

    @property
    def correctable_until(self) -> datetime.datetime:
        return self.created_at + CORRECTION_WINDOW

    def can_correct(self, user, *, now: datetime.datetime | None = None) -> bool:
        """Only the author, and only within 24 hours of writing it."""
        now = now or timezone.now()
        return user.pk == self.author_id and now < self.correctable_until


class NoteRevision(models.Model):
    """What a note said before its author corrected it (a correction never loses the earlier text)."""

    note = models.ForeignKey(CoachingNote, related_name="revisions", on_delete=models.PROTECT)
    kind = models.CharField(max_length=20, choices=NoteKind.choices)
    date = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField()
    text = models.TextField()
    contact_person_said = models.TextField(blank=True)
    worker_said = models.TextField(blank=True)
    replaced_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("earlier version of a note")
        verbose_name_plural = _("earlier versions of notes")
        ordering = ["replaced_at", "id"]

    def __str__(self):
        return f"{self.note} ({self.replaced_at:%d/%m/%Y %H:%M})"


class NoteAddendum(models.Model):
    """An addition to a note after its correction window: the case file only grows."""

    note = models.ForeignKey(CoachingNote, related_name="addenda", on_delete=models.PROTECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    text = models.TextField(_("addendum"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="noteaddendum_has_text")]

    def __str__(self):
        return f"{self.note} · {self.created_at:%d/%m/%Y %H:%M}"


class SharedSummary(models.Model):
    """What the coach shares with the bemiddelaar. Each version is kept; the latest is shown."""

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="shared_summaries", on_delete=models.PROTECT)
    text = models.TextField(_("shared summary"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("shared summary")
        verbose_name_plural = _("shared summaries")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="sharedsummary_has_text")]

    def __str__(self):
        return str(_("Shared summary of %(worker)s")) % {"worker": self.worker}
