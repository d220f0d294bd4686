"""Assignments (wijk-werkplaatsen): the worker's week and calendar, and the staff's assignment pages."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import bemiddelaar_required, role_required, staff_required
from wijkwerken.core.dates import date_param, today
from wijkwerken.core.pagination import page_of, page_of_search
from wijkwerken.core.selectors import audit_history, scope_to_user

from .. import services
from ..forms.placements import HandOverForm
from ..forms.prestaties import HoursForm, ReasonForm
from ..ical import assignments_ical
from ..models.placements import AssignmentStatus
from ..models.prestaties import PrestatieStatus
from ..selectors.placements import assignments_for, job_details, week_of, worker_of_user
from ..selectors.prestaties import hour_caps, prestaties_for


@role_required(Role.WIJKWERKER)
def my_week(request):
    worker = worker_of_user(request.user)
    if worker is None:
        raise Http404
    day = date_param(request.GET.get("week"), today())
    monday, sunday = week_of(day)
    assignments = list(assignments_for(request.user).select_related("request").filter(
        status=AssignmentStatus.ACTIVE, start_date__lte=sunday, end_date__gte=monday))
    prestaties = list(prestaties_for(request.user).filter(date__range=(monday, sunday)).order_by("date", "start_time"))
    days = []
    for offset in range(7):
        date = monday + datetime.timedelta(days=offset)
        days.append({
            "date": date,
            "planned": [a for a in assignments if a.is_planned_on(date)],
            "prestaties": [p for p in prestaties if p.date == date],
        })
    return render(request, "assignments/my_week.html", {
        "worker": worker, "days": days, "assignments": assignments, "monday": monday, "sunday": sunday,
        "previous_week": monday - datetime.timedelta(days=7), "next_week": monday + datetime.timedelta(days=7),
        "caps": hour_caps(worker=worker, on=today()), "today": today(),
    })


@role_required(Role.WIJKWERKER)
def my_assignment(request, pk):
    """The worker's job page: where, who to call, what to bring, when, and the hours so far."""
    assignment = get_object_or_404(assignments_for(request.user).select_related("request"), pk=pk)
    prestaties = list(assignment.prestaties.order_by("-date", "-start_time"))
    counted = [p for p in prestaties if p.status != PrestatieStatus.CANCELLED]
    return render(request, "assignments/my_assignment.html", {
        "assignment": assignment, "job": job_details(assignment), "prestaties": prestaties[:20],
        "minutes_registered": sum(p.minutes for p in counted), "cheques_registered": sum(p.cheques for p in counted),
        "incidents": assignment.incidents.order_by("-occurred_at")[:10],
        "caps": hour_caps(worker=assignment.worker, on=today()), "today": today(),
        "can_register": assignment.status == AssignmentStatus.ACTIVE and assignment.start_date <= today(),
    })


@role_required(Role.WIJKWERKER)
def my_calendar(request):
    worker = worker_of_user(request.user)
    if worker is None:
        raise Http404
    return _ical_response(worker)


def _ical_response(worker):
    response = HttpResponse(assignments_ical(worker=worker), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wijkwerken-{worker.pk}.ics"'
    return response


@staff_required
def assignment_list(request):
    assignments = assignments_for(request.user)
    status = request.GET.get("status", AssignmentStatus.ACTIVE)
    if status in AssignmentStatus.values:
        assignments = assignments.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        assignments = assignments.filter(Q(worker__last_name__icontains=query) | Q(worker__first_name__icontains=query)
                                         | Q(client__name__icontains=query))
    page = (page_of_search if query else page_of)(request, assignments.order_by("-start_date", "-id"))
    return render(request, "assignments/assignment_list.html", {
        "page": page, "status": status, "statuses": AssignmentStatus.choices, "q": query,
    })


@staff_required
def assignment_detail(request, pk):
    assignment = get_object_or_404(assignments_for(request.user), pk=pk)
    from workers.models import Worker

    workers = scope_to_user(Worker.objects.filter(trajectories__status="active").distinct(), request.user)
    return render(request, "assignments/assignment_detail.html", {
        "assignment": assignment,
        "prestaties": assignment.prestaties.order_by("-date", "-start_time")[:50],
        "hours_form": HoursForm(assignment=assignment),
        "reason_form": ReasonForm(),
        "hand_over_form": HandOverForm(workers=workers.exclude(pk=assignment.worker_id)),
        "can_manage": request.user.role in (Role.BEMIDDELAAR, Role.BEHEERDER),
        "history": audit_history(assignment),
        "no_shows": assignment.no_shows.select_related("reported_by"),
        "incidents": assignment.incidents.all(), "today": today(),
    })


@bemiddelaar_required
@require_POST
def assignment_action(request, pk, action):
    assignment = get_object_or_404(assignments_for(request.user), pk=pk)
    try:
        if action == "pauzeren":
            services.assignment_pause(assignment=assignment, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The assignment is paused."))
        elif action == "hervatten":
            services.assignment_resume(assignment=assignment, actor=request.user)
            messages.success(request, _("The assignment continues."))
        elif action == "beeindigen":
            services.assignment_end(assignment=assignment, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The assignment has ended."))
        elif action == "overdragen":
            from workers.models import Worker

            form = HandOverForm(request.POST, workers=scope_to_user(Worker.objects.all(), request.user))
            if not form.is_valid():
                raise ValidationError(_("Choose a wijk-werker and a date."), code="invalid_hand_over")
            new = services.assignment_hand_over(assignment=assignment, actor=request.user, **form.cleaned_data)
            messages.success(request, _("%(worker)s takes over.") % {"worker": new.worker})
            return redirect("assignments:assignment_detail", pk=new.pk)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("assignments:assignment_detail", pk=assignment.pk)


@staff_required
def worker_calendar(request, worker_pk):
    from workers.models import Worker

    worker = get_object_or_404(scope_to_user(Worker.objects.all(), request.user), pk=worker_pk)
    return _ical_response(worker)
