"""The confidential case file: writing, correcting (author, 24 hours) and adding to notes, workplace visits,
logging every read of a note's text, and the shared summary for the bemiddelaar.

A note's text never goes into an audit entry or a notification: those are seen outside the coaching room.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerken.core.audit import audit_log, audit_log_objects
from wijkwerken.core.dates import today as get_today
from workers.models import Worker
from workers.selectors import worker_url

from ..models import CoachingNote, NoteAddendum, NoteKind, NoteRevision, SharedSummary
from .common import error, fmt, notify, require_current_coach
from .goals import goal_action_add

NOTE_FIELDS = ("kind", "date", "duration_minutes", "text")
VISIT_FIELDS = ("contact_person_said", "worker_said")


def _check_date(day) -> None:
    if day > get_today():
        raise error(
            _("A note is about a contact that took place: the date cannot be in the future."), "future", "date"
        )


def _save_note(note: CoachingNote, *, actions, actor) -> CoachingNote:
    note.full_clean()
    note.save()
    for action in actions or ():
        goal_action_add(worker=note.worker, note=note, actor=actor, **action)
    audit_log(
        actor=actor,
        action="coaching_note.create",
        obj=note,
        organiser=note.worker.organiser,
        summary=_("Coaching note written (%(kind)s of %(date)s)")
        % {"kind": note.get_kind_display(), "date": fmt(note.date)},
        changes={"worker": note.worker_id},
    )
    return note


def note_create(
    *, worker: Worker, kind: str, date, duration_minutes: int, text: str, actions=(), actor
) -> CoachingNote:
    """A note by the worker's current coach; `actions` are agreed actions (description, owner, due_on)."""
    if kind not in NoteKind.values or kind == NoteKind.WORKPLACE_VISIT:
        raise error(_("Choose the kind of contact."), "invalid_kind", "kind")
    _check_date(date)
    with transaction.atomic():
        worker = Worker.objects.select_for_update(of=("self",)).select_related("organiser").get(pk=worker.pk)
        require_current_coach(actor, worker)
        note = CoachingNote(
            organiser_id=worker.organiser_id,
            worker=worker,
            author=actor,
            kind=kind,
            date=date,
            duration_minutes=duration_minutes,
            text=text,
        )
        return _save_note(note, actions=actions, actor=actor)


def visit_record(
    *, worker: Worker, assignment, date, duration_minutes: int, text: str, contact_person_said: str,
    worker_said: str, actions=(), actor,
) -> CoachingNote:
    """A workplace visit to one of the worker's assignments; it counts as contact like any note."""
    _check_date(date)
    with transaction.atomic():
        worker = Worker.objects.select_for_update(of=("self",)).select_related("organiser").get(pk=worker.pk)
        require_current_coach(actor, worker)
        if assignment is None or assignment.worker_id != worker.pk or assignment.organiser_id != worker.organiser_id:
            raise error(_("Choose one of this worker's assignments."), "foreign_assignment", "assignment")
        if date < assignment.start_date:
            raise error(
                _("The assignment starts on %(date)s; a visit comes after that.")
                % {"date": fmt(assignment.start_date)},
                "before_assignment",
                "date",
            )
        note = CoachingNote(
            organiser_id=worker.organiser_id,
            worker=worker,
            author=actor,
            kind=NoteKind.WORKPLACE_VISIT,
            date=date,
            duration_minutes=duration_minutes,
            text=text,
            assignment=assignment,
            contact_person_said=contact_person_said,
            worker_said=worker_said,
        )
        return _save_note(note, actions=actions, actor=actor)


def note_correct(*, note: CoachingNote, actor, **fields) -> CoachingNote:
    """Only the author corrects a note, within 24 hours of writing it; the earlier version is kept."""
    allowed = set(NOTE_FIELDS) | set(VISIT_FIELDS)
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"note_correct() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        note = CoachingNote.objects.select_for_update(of=("self",)).select_related("worker__organiser").get(pk=note.pk)
        if note.author_id != actor.pk:
            raise error(_("Only the author can correct a note; add an addendum instead."), "not_author")
        if not note.can_correct(actor):
            raise error(
                _("A note can be corrected only within 24 hours of writing it; add an addendum instead."),
                "correction_window_closed",
            )
        if "kind" in fields:
            wanted = fields["kind"]
            if (wanted == NoteKind.WORKPLACE_VISIT) != note.is_visit or wanted not in NoteKind.values:
                raise error(_("Choose the kind of contact."), "invalid_kind", "kind")
        if "date" in fields:
            _check_date(fields["date"])
        before = {name: getattr(note, name) for name in allowed}
        for name, value in fields.items():
            setattr(note, name, value)
        changed = [name for name in sorted(allowed) if getattr(note, name) != before[name]]
        if not changed:
            return note
        note.full_clean()
        NoteRevision.objects.create(note=note, **before)
        note.corrected_at = timezone.now()
        note.save(update_fields=[*changed, "corrected_at"])
        labels = ", ".join(str(CoachingNote._meta.get_field(name).verbose_name) for name in changed)
        audit_log(
            actor=actor,
            action="coaching_note.correct",
            obj=note,
            organiser=note.worker.organiser,
            summary=_("Coaching note corrected by its author"),
            changes={"worker": note.worker_id, "corrected": labels},  # which fields, never their text
        )
    return note


def note_addendum_add(*, note: CoachingNote, text: str, actor) -> NoteAddendum:
    """After the correction window the case file only grows: the current coach adds an addendum."""
    with transaction.atomic():
        note = CoachingNote.objects.select_for_update(of=("self",)).select_related("worker__organiser").get(pk=note.pk)
        require_current_coach(actor, note.worker)
        addendum = NoteAddendum(note=note, author=actor, text=(text or "").strip())
        addendum.full_clean()
        addendum.save()
        audit_log(
            actor=actor,
            action="coaching_note.addendum",
            obj=note,
            organiser=note.worker.organiser,
            summary=_("Addendum to a coaching note"),
            changes={"worker": note.worker_id},
        )
    return addendum


def notes_log_read(*, notes, actor) -> int:
    """Write one audit entry per note whose text `actor` is shown (who, when, which note). One INSERT."""
    notes = list(notes)
    return audit_log_objects(
        (actor, "coaching_note.read", _("Coaching note read"), note, {"worker": note.worker_id}) for note in notes
    )


def shared_summary_write(*, worker: Worker, text: str, actor) -> SharedSummary:
    """The coach's summary for the bemiddelaar: the only coaching text that leaves the coaching room."""
    with transaction.atomic():
        worker = (Worker.objects.select_for_update(of=("self",)).select_related("organiser", "bemiddelaar")
                  .get(pk=worker.pk))
        require_current_coach(actor, worker)
        summary = SharedSummary(
            organiser_id=worker.organiser_id, worker=worker, text=(text or "").strip(), written_by=actor
        )
        summary.full_clean()
        summary.save()
        audit_log(
            actor=actor,
            action="coaching.shared_summary",
            obj=summary,
            organiser=worker.organiser,
            summary=_("Shared summary written for %(worker)s") % {"worker": worker},
            changes={"worker": worker.pk},
        )
        if worker.bemiddelaar is not None:
            notify(
                [
                    (
                        worker.bemiddelaar,
                        f"coaching-summary:{summary.pk}",
                        _("The work coach wrote a new summary for %(worker)s.") % {"worker": worker},
                        worker_url(worker.pk),
                    )
                ]
            )
    return summary
