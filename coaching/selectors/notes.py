"""Reads on the case file: notes (their text is read only through views that log the read), the read log and
the shared summary."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from wijkwerken.core.models import AuditEntry

from ..models import CoachingNote, SharedSummary


def notes_of(worker) -> QuerySet:
    return (
        CoachingNote.objects.filter(worker=worker)
        .select_related("author", "assignment__client", "assignment__activity")
        .prefetch_related("addenda__author", "actions", "revisions")
    )


def read_log(worker, *, limit: int = 200) -> QuerySet:
    """Who read which note of this worker, and when (newest first)."""
    return (
        AuditEntry.objects.filter(
            action="coaching_note.read",
            content_type=ContentType.objects.get_for_model(CoachingNote),
            changes__worker=worker.pk,
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def latest_summary(worker) -> SharedSummary | None:
    return SharedSummary.objects.filter(worker=worker).select_related("written_by").first()
