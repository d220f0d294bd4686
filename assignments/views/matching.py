"""Matching: ranked candidates for a request, assigning one, and a client's worker exclusions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import bemiddelaar_required
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import PAGE_SIZE
from wijkwerken.core.selectors import scope_to_user
from workers.selectors import trajectory_on, workers_visible_to

from .. import services
from ..forms.matching import AssignForm, ExclusionForm
from ..models.matching import WorkerExclusion
from ..selectors.clients import clients_for
from ..selectors.matching import FILTERS, POINTS_EXPLAINED, SORTS, candidates_for
from ..selectors.requests import help_requests_for


def _int(value, default):
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return default


@bemiddelaar_required
def request_candidates(request, pk):
    """The ranked list; the partial for htmx, a page of its own without JavaScript."""
    help_request = get_object_or_404(help_requests_for(request.user), pk=pk)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "score"
    filters = {key for key in FILTERS if request.GET.get(key)}
    limit = min(_int(request.GET.get("limit"), PAGE_SIZE), 1000)
    candidates = candidates_for(help_request=help_request, user=request.user, sort=sort, filters=filters,
                                limit=limit)
    query = request.GET.copy()
    query["limit"] = limit + PAGE_SIZE
    assigned = help_request.assignments.open().select_related("worker")
    context = {
        "assigned": assigned, "help_request": help_request, "candidates": candidates, "total": candidates.total,
        "more_query": query.urlencode(), "sort": sort, "filters": filters, "sorts": SORTS.items(),
        "filter_choices": FILTERS.items(), "points": POINTS_EXPLAINED, "can_assign": help_request.status in (
            "nieuw", "in_behandeling", "toegewezen"),
    }
    template = "assignments/_candidates.html" if request.htmx else "assignments/request_candidates.html"
    return render(request, template, context)


@bemiddelaar_required
def request_assign(request, pk, worker_pk):
    help_request = get_object_or_404(help_requests_for(request.user), pk=pk)
    worker = get_object_or_404(workers_visible_to(request.user).select_related("municipality"), pk=worker_pk)
    trajectory = trajectory_on(worker=worker, day=help_request.start_date)
    end = help_request.end_date
    capped = trajectory is not None and trajectory.last_day < end
    if capped:
        end = trajectory.last_day
    form = AssignForm(request.POST or None, initial={"start_date": help_request.start_date, "end_date": end})
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_create(help_request=help_request, worker=worker, actor=request.user,
                                       start_date=form.cleaned_data["start_date"],
                                       end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(worker)s is assigned to this request.") % {"worker": worker})
            return redirect("assignments:request_detail", pk=help_request.pk)
    return render(request, "assignments/assignment_form.html", {
        "help_request": help_request, "worker": worker, "form": form, "trajectory": trajectory, "capped": capped,
    })


@bemiddelaar_required
def client_exclusions(request, pk):
    """The exclusions of one client, and the form to add one (a panel on the client page)."""
    client = get_object_or_404(clients_for(request.user), pk=pk)
    form = ExclusionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.worker_exclusion_add(worker=form.cleaned_data["worker"], client=client,
                                          reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The exclusion was saved."))
            return redirect("assignments:client_exclusions", pk=client.pk)
    exclusions = client.worker_exclusions.select_related("worker", "created_by")
    return render(request, "assignments/client_exclusions.html", {
        "client": client, "form": form, "exclusions": exclusions,
    })


@bemiddelaar_required
@require_POST
def client_exclusion_remove(request, pk, exclusion_pk):
    client = get_object_or_404(clients_for(request.user), pk=pk)
    exclusion = get_object_or_404(
        scope_to_user(WorkerExclusion.objects.all(), request.user, organiser_field="client__organiser"),
        pk=exclusion_pk, client=client,
    )
    services.worker_exclusion_remove(exclusion=exclusion, actor=request.user)
    messages.success(request, _("The exclusion was removed."))
    return redirect("assignments:client_exclusions", pk=client.pk)
