from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import bemiddelaar_required, staff_required, wijkwerker_required
from wijkwerken.core.dates import today
from wijkwerken.core.downloads import document_response
from wijkwerken.core.notifications import notifications_for
from wijkwerken.core.pagination import first_with_total, page_of
from wijkwerken.core.rules import rules_for
from wijkwerken.core.selectors import audit_history, municipalities_visible_to

from . import selectors, services
from .filters import WorkerFilter
from .forms import (
    EvaluationForm,
    FollowUpForm,
    InterimWorkForm,
    TrajectoryEndForm,
    TrajectoryExtendForm,
    TrajectoryStartForm,
    TrajectorySuspendForm,
    WorkerAccountForm,
    WorkerForm,
)
from .models import DayPart, Weekday, WorkerStatus

PANEL_SIZE = 10  # the soonest evaluations and follow-ups beside the ending trajectories; the rest are counted

EDITOR_ROLES = (Role.BEMIDDELAAR, Role.BEHEERDER)
WEEKDAYS = [label for _value, label in Weekday.choices]


def _can_edit(user) -> bool:
    return user.role in EDITOR_ROLES


@staff_required
def worker_list(request):
    queryset = selectors.worker_list(request.user)
    worker_filter = WorkerFilter(
        request.GET or None, queryset=queryset, municipalities=municipalities_visible_to(request.user)
    )
    page = page_of(request, worker_filter.qs)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workers/worker_list.html",
        {
            "filter": worker_filter,
            "page": page,
            "query": query.urlencode(),
            "can_edit": _can_edit(request.user),
            "today": today(),
        },
    )


@bemiddelaar_required
def worker_create(request):
    form = WorkerForm(
        request.POST or None,
        organiser=request.user.organiser,
        initial={"bemiddelaar": request.user if request.user.role == Role.BEMIDDELAAR else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            worker = services.worker_create(organiser=request.user.organiser, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": worker})
            return redirect("workers:worker_detail", pk=worker.pk)
    return render(request, "workers/worker_form.html", {"form": form, "worker": None, "weekdays": WEEKDAYS})


@bemiddelaar_required
def worker_edit(request, pk):
    worker = selectors.worker_detail(request.user, pk)
    form = WorkerForm(request.POST or None, instance=worker, organiser=request.user.organiser)
    if request.method == "POST" and form.is_valid():
        try:
            services.worker_update(worker=worker, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("workers:worker_detail", pk=worker.pk)
    return render(request, "workers/worker_form.html", {"form": form, "worker": worker, "weekdays": WEEKDAYS})


@staff_required
def worker_detail(request, pk):
    worker = selectors.worker_detail(request.user, pk)
    trajectories = list(worker.trajectories.prefetch_related("suspensions", "extensions", "evaluations", "follow_ups"))
    for trajectory in trajectories:
        trajectory.timeline = selectors.trajectory_timeline(trajectory)
        trajectory.progress = selectors.trajectory_progress(trajectory)
    activities = list(worker.activities.all())
    return render(
        request,
        "workers/worker_detail.html",
        {
            "worker": worker,
            "trajectories": trajectories,
            "active": next((t for t in trajectories if t.is_active), None),
            "skills": [a for a in activities if a.kind == "skill"],
            "interests": [a for a in activities if a.kind == "interest"],
            "availability": {a.slot for a in worker.availability.all()},
            "weekdays": list(enumerate(WEEKDAYS)),
            "day_parts": DayPart.choices,
            "interim_work": worker.interim_work.all(),
            "interim_warning": selectors.interim_warning(worker),
            "can_edit": _can_edit(request.user),
            "show_identity": _can_edit(request.user),
            "history": audit_history(worker),
            "today": today(),
        },
    )


def _worker_action(
    request, pk, *, form_class, title, run, success, template="workers/worker_action.html", initial=None, confirm=""
):
    """One page per action on a worker: bind the form, call one service, redirect with a message. `confirm` is the
    question the browser asks before an action that cannot be undone."""
    worker = selectors.worker_detail(request.user, pk)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run(worker, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect("workers:worker_detail", pk=worker.pk)
    status = 400 if request.method == "POST" else 200
    context = {"worker": worker, "form": form, "title": title, "confirm": confirm,
               "trajectory": worker.trajectories.active().first()}
    return render(request, template, context, status=status)


def _active(worker):
    trajectory = worker.trajectories.active().first()
    if trajectory is None:
        raise Http404
    return trajectory


@bemiddelaar_required
def trajectory_start(request, pk):
    return _worker_action(
        request,
        pk,
        form_class=TrajectoryStartForm,
        title=_("Start a trajectory"),
        success=_("The trajectory started."),
        run=lambda worker, data: services.trajectory_start(worker=worker, actor=request.user, **data),
    )


@bemiddelaar_required
def trajectory_extend(request, pk):
    return _worker_action(
        request,
        pk,
        form_class=TrajectoryExtendForm,
        title=_("Extend the trajectory"),
        success=_("The trajectory was extended."),
        run=lambda worker, data: services.trajectory_extend(trajectory=_active(worker), actor=request.user, **data),
    )


@bemiddelaar_required
def trajectory_suspend(request, pk):
    return _worker_action(
        request,
        pk,
        form_class=TrajectorySuspendForm,
        title=_("Suspend the trajectory"),
        success=_("The suspension was recorded and the end date moved."),
        run=lambda worker, data: services.trajectory_suspend(trajectory=_active(worker), actor=request.user, **data),
    )


@bemiddelaar_required
def trajectory_end(request, pk):
    return _worker_action(
        request,
        pk,
        form_class=TrajectoryEndForm,
        title=_("End the trajectory"),
        success=_("The trajectory was ended."),
        confirm=_("End this trajectory? This cannot be undone."),
        run=lambda worker, data: services.trajectory_end(trajectory=_active(worker), actor=request.user, **data),
    )


@bemiddelaar_required
def trajectory_evaluate(request, pk):
    return _worker_action(
        request,
        pk,
        form_class=EvaluationForm,
        title=_("Record an evaluation"),
        success=_("The evaluation was recorded."),
        run=lambda worker, data: services.trajectory_evaluate(trajectory=_active(worker), actor=request.user, **data),
    )


@bemiddelaar_required
def interim_work_add(request, pk):
    def run(worker, data):
        services.interim_work_record(worker=worker, actor=request.user, **data)
        warning = selectors.interim_warning(worker)
        if warning:
            messages.warning(
                request,
                _(
                    "Warning: %(days)s days of interim work between %(start)s and %(end)s, more than %(max)s days in "
                    "%(period)s days. The right to wijk-werken lapses."
                )
                % {
                    "days": warning.days,
                    "start": warning.window_start.strftime("%d/%m/%Y"),
                    "end": warning.window_end.strftime("%d/%m/%Y"),
                    "max": warning.max_days,
                    "period": warning.period_days,
                },
            )

    return _worker_action(
        request,
        pk,
        form_class=InterimWorkForm,
        title=_("Record interim work"),
        success=_("The interim work was recorded."),
        run=run,
    )


@bemiddelaar_required
def worker_account(request, pk):
    worker = selectors.worker_detail(request.user, pk)
    return _worker_action(
        request,
        pk,
        form_class=WorkerAccountForm,
        title=_("Create a login for the worker"),
        success=_("The login was created; the worker receives an e-mail to choose a password."),
        initial={"email": worker.email},
        run=lambda worker, data: services.worker_account_create(worker=worker, actor=request.user, **data),
    )


@bemiddelaar_required
def follow_up_record(request, pk):
    follow_up = selectors.follow_up_of(request.user, pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(follow_up=follow_up, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return redirect("workers:worker_detail", pk=follow_up.trajectory.worker_id)
    return render(
        request,
        "workers/worker_action.html",
        {"worker": follow_up.trajectory.worker, "form": form, "title": str(follow_up)},
    )


@bemiddelaar_required
@require_POST
def agreement_generate(request, pk):
    worker = selectors.worker_detail(request.user, pk)
    services.worker_agreement_generate(worker=worker, actor=request.user)
    messages.success(request, _("The wijk-werkovereenkomst is being generated."))
    return redirect("workers:worker_detail", pk=worker.pk)


@bemiddelaar_required
def agreement_download(request, pk):
    worker = selectors.worker_detail(request.user, pk)
    return document_response(worker.agreement_pdf,
                             f"wijk-werkovereenkomst-{worker.last_name}-{worker.first_name}.pdf", "pdf")


@staff_required
def trajectories_ending(request):
    try:
        days = max(0, min(int(request.GET.get("dagen", "")), 400))
    except ValueError:
        days = None
    if days is None:
        days = rules_for(organiser=request.user.organiser).trajectory_end_warning_days
    page = page_of(request, selectors.trajectories_ending_soon(request.user, days=days))
    for trajectory in page:
        trajectory.days_left = (trajectory.end_date - today()).days
    evaluations = selectors.evaluations_due(request.user)
    follow_ups = selectors.follow_ups_due(request.user)
    return render(
        request,
        "workers/trajectory_ending_list.html",
        {
            "page": page,
            "params": urlencode({"dagen": days}),
            "days": days,
            "today": today(),
            "evaluations": evaluations[:PANEL_SIZE],
            "evaluations_count": evaluations.count(),
            "follow_ups": follow_ups[:PANEL_SIZE],
            "follow_ups_count": follow_ups.count(),
        },
    )


@wijkwerker_required
def my_trajectory(request):
    worker = selectors.worker_of_user(request.user)
    trajectories = []
    if worker is not None:
        trajectories = list(
            worker.trajectories.prefetch_related("suspensions", "extensions", "evaluations", "follow_ups")
        )
        for trajectory in trajectories:
            trajectory.timeline = selectors.trajectory_timeline(trajectory)
            # "What happened so far" is the past only; what is planned is listed apart.
            trajectory.past_events = [event for event in trajectory.timeline
                                      if event.kind != "planned" and event.day <= today()]
            trajectory.next_events = [event for event in trajectory.timeline if event not in trajectory.past_events]
            trajectory.progress = selectors.trajectory_progress(trajectory)
    return render(
        request,
        "workers/my_trajectory.html",
        {
            "worker": worker,
            "active": next((t for t in trajectories if t.is_active), None),
            "past": [t for t in trajectories if not t.is_active],
            "notifications": notifications_for(request.user),
            "today": today(),
        },
    )


START_PANELS = {
    Role.BEMIDDELAAR: "workers/_start_staff.html",
    Role.BEHEERDER: "workers/_start_staff.html",
    Role.WERKCOACH: "workers/_start_staff.html",
    Role.GEMEENTE: "workers/_start_gemeente.html",
    Role.WIJKWERKER: "workers/_start_wijkwerker.html",
}


@login_required
def start_panel(request):
    """The workers panel on each role's start page, loaded by the core start page through htmx."""
    user = request.user
    template = START_PANELS.get(user.role)
    if template is None or not user.organiser_id:
        raise Http404
    context = {"today": today()}
    if user.role == Role.GEMEENTE:
        context["stats"] = selectors.municipality_statistics(user)
    elif user.role == Role.WIJKWERKER:
        worker = selectors.worker_of_user(user)
        active = worker.trajectories.active().first() if worker else None
        if active:
            active.progress = selectors.trajectory_progress(active)
        context |= {"worker": worker, "active": active}
    else:
        ending, ending_count = first_with_total(selectors.trajectories_ending_soon(user), 8)
        for trajectory in ending:
            trajectory.days_left = (trajectory.end_date - today()).days
        counts = selectors.worker_status_counts(user)
        context |= {
            "ending": ending,
            "ending_count": ending_count,
            "evaluations": selectors.evaluations_due(user)[:8],
            "follow_ups": selectors.follow_ups_due(user)[:8],
            "status_counts": [(value, label, counts.get(value, 0)) for value, label in WorkerStatus.choices],
            "notifications": notifications_for(user, limit=5),
            "can_edit": _can_edit(user),
        }
    return render(request, template, context)
