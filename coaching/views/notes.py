"""The confidential case file. Every page that shows a note's text writes one audit entry per note shown."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.models import Assignment

from .. import services
from ..forms.caseload import NoteAccessGrantForm
from ..forms.notes import ActionFormSet, AddendumForm, NoteCorrectForm, NoteForm, SharedSummaryForm, VisitForm
from ..models import NoteAccessGrant
from ..selectors.access import Relation, readable_notes
from ..selectors.notes import latest_summary, notes_of, read_log
from .common import file_roles_required, open_file, run_service

NOTES_PER_PAGE = 20


def _status(request):
    return 400 if request.method == "POST" else 200


@file_roles_required
def note_list(request, pk):
    worker, relation = open_file(request.user, pk, notes=True)
    page = Paginator(notes_of(worker), NOTES_PER_PAGE).get_page(request.GET.get("page"))
    services.notes_log_read(notes=page.object_list, actor=request.user)
    return render(request, "coaching/note_list.html", {
        "worker": worker, "page": page, "relation": relation.value,
        "can_write": relation == Relation.CURRENT, "user_id": request.user.pk,
    })


@file_roles_required
def note_detail(request, note_pk):
    note = get_object_or_404(readable_notes(request.user).select_related("worker", "author"), pk=note_pk)
    worker, relation = open_file(request.user, note.worker_id, notes=True)
    services.notes_log_read(notes=[note], actor=request.user)
    return render(request, "coaching/note_detail.html", {
        "worker": worker, "note": note, "relation": relation.value,
        "can_correct": note.can_correct(request.user), "can_add": relation == Relation.CURRENT,
        "addendum_form": AddendumForm(),
    })


@file_roles_required
def note_create(request, pk):
    worker, _relation = open_file(request.user, pk, write=True)
    form = NoteForm(request.POST or None)
    actions = ActionFormSet(request.POST or None, prefix="actie")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        agreed = [a for a in (f.action() for f in actions) if a]
        response = run_service(
            request, form,
            lambda: services.note_create(worker=worker, actor=request.user, actions=agreed, **form.cleaned_data),
            _("The note was saved."), redirect_to=("coaching:note_list", worker.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/note_form.html", {
        "worker": worker, "form": form, "actions": actions, "title": _("New coaching note"),
    }, status=_status(request))


@file_roles_required
def visit_create(request, pk):
    worker, _relation = open_file(request.user, pk, write=True)
    assignments = Assignment.objects.filter(worker=worker, organiser_id=worker.organiser_id).select_related(
        "client", "activity").order_by("-start_date")
    form = VisitForm(request.POST or None, assignments=assignments)
    actions = ActionFormSet(request.POST or None, prefix="actie")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        agreed = [a for a in (f.action() for f in actions) if a]
        response = run_service(
            request, form,
            lambda: services.visit_record(worker=worker, actor=request.user, actions=agreed, **form.cleaned_data),
            _("The workplace visit was saved."), redirect_to=("coaching:note_list", worker.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/note_form.html", {
        "worker": worker, "form": form, "actions": actions, "title": _("Workplace visit"),
        "no_assignments": not assignments.exists(),
    }, status=_status(request))


@file_roles_required
def note_correct(request, note_pk):
    note = get_object_or_404(readable_notes(request.user).select_related("worker"), pk=note_pk)
    worker, _relation = open_file(request.user, note.worker_id, notes=True)
    if note.author_id != request.user.pk:
        raise PermissionDenied
    initial = {name: getattr(note, name) for name in ("kind", "date", "duration_minutes", "text",
                                                       "contact_person_said", "worker_said")}
    form = NoteCorrectForm(request.POST or None, visit=note.is_visit, initial=initial)
    if request.method == "GET":
        services.notes_log_read(notes=[note], actor=request.user)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form, lambda: services.note_correct(note=note, actor=request.user, **form.cleaned_data),
            _("The note was corrected."), redirect_to=("coaching:note_detail", note.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/note_correct.html", {
        "worker": worker, "note": note, "form": form, "can_correct": note.can_correct(request.user),
    }, status=_status(request))


@file_roles_required
@require_POST
def note_addendum(request, note_pk):
    note = get_object_or_404(readable_notes(request.user).select_related("worker", "author"), pk=note_pk)
    worker, relation = open_file(request.user, note.worker_id, write=True)
    form = AddendumForm(request.POST)
    if form.is_valid():
        response = run_service(
            request, form,
            lambda: services.note_addendum_add(note=note, actor=request.user, **form.cleaned_data),
            _("The addendum was added."), redirect_to=("coaching:note_detail", note.pk),
        )
        if response is not None:
            return response
    services.notes_log_read(notes=[note], actor=request.user)
    return render(request, "coaching/note_detail.html", {
        "worker": worker, "note": note, "relation": relation.value, "can_correct": note.can_correct(request.user),
        "can_add": True, "addendum_form": form,
    }, status=400)


@file_roles_required
def read_log_view(request, pk):
    worker, _relation = open_file(request.user, pk)
    return render(request, "coaching/read_log.html", {"worker": worker, "entries": read_log(worker)})


@file_roles_required
def access(request, pk):
    """The coach lets a beheerder read the notes of this worker, with a reason; both are logged. The beheerder
    with access sees it here too (read-only)."""
    worker, relation = open_file(request.user, pk, notes=True)
    form = NoteAccessGrantForm(request.POST or None, organiser_id=worker.organiser_id)
    if request.method == "POST":
        if relation != Relation.CURRENT:
            raise PermissionDenied
        if form.is_valid():
            response = run_service(
                request, form,
                lambda: services.note_access_grant(worker=worker, actor=request.user, **form.cleaned_data),
                _("The access was given and logged."), redirect_to=("coaching:access", worker.pk),
            )
            if response is not None:
                return response
    grants = NoteAccessGrant.objects.filter(worker=worker).select_related("user", "granted_by", "revoked_by")
    return render(request, "coaching/access.html", {
        "worker": worker, "form": form, "grants": grants, "can_write": relation == Relation.CURRENT,
    }, status=_status(request))


@file_roles_required
@require_POST
def access_revoke(request, pk, grant_pk):
    worker, _relation = open_file(request.user, pk, write=True)
    grant = get_object_or_404(NoteAccessGrant.objects.filter(worker=worker), pk=grant_pk)
    form = NoteAccessGrantForm(organiser_id=worker.organiser_id)
    response = run_service(request, form, lambda: services.note_access_revoke(grant=grant, actor=request.user),
                           _("The access was ended."), redirect_to=("coaching:access", worker.pk))
    if response is not None:
        return response
    grants = NoteAccessGrant.objects.filter(worker=worker).select_related("user", "granted_by", "revoked_by")
    return render(request, "coaching/access.html", {"worker": worker, "form": form, "grants": grants,
                                                    "can_write": True}, status=400)


@file_roles_required
def summary_edit(request, pk):
    worker, _relation = open_file(request.user, pk, write=True)
    current = latest_summary(worker)
    form = SharedSummaryForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form,
            lambda: services.shared_summary_write(worker=worker, actor=request.user, **form.cleaned_data),
            _("The shared summary was saved; the mediator sees it on the worker page."),
            redirect_to=("coaching:worker_file", worker.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/form_page.html", {
        "worker": worker, "form": form, "title": _("Shared summary"), "current": current,
    }, status=_status(request))
