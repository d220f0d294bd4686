"""Goals and actions in the coaching file; the worker marks their own actions done on the phone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import wijkwerker_required
from workers.selectors import worker_of_user

from .. import services
from ..forms.goals import ActionForm, GoalForm, GoalReviewForm
from ..models import ActionStatus, Goal, GoalAction, Measurement
from ..selectors.competences import current_framework
from .common import file_roles_required, open_file, run_service


def _status(request):
    return 400 if request.method == "POST" else 200


@file_roles_required
def goal_create(request, pk):
    worker, _relation = open_file(request.user, pk, write=True)
    form = GoalForm(request.POST or None, framework=current_framework(worker.organiser_id))
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form, lambda: services.goal_create(worker=worker, actor=request.user, **form.cleaned_data),
            _("The goal was saved."), redirect_to=("coaching:worker_file", worker.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/form_page.html", {"worker": worker, "form": form, "title": _("New goal")},
                  status=_status(request))


@file_roles_required
def action_create(request, pk, goal_pk=None):
    worker, _relation = open_file(request.user, pk, write=True)
    goal = get_object_or_404(Goal.objects.filter(worker=worker), pk=goal_pk) if goal_pk else None
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form,
            lambda: services.goal_action_add(worker=worker, goal=goal, actor=request.user, **form.cleaned_data),
            _("The action was saved."), redirect_to=("coaching:worker_file", worker.pk),
        )
        if response is not None:
            return response
    title = _("New action for \"%(goal)s\"") % {"goal": goal} if goal else _("New action")
    return render(request, "coaching/form_page.html", {"worker": worker, "form": form, "title": title},
                  status=_status(request))


@file_roles_required
@require_POST
def goal_status(request, goal_pk):
    goal = get_object_or_404(Goal, pk=goal_pk)
    worker, _relation = open_file(request.user, goal.worker_id, write=True)
    try:
        services.goal_set_status(goal=goal, status=request.POST.get("status", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The goal was updated."))
    return redirect("coaching:worker_file", pk=worker.pk)


@file_roles_required
@require_POST
def action_status(request, action_pk):
    action = get_object_or_404(GoalAction, pk=action_pk)
    worker, _relation = open_file(request.user, action.worker_id, write=True)
    try:
        services.goal_action_set_status(action=action, status=request.POST.get("status", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The action was updated."))
    return redirect("coaching:worker_file", pk=worker.pk)


@file_roles_required
@require_POST
def goal_review(request, measurement_pk, goal_pk):
    measurement = get_object_or_404(Measurement, pk=measurement_pk)
    worker, _relation = open_file(request.user, measurement.worker_id, write=True)
    goal = get_object_or_404(Goal.objects.filter(worker=worker), pk=goal_pk)
    form = GoalReviewForm(request.POST, prefix=f"goal-{goal.pk}")
    if form.is_valid():
        try:
            services.goal_review(goal=goal, measurement=measurement, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The goal was reviewed."))
    else:
        messages.error(request, _("Choose how the goal is going."))
    return redirect("coaching:measurement_detail", pk=measurement.pk)


@wijkwerker_required
@require_POST
def my_action_done(request, action_pk):
    worker = worker_of_user(request.user)
    action = get_object_or_404(GoalAction.objects.filter(worker=worker), pk=action_pk)
    try:
        services.goal_action_set_status(action=action, status=ActionStatus.DONE, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Well done! The action is marked as done."))
    return redirect("coaching:my_coaching")


