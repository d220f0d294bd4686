"""Incidents and no-shows: reported by the worker (on the phone), the client or staff; accidents declared by
staff before their deadline. Also the instructions for the wijk-werker, kept up by the client and staff."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.models import ORGANISER_STAFF_ROLES, Role
from wijkwerken.accounts.permissions import bemiddelaar_required, role_required, staff_required
from wijkwerken.core.dates import today
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import page_of
from wijkwerken.core.selectors import audit_history

from .. import services
from ..forms.incidents import DeclarationForm, IncidentForm, InstructionsForm, NoShowForm
from ..models import AssignmentStatus, IncidentKind, NoShowKind
from ..selectors.incidents import accidents_to_declare, incidents_for
from ..selectors.placements import assignments_for

MANAGERS = (Role.BEMIDDELAAR, Role.BEHEERDER)


def _back_to_assignment(request, assignment):
    """Where a participant returns after a form about an assignment: the job page, the request or the staff page."""
    if request.user.role == Role.WIJKWERKER:
        return redirect("assignments:my_assignment", pk=assignment.pk)
    if request.user.role == Role.GEBRUIKER:
        return redirect("assignments:my_request_detail", pk=assignment.request_id)
    return redirect("assignments:assignment_detail", pk=assignment.pk)


@role_required(Role.WIJKWERKER, Role.GEBRUIKER, *MANAGERS)
def incident_create(request, pk):
    assignment = get_object_or_404(assignments_for(request.user), pk=pk)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = IncidentForm(request.POST or None, initial={
        "occurred_at": now, "place": f"{assignment.request.street}, {assignment.request.postcode} "
                                     f"{assignment.request.city}"})
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_report(assignment=assignment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if request.user.role == Role.WIJKWERKER:
                messages.success(request, _("Thank you. Your report was sent to the wijk-werkorganisatie."))
            else:
                messages.success(request, _("The incident was recorded."))
            if request.user.role in ORGANISER_STAFF_ROLES:
                return redirect("assignments:incident_detail", pk=incident.pk)
            return _back_to_assignment(request, assignment)
    return render(request, "assignments/incident_form.html", {
        "assignment": assignment, "form": form, "is_worker": request.user.role == Role.WIJKWERKER,
    })


@role_required(Role.GEBRUIKER, *MANAGERS)
def no_show_create(request, pk):
    assignment = get_object_or_404(assignments_for(request.user).exclude(status=AssignmentStatus.ENDED), pk=pk)
    kinds = [NoShowKind.WORKER_ABSENT] if request.user.role == Role.GEBRUIKER else list(NoShowKind.values)
    form = NoShowForm(request.POST or None, kinds=kinds, initial={"date": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.no_show_record(assignment=assignment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Recorded. The wijk-werkorganisatie follows it up."))
            return _back_to_assignment(request, assignment)
    return render(request, "assignments/no_show_form.html", {"assignment": assignment, "form": form})


@role_required(Role.GEBRUIKER, *MANAGERS)
def assignment_instructions(request, pk):
    assignment = get_object_or_404(assignments_for(request.user).exclude(status=AssignmentStatus.ENDED), pk=pk)
    form = InstructionsForm(request.POST or None, initial={"instructions": assignment.instructions})
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_instructions_update(assignment=assignment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved. The wijk-werker sees the instructions with the job."))
            return _back_to_assignment(request, assignment)
    return render(request, "assignments/instructions_form.html", {"assignment": assignment, "form": form})


@staff_required
def incident_list(request):
    incidents = incidents_for(request.user)
    shown = request.GET.get("lijst", "")
    if shown == "aan-te-geven":
        incidents = incidents.to_declare()
    elif shown in IncidentKind.values:
        incidents = incidents.filter(kind=shown)
    return render(request, "assignments/incident_list.html", {
        "page": page_of(request, incidents), "shown": shown, "kinds": IncidentKind.choices,
        "to_declare": incidents_for(request.user).to_declare().count(), "today": today(),
    })


def _incident_page(request, incident, form, status=200):
    return render(request, "assignments/incident_detail.html", {
        "incident": incident, "form": form, "can_manage": request.user.role in MANAGERS,
        "history": audit_history(incident), "today": today(),
    }, status=status)


@staff_required
def incident_detail(request, pk):
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    return _incident_page(request, incident, DeclarationForm(initial={"declared_on": today()}))


@bemiddelaar_required
@require_POST
def incident_declare(request, pk):
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.incident_mark_declared(incident=incident, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The accident is marked as declared to the insurer."))
            return redirect("assignments:incident_detail", pk=incident.pk)
    return _incident_page(request, incident, form, status=400)


@bemiddelaar_required
def panel_incidents(request):
    """The accidents to declare, with their deadline, on the bemiddelaar's start page (an htmx partial)."""
    return render(request, "assignments/_panel_incidents.html", {"due": accidents_to_declare(request.user)})
