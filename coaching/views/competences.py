"""The competence framework (beheerder), measurements (coach) and the worker's self-assessment (phone)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import beheerder_required, role_required, wijkwerker_required
from wijkwerken.core.errors import attach_errors
from workers.selectors import worker_of_user

from .. import services
from ..forms.competences import CompetenceForm, MeasurementStartForm, ScoreForm
from ..forms.goals import GoalReviewForm
from ..models import Competence, CompetenceFramework, GoalStatus, Measurement, Rater
from ..selectors.access import Relation
from ..selectors.competences import current_framework, frameworks_of, measurements_of, score_rows
from .common import file_roles_required, open_file, run_service

framework_readers = role_required(Role.BEHEERDER, Role.WERKCOACH)


def _status(request):
    return 400 if request.method == "POST" else 200


@framework_readers
def framework_list(request):
    frameworks = list(frameworks_of(request.user))
    current = current_framework(request.user.organiser_id)
    return render(request, "coaching/framework_list.html", {
        "frameworks": frameworks, "current": current,
        "draft": next((f for f in frameworks if f.is_draft), None),
        "can_edit": request.user.role == Role.BEHEERDER,
    })


@beheerder_required
@require_POST
def framework_ensure(request):
    services.competence_framework_ensure(organiser=request.user.organiser, actor=request.user)
    messages.success(request, _("The default competence framework is in use."))
    return redirect("coaching:framework_list")


def _framework(user, pk) -> CompetenceFramework:
    return get_object_or_404(frameworks_of(user), pk=pk)


@framework_readers
def framework_detail(request, pk):
    framework = _framework(request.user, pk)
    return render(request, "coaching/framework_detail.html", {
        "framework": framework, "competences": framework.competences.order_by("position", "id"),
        "can_edit": request.user.role == Role.BEHEERDER and framework.is_draft,
    })


@beheerder_required
@require_POST
def framework_draft(request):
    try:
        draft = services.competence_framework_draft(organiser=request.user.organiser, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("coaching:framework_list")
    messages.success(request, _("A draft of version %(version)s was made; change it and put it in use.")
                     % {"version": draft.version})
    return redirect("coaching:framework_detail", pk=draft.pk)


@beheerder_required
@require_POST
def framework_publish(request, pk):
    framework = _framework(request.user, pk)
    try:
        services.competence_framework_publish(framework=framework, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("coaching:framework_detail", pk=framework.pk)
    messages.success(request, _("Version %(version)s is in use from today.") % {"version": framework.version})
    return redirect("coaching:framework_list")


@beheerder_required
def competence_edit(request, pk, competence_pk=None):
    framework = _framework(request.user, pk)
    competence = get_object_or_404(framework.competences, pk=competence_pk) if competence_pk else None
    form = CompetenceForm(request.POST or None,
                          initial=CompetenceForm.initial_for(competence) if competence else None)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form,
            lambda: services.competence_save(framework=framework, competence=competence, actor=request.user,
                                             **form.service_data()),
            _("The competence was saved."), redirect_to=("coaching:framework_detail", framework.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/competence_form.html", {
        "framework": framework, "competence": competence, "form": form,
    }, status=_status(request))


@beheerder_required
@require_POST
def competence_remove(request, pk, competence_pk):
    framework = _framework(request.user, pk)
    competence = get_object_or_404(Competence.objects.filter(framework=framework), pk=competence_pk)
    try:
        services.competence_remove(competence=competence, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The competence was removed from the draft."))
    return redirect("coaching:framework_detail", pk=framework.pk)


@file_roles_required
def measurement_create(request, pk):
    worker, _relation = open_file(request.user, pk, write=True)
    form = MeasurementStartForm(request.POST or None, initial={"moment": request.GET.get("moment")})
    if request.method == "POST" and form.is_valid():
        holder = {}

        def call():
            holder["measurement"] = services.measurement_start(worker=worker, actor=request.user,
                                                               **form.cleaned_data)

        response = run_service(request, form, call, _("The measurement was opened; score it now."),
                               redirect_to=("coaching:worker_file", worker.pk))
        if response is not None:
            return redirect("coaching:measurement_score", pk=holder["measurement"].pk)
    return render(request, "coaching/form_page.html", {
        "worker": worker, "form": form, "title": _("New competence measurement"),
    }, status=_status(request))


def _measurement(user, pk, *, write=False):
    measurement = get_object_or_404(Measurement.objects.select_related("framework", "worker"), pk=pk)
    worker, relation = open_file(user, measurement.worker_id, write=write)
    return measurement, worker, relation


@file_roles_required
def measurement_detail(request, pk):
    measurement, worker, relation = _measurement(request.user, pk)
    measurement = next(m for m in measurements_of(worker) if m.pk == measurement.pk)
    reviewed = set(measurement.goal_reviews.values_list("goal_id", flat=True))
    open_goals = [g for g in worker.goals.filter(status=GoalStatus.OPEN).select_related("competence")
                  if g.pk not in reviewed]
    return render(request, "coaching/measurement_detail.html", {
        "worker": worker, "measurement": measurement, "rows": score_rows(measurement),
        "can_write": relation == Relation.CURRENT,
        "reviews": measurement.goal_reviews.select_related("goal"),
        "goals_to_review": [(goal, GoalReviewForm(prefix=f"goal-{goal.pk}")) for goal in open_goals],
    })


@file_roles_required
def measurement_score(request, pk):
    measurement, worker, _relation = _measurement(request.user, pk, write=True)
    if measurement.is_coach_scored:
        messages.info(request, _("This measurement was already scored."))
        return redirect("coaching:measurement_detail", pk=measurement.pk)
    form = ScoreForm(request.POST or None, competences=measurement.framework.competences.order_by("position", "id"))
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form,
            lambda: services.measurement_score(measurement=measurement, rater=Rater.COACH, levels=form.levels(),
                                               actor=request.user),
            _("The scores were saved."), redirect_to=("coaching:measurement_detail", measurement.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/measurement_score.html", {
        "worker": worker, "measurement": measurement, "form": form, "own": False,
    }, status=_status(request))


@wijkwerker_required
def my_self_assessment(request, pk):
    worker = worker_of_user(request.user)
    measurement = get_object_or_404(Measurement.objects.filter(worker=worker).select_related("framework"), pk=pk)
    if measurement.is_self_scored:
        messages.info(request, _("You already scored yourself for this measurement. Thank you!"))
        return redirect("coaching:my_coaching")
    form = ScoreForm(request.POST or None, competences=measurement.framework.competences.order_by("position", "id"))
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_score(measurement=measurement, rater=Rater.SELF, levels=form.levels(),
                                       actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your coach sees your scores next to theirs."))
            return redirect("coaching:my_coaching")
    return render(request, "coaching/measurement_score.html", {
        "worker": worker, "measurement": measurement, "form": form, "own": True,
    }, status=_status(request))
