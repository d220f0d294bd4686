"""The caseload, assigning coaches, the worker's coaching file, the panels on the worker pages, the settings, and
the worker's own coaching page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import (
    beheerder_required,
    bemiddelaar_required,
    staff_required,
    werkcoach_required,
    wijkwerker_required,
)
from wijkwerken.core.dates import today
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import page_of
from wijkwerken.core.selectors import municipalities_visible_to, scope_to_user
from workers.models import Worker
from workers.selectors import with_status, worker_of_user

from .. import services
from ..filters import AssignFilter, CaseloadFilter
from ..forms.caseload import BulkAssignForm, CoachAssignForm, CoachingSettingsForm
from ..models import CoachingSettings, CoachPeriod
from ..selectors.access import Relation, coach_relation
from ..selectors.caseload import attention_counts, attention_for, caseload_queryset
from ..selectors.competences import competence_chart, measurements_of
from ..selectors.goals import goals_of, loose_actions_of, own_open_actions
from ..selectors.groups import upcoming_invitations
from ..selectors.notes import latest_summary, notes_of
from ..selectors.portfolio import portfolios_of
from ..selectors.wellbeing import check_ins_of, wellbeing_chart
from .common import file_roles_required, open_file, run_service

ASSIGN_PAGE_SIZE = 50


@werkcoach_required
def caseload(request):
    """The werkcoach's start: their workers, what needs attention first. An htmx request gets the partial (the
    core start page includes it by URL)."""
    day = today()
    queryset = caseload_queryset(request.user, on=day)
    rows = attention_for(queryset, on=day)
    caseload_filter = CaseloadFilter(
        request.GET or None, queryset=queryset, rows=rows, municipalities=municipalities_visible_to(request.user)
    )
    shown = sorted((rows[w.pk] for w in caseload_filter.qs if w.pk in rows), key=lambda r: r.sort_key())
    statuses = {w.pk: w.worker_status for w in queryset}
    for row in shown:
        row.status = statuses.get(row.worker.pk)
    context = {
        "filter": caseload_filter,
        "rows": shown,
        "total": len(rows),
        "needing": sum(1 for r in rows.values() if r.attention),
        "counts": attention_counts(rows.values()),
        "today": day,
        "current": request.GET.get("attention", ""),
    }
    template = "coaching/_caseload.html" if request.htmx else "coaching/caseload.html"
    return render(request, template, context)


@bemiddelaar_required
def assign(request):
    """Assign or hand over workers to a coach, one by one or in bulk."""
    organiser_id = request.user.organiser_id
    workers = with_status(scope_to_user(Worker.objects.all(), request.user).select_related("coach", "municipality"))
    assign_filter = AssignFilter(request.GET or None, queryset=workers.order_by("last_name", "first_name", "pk"),
                                 organiser_id=organiser_id, municipalities=municipalities_visible_to(request.user))
    form = BulkAssignForm(request.POST or None, organiser_id=organiser_id, workers=workers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.coach_assign_many(
                workers=list(data["workers"]), coach=data["coach"], reason=data["reason"], actor=request.user
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(count)s workers now have %(coach)s as work coach.")
                             % {"count": count, "coach": data["coach"].get_full_name()})
            return redirect(request.get_full_path())
    page = page_of(request, assign_filter.qs, per_page=ASSIGN_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "coaching/assign.html", {
        "filter": assign_filter, "page": page, "form": form, "query": query.urlencode(),
        "chosen": {int(pk) for pk in request.POST.getlist("workers") if pk.isdigit()},
    }, status=400 if request.method == "POST" else 200)


@bemiddelaar_required
def worker_assign(request, worker_pk):
    worker = get_object_or_404(scope_to_user(Worker.objects.select_related("coach"), request.user), pk=worker_pk)
    form = CoachAssignForm(request.POST or None, organiser_id=request.user.organiser_id,
                           initial={"coach": worker.coach})
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form,
            lambda: services.coach_assign(worker=worker, actor=request.user, **form.cleaned_data),
            _("%(coach)s is now the work coach of %(worker)s.")
            % {"coach": form.cleaned_data["coach"].get_full_name(), "worker": worker},
            redirect_to=("workers:worker_detail", worker.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/worker_assign.html", {
        "worker": worker, "form": form,
        "periods": CoachPeriod.objects.filter(worker=worker).select_related("coach", "assigned_by"),
    }, status=400 if request.method == "POST" else 200)


@staff_required
def worker_panel(request, worker_pk):
    """The coaching panel on the worker page: coach, shared summary and competence chart for all staff; the link
    to the coaching file for those who may open it. Never a note's text."""
    worker = get_object_or_404(scope_to_user(Worker.objects.select_related("coach"), request.user), pk=worker_pk)
    relation = coach_relation(request.user, worker)
    return render(request, "coaching/_worker_panel.html", {
        "worker": worker,
        "summary": latest_summary(worker),
        "chart": competence_chart(measurements_of(worker)),
        "can_open_file": relation is not None,
        "can_assign": request.user.role in (Role.BEMIDDELAAR, Role.BEHEERDER),
    })


@file_roles_required
def worker_file(request, pk):
    worker, relation = open_file(request.user, pk, notes=True)
    if relation == Relation.GRANTED:
        return redirect("coaching:note_list", pk=worker.pk)
    trajectory = worker.trajectories.order_by("-start_date").first()
    measurements = list(measurements_of(worker))
    row = attention_for([worker], on=today()).get(worker.pk)
    return render(request, "coaching/worker_file.html", {
        "worker": worker,
        "relation": relation.value,
        "can_write": relation == Relation.CURRENT,
        "trajectory": trajectory,
        "row": row,
        "notes": notes_of(worker)[:6],
        "note_count": worker.coaching_notes.count(),
        "measurements": measurements[::-1],
        "chart": competence_chart(measurements),
        "wellbeing_chart": wellbeing_chart(worker),
        "check_ins": check_ins_of(worker, limit=5),
        "goals": goals_of(worker),
        "loose_actions": loose_actions_of(worker),
        "summary": latest_summary(worker),
        "periods": CoachPeriod.objects.filter(worker=worker).select_related("coach"),
        "portfolios": portfolios_of(worker),
        "invitations": upcoming_invitations(worker),
        "today": today(),
    })


@beheerder_required
def settings_edit(request):
    current = CoachingSettings.for_organiser(request.user.organiser_id)
    form = CoachingSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form,
            lambda: services.coaching_settings_update(
                organiser=request.user.organiser, actor=request.user,
                **{name: form.cleaned_data[name] for name in CoachingSettings.FIELDS}),
            _("The coaching settings were saved."), redirect_to="coaching:settings_edit",
        )
        if response is not None:
            return response
    return render(request, "coaching/settings_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _own_context(worker) -> dict:
    measurements = list(measurements_of(worker))
    return {
        "worker": worker,
        "chart": competence_chart(measurements, own_words=True),
        "to_self_assess": [m for m in measurements if not m.is_self_scored][::-1],
        "wellbeing_chart": wellbeing_chart(worker),
        "checked_in_today": worker.check_ins.filter(taken_on=today()).exists(),
        "actions": own_open_actions(worker),
        "goals": goals_of(worker).filter(status="open"),
        "invitations": upcoming_invitations(worker),
        "portfolio": portfolios_of(worker).filter(pdf__gt="").first(),
    }


@wijkwerker_required
def my_coaching(request):
    """The worker's own coaching page: progress chart, self-assessment, check-in, goals, sessions, portfolio."""
    worker = worker_of_user(request.user)
    if worker is None:
        return render(request, "coaching/my_coaching.html", {"worker": None})
    return render(request, "coaching/my_coaching.html", _own_context(worker))


@wijkwerker_required
def my_panel(request):
    """The compact coaching panel on the worker's own pages: what they can do now."""
    worker = worker_of_user(request.user)
    if worker is None:
        raise Http404
    return render(request, "coaching/_my_panel.html", _own_context(worker))
