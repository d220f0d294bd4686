"""Prestaties: registering hours, the validation and dispute queues, and the client's confirmation."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from wijkwerken.accounts.models import ORGANISER_STAFF_ROLES, Role
from wijkwerken.accounts.permissions import gebruiker_required, role_required, staff_required
from wijkwerken.core.dates import date_param, today
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import page_of, page_of_search
from wijkwerken.core.selectors import audit_history, scope_to_user

from .. import services
from ..charts import caps_chart
from ..forms.prestaties import CorrectionForm, DisputeForm, HoursForm, KilometresForm, ReasonForm, ResolveForm
from ..models.placements import AssignmentStatus
from ..models.prestaties import PrestatieStatus
from ..selectors.incidents import absence_history
from ..selectors.placements import assignments_for, worker_of_user
from ..selectors.prestaties import dispute_queue, hour_caps, prestaties_for, queue_rows, validation_queue

hours_registrars = role_required(Role.WIJKWERKER, Role.BEMIDDELAAR, Role.BEHEERDER)


def _is_staff(user) -> bool:
    return user.role in ORGANISER_STAFF_ROLES


def _day_asked(data, default: datetime.date) -> datetime.date:
    """The `date` a form or a panel asks about (the caps are counted for its month), else `default`."""
    return date_param(data.get("date"), default)


@hours_registrars
def hours_register(request, pk):
    assignment = get_object_or_404(assignments_for(request.user), pk=pk)
    initial = {}
    if asked := date_param(request.GET.get("date"), None):
        initial["date"] = asked
    form = HoursForm(request.POST or None, assignment=assignment, initial=initial)
    # The gauges count the month of the day being registered, not necessarily this month.
    day = _day_asked(request.POST, default=form.initial.get("date") or initial.get("date") or today())
    warnings = []
    if request.method == "POST" and form.is_valid():
        try:
            prestatie = services.prestatie_register(assignment=assignment, actor=request.user, **form.cleaned_data)
        except services.UnconfirmedWarnings as unusual:
            warnings = unusual.messages
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, ngettext(
                "Registered: %(date)s from %(start)s to %(end)s (%(cheques)s cheque).",
                "Registered: %(date)s from %(start)s to %(end)s (%(cheques)s cheques).", prestatie.cheques) % {
                "date": prestatie.date.strftime("%d/%m/%Y"), "start": prestatie.start_time.strftime("%H:%M"),
                "end": prestatie.end_time.strftime("%H:%M"), "cheques": prestatie.cheques})
            if request.user.role == Role.WIJKWERKER:
                return redirect(f"{reverse('assignments:my_week')}?week={prestatie.date.isoformat()}")
            return redirect("assignments:assignment_detail", pk=assignment.pk)
    return render(request, "assignments/hours_form.html", {
        "assignment": assignment, "form": form, "caps": hour_caps(worker=assignment.worker, on=day),
        "warnings": warnings, "is_worker": request.user.role == Role.WIJKWERKER,
        "panel_url": reverse("assignments:my_hours_panel") if request.user.role == Role.WIJKWERKER
        else reverse("assignments:worker_hours_panel", args=[assignment.worker_id]),
    })


@role_required(Role.WIJKWERKER)
def my_hours_panel(request):
    worker = worker_of_user(request.user)
    if worker is None:
        raise Http404
    day = _day_asked(request.GET, default=today())
    caps = hour_caps(worker=worker, on=day)
    # The hours form asks again for each date typed: the gauges only, without the chart.
    chart = None if "date" in request.GET else caps_chart(request.user, caps=caps)
    return render(request, "assignments/_hours_gauges.html", {"caps": caps, "caps_chart": chart})


@gebruiker_required
def my_hours(request):
    prestaties = prestaties_for(request.user).order_by("-date", "-start_time")
    to_confirm = list(prestaties.filter(status=PrestatieStatus.VALIDATED))
    history = page_of(request, prestaties.exclude(status=PrestatieStatus.VALIDATED))
    return render(request, "assignments/my_hours.html", {
        "to_confirm": to_confirm, "history": history, "dispute_form": DisputeForm(),
    })


@role_required(Role.GEBRUIKER, Role.BEMIDDELAAR, Role.BEHEERDER)
@require_POST
def prestatie_confirm(request, pk):
    prestatie = get_object_or_404(prestaties_for(request.user), pk=pk)
    try:
        services.prestatie_confirm(prestatie=prestatie, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: the hours of %(date)s are confirmed.") % {
            "date": prestatie.date.strftime("%d/%m/%Y")})
    return redirect(_back(request, "assignments:my_hours", prestatie))


@role_required(Role.GEBRUIKER, Role.BEMIDDELAAR, Role.BEHEERDER)
@require_POST
def prestatie_dispute(request, pk):
    prestatie = get_object_or_404(prestaties_for(request.user), pk=pk)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell us what is not right."))
        return redirect(_back(request, "assignments:my_hours", prestatie))
    try:
        services.prestatie_dispute(prestatie=prestatie, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you. The wijk-werkorganisatie will look into it and contact you."))
    return redirect(_back(request, "assignments:my_hours", prestatie))


def _back(request, client_url_name, prestatie):
    if _is_staff(request.user):
        return reverse("assignments:prestatie_detail", args=[prestatie.pk])
    return reverse(client_url_name)


def prestatie_confirm_link(request, token):
    """The one-click link in the e-mail. GET shows the hours; the client confirms or disputes with a POST."""
    actor = request.user if request.user.is_authenticated else None
    try:
        prestatie = services.prestatie_from_token(token)
    except ValidationError as error:
        return render(request, "assignments/confirm_link.html", {"error": " ".join(error.messages)}, status=400)
    form = DisputeForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.prestatie_confirm(prestatie=prestatie, actor=actor, via_link=True)
                done = _("Thank you: the hours are confirmed.")
            elif action == "dispute" and form.is_valid():
                services.prestatie_dispute(prestatie=prestatie, actor=actor, via_link=True, **form.cleaned_data)
                done = _("Thank you. The wijk-werkorganisatie will look into it and contact you.")
            else:
                raise ValidationError(_("Tell us what is not right."), code="no_reason")
        except ValidationError as error:
            return render(request, "assignments/confirm_link.html",
                          {"prestatie": prestatie, "form": form, "error": " ".join(error.messages)}, status=400)
        return render(request, "assignments/confirm_link.html", {"done": done})
    return render(request, "assignments/confirm_link.html", {"prestatie": prestatie, "form": form})


@staff_required
def worker_hours_panel(request, worker_pk):
    """The hours gauges on the worker page (workers' page includes this partial by URL name)."""
    from workers.models import Worker

    worker = get_object_or_404(scope_to_user(Worker.objects.all(), request.user), pk=worker_pk)
    day = _day_asked(request.GET, default=today())
    caps = hour_caps(worker=worker, on=day)
    return render(request, "assignments/_hours_gauges.html", {
        "caps": caps, "worker": worker,
        "caps_chart": None if "date" in request.GET else caps_chart(request.user, caps=caps, worker=worker),
        "assignments": assignments_for(request.user).filter(worker=worker).exclude(status=AssignmentStatus.ENDED),
        **absence_history(worker=worker),
    })


@staff_required
def prestatie_queue(request):
    queue = request.GET.get("lijst", "valideren")
    if request.method == "POST":
        if request.user.role not in (Role.BEMIDDELAAR, Role.BEHEERDER):
            raise PermissionDenied
        ids = [int(pk) for pk in request.POST.getlist("prestatie") if pk.isdigit()]
        chosen = list(validation_queue(request.user).filter(pk__in=ids))
        count = services.prestaties_validate(prestaties=chosen, actor=request.user)
        if count:
            messages.success(request, ngettext("%(count)s prestatie validated.", "%(count)s prestaties validated.",
                                               count) % {"count": count})
        else:
            messages.warning(request, _("Choose the prestaties to validate."))
        return redirect("assignments:prestatie_queue")
    rows = queue_rows(request.user, queue)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(worker__last_name__icontains=query) | Q(client__name__icontains=query))
    page = (page_of_search if query else page_of)(request, rows, per_page=50)
    return render(request, "assignments/prestatie_queue.html", {
        "page": page, "queue": queue, "q": query,
        "counts": {"valideren": validation_queue(request.user).count(),
                   "betwist": dispute_queue(request.user).count()},
    })


@staff_required
def prestatie_detail(request, pk):
    prestatie = get_object_or_404(prestaties_for(request.user), pk=pk)
    can_manage = request.user.role in (Role.BEMIDDELAAR, Role.BEHEERDER)
    forms = {
        "correct": CorrectionForm(initial={"date": prestatie.date, "start_time": prestatie.start_time,
                                           "end_time": prestatie.end_time, "kilometres": prestatie.kilometres}),
        "resolve": ResolveForm(),
        "cancel": ReasonForm(),
        "kilometres": KilometresForm(initial={"kilometres": prestatie.kilometres}),
    }
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "validate":
                services.prestatie_validate(prestatie=prestatie, actor=request.user)
            elif action in forms:
                form = forms[action] = type(forms[action])(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Please check the form."), code="invalid_form")
                service = {"correct": services.prestatie_correct, "resolve": services.prestatie_resolve,
                           "cancel": services.prestatie_cancel,
                           "kilometres": services.prestatie_correct_kilometres}[action]
                service(prestatie=prestatie, actor=request.user, **form.cleaned_data)
            else:
                raise Http404
        except ValidationError as error:
            if action == "validate":
                messages.error(request, " ".join(error.messages))
            else:
                attach_errors(forms[action], error)
        else:
            messages.success(request, _("The prestatie was saved."))
            return redirect("assignments:prestatie_detail", pk=prestatie.pk)
    return render(request, "assignments/prestatie_detail.html", {
        "prestatie": prestatie, "can_manage": can_manage, "correction_form": forms["correct"],
        "resolve_form": forms["resolve"], "cancel_form": forms["cancel"], "dispute_form": DisputeForm(),
        "kilometres_form": forms["kilometres"],
        "history": audit_history(prestatie),
    })
