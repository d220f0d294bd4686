"""Requests for help: the client's own requests and the staff queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import bemiddelaar_required, gebruiker_required, role_required, sees_personal_data
from wijkwerken.core.dates import today
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.models import Municipality
from wijkwerken.core.pagination import page_of
from wijkwerken.core.selectors import audit_history, municipalities_visible_to

from .. import services
from ..filters import HelpRequestFilter
from ..forms.requests import CancelForm, HelpRequestForm, RequestStatusForm
from ..models.activities import Activity
from ..models.clients import ClientStatus
from ..models.requests import RequestStatus
from ..selectors.activities import activities_allowed_for
from ..selectors.clients import clients_for
from ..selectors.placements import assignments_for
from ..selectors.requests import help_requests_for
from .clients import own_client, staff_client


@gebruiker_required
def my_request_create(request):
    client = own_client(request)
    return _request_form(request, client, template="assignments/request_create.html",
                         done=lambda r: redirect("assignments:my_request_detail", pk=r.pk))


def _request_form(request, client, *, template, done):
    form = HelpRequestForm(request.POST or None, allowed=activities_allowed_for(client=client, on=today()),
                           candidates=Activity.objects.filter(organiser_id=client.organiser_id),
                           municipalities=Municipality.objects.filter(organiser_id=client.organiser_id))
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.help_request_create(client=client, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if request.user.role == Role.GEBRUIKER:
                messages.success(request, _("Your request was sent. A mediator will contact you."))
            else:
                messages.success(request, _("The request was entered for %(name)s.") % {"name": client.name})
            return done(help_request)
    return render(request, template, {"form": form, "client": client, "can_request": client.can_request()})


@gebruiker_required
def my_request_detail(request, pk):
    help_request = get_object_or_404(help_requests_for(request.user), pk=pk)
    return render(request, "assignments/request_detail.html", {
        "help_request": help_request, "cancel_form": CancelForm(), "own": True,
        "assignments": assignments_for(request.user).filter(request=help_request).order_by("-start_date"),
    })


@gebruiker_required
@require_POST
def my_request_cancel(request, pk):
    help_request = get_object_or_404(help_requests_for(request.user), pk=pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.help_request_cancel(help_request=help_request, actor=request.user,
                                     reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request was cancelled."))
    return redirect("assignments:my_request_detail", pk=pk)


@bemiddelaar_required
def client_request_create(request, pk):
    client = staff_client(request, pk)
    return _request_form(request, client, template="assignments/request_create.html",
                         done=lambda r: redirect("assignments:request_detail", pk=r.pk))


@role_required(Role.BEHEERDER, Role.BEMIDDELAAR, Role.GEMEENTE)
def request_queue(request):
    # Always bound: without a status chosen, the queue shows the open requests.
    request_filter = HelpRequestFilter(
        request.GET, queryset=help_requests_for(request.user),
        municipalities=municipalities_visible_to(request.user),
    )
    page = page_of(request, request_filter.qs)
    params = request.GET.copy()
    params.pop("page", None)
    context = {"filter": request_filter, "page": page, "params": params.urlencode()}
    if request.htmx:
        return render(request, "assignments/_request_table.html", context)
    return render(request, "assignments/request_queue.html", context)


@role_required(Role.BEHEERDER, Role.BEMIDDELAAR, Role.GEMEENTE)
def request_detail(request, pk):
    help_request = get_object_or_404(help_requests_for(request.user), pk=pk)
    can_manage = request.user.role in (Role.BEHEERDER, Role.BEMIDDELAAR)
    form = RequestStatusForm(request.POST or None, help_request=help_request) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.help_request_change_status(help_request=help_request, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The request was updated."))
                return redirect("assignments:request_detail", pk=pk)
    return render(request, "assignments/request_detail.html", {
        "help_request": help_request, "status_form": form, "own": False,
        # Municipal staff see no history: it names workers and clients.
        "history": audit_history(help_request) if sees_personal_data(request.user) else None,
    })


@bemiddelaar_required
def panel_queue(request):
    """Open requests per municipality and status (one aggregate over the open ones only), the oldest new request,
    and the clients waiting to be activated."""
    open_requests = help_requests_for(request.user).select_related(None).filter(
        status__in=[RequestStatus.NEW, RequestStatus.IN_PROGRESS])
    rows, totals = {}, {RequestStatus.NEW: 0, RequestStatus.IN_PROGRESS: 0}
    for name, status, count in (open_requests.values("municipality__name", "status").annotate(n=Count("id"))
                                .order_by("municipality__name").values_list("municipality__name", "status", "n")):
        rows.setdefault(name, {})[status] = count
        totals[status] += count
    waiting_clients = clients_for(request.user).select_related(None).filter(
        status__in=[ClientStatus.APPLIED, ClientStatus.AGREEMENT_SIGNED]).count()
    return render(request, "assignments/_panel_queue.html", {
        "rows": sorted(rows.items()), "new": totals[RequestStatus.NEW],
        "in_progress": totals[RequestStatus.IN_PROGRESS],
        "oldest": help_requests_for(request.user).filter(status=RequestStatus.NEW).order_by("created_at").first(),
        "waiting_clients": waiting_clients,
    })
