"""Thin views: permission, form, one service call, redirect. Objects come from scoped selectors (404 otherwise)."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.models import Role
from wijkwerken.accounts.permissions import beheerder_required, bemiddelaar_required, gebruiker_required, role_required
from wijkwerken.core.dates import today
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.models import Municipality
from wijkwerken.core.selectors import audit_history, municipalities_visible_to

from . import services
from .filters import ClientFilter, HelpRequestFilter
from .forms import (
    ActivityForm,
    CancelForm,
    ClientIdentityForm,
    ClientRegistrationForm,
    ClientUpdateForm,
    ContactForm,
    EndForm,
    FeePaidForm,
    HelpRequestForm,
    PublicListForm,
    RequestStatusForm,
    RestrictionForm,
    SignAgreementForm,
    StopForm,
)
from .models import Activity, ActivityStatus, ClientCategory, ClientStatus, RegistrationFee, RequestStatus
from .selectors import (
    activities_allowed_for,
    activities_allowed_in,
    activity_list_for,
    client_of_user,
    clients_for,
    fee_for_year,
    help_requests_for,
    restrictions_for,
)
from .tasks import render_client_agreement

PAGE_SIZE = 25
activity_viewers = role_required(Role.BEHEERDER, Role.BEMIDDELAAR, Role.GEMEENTE)



# --- public -------------------------------------------------------------------------------------------------

def register(request):
    """Online self-registration: creates the client and its login, then logs the person in."""
    if request.user.is_authenticated:
        return redirect("core:home")
    form = ClientRegistrationForm(request.POST or None, online=True)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_register(**form.service_kwargs())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            user = client.contacts.get().user
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! You are registered with client number %(number)s.")
                             % {"number": client.number})
            return redirect("core:home")
    return render(request, "assignments/client_register.html", {"form": form})


def public_activity_list(request, nis_code=None, category=None):
    """What may be asked, per municipality and client category, on a date (today by default).

    Also at a stable address per municipality and category (/activiteiten/wat-mag/24062/particulier/) that a
    municipality can link to from its own website.
    """
    data = request.GET.copy() if request.GET else None
    if nis_code is not None:
        municipality = get_object_or_404(Municipality, nis_code=nis_code, organiser__isnull=False)
        if category not in ClientCategory.values:
            raise Http404
        data = data or request.GET.copy()
        data.update({"municipality": str(municipality.pk), "category": category})
    form = PublicListForm(data)
    groups, on = [], today()
    if form.is_valid():
        on = form.cleaned_data["on"] or today()
        allowed = activities_allowed_in(municipality=form.cleaned_data["municipality"],
                                        category=form.cleaned_data["category"], on=on)
        groups = [(main, list(items)) for main, items in groupby(allowed, key=lambda a: a.main_activity)]
    return render(request, "assignments/activity_public.html", {"form": form, "groups": groups, "on": on})


# --- the client's own pages ----------------------------------------------------------------------------------

def _own_client(request):
    client = client_of_user(request.user)
    if client is None:
        raise Http404
    return client


@gebruiker_required
def my_request_create(request):
    client = _own_client(request)
    return _request_form(request, client, template="assignments/request_create.html",
                         done=lambda r: redirect("assignments:my_request_detail", pk=r.pk))


def _request_form(request, client, *, template, done):
    form = HelpRequestForm(request.POST or None, allowed=activities_allowed_for(client=client, on=today()),
                           candidates=Activity.objects.filter(organiser_id=client.organiser_id))
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
    })


@gebruiker_required
@require_POST
def my_request_cancel(request, pk):
    help_request = get_object_or_404(help_requests_for(request.user), pk=pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.help_request_cancel(request=help_request, actor=request.user,
                                     reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request was cancelled."))
    return redirect("assignments:my_request_detail", pk=pk)


@gebruiker_required
def my_details(request):
    client = _own_client(request)
    form = ClientUpdateForm(request.POST or None, staff=False, initial=_client_initial(client))
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(client=client, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your details were saved."))
            return redirect("core:home")
    return render(request, "assignments/client_edit.html", {"form": form, "client": client, "own": True})


@gebruiker_required
@require_POST
def my_agreement_sign(request):
    client = _own_client(request)
    try:
        services.client_sign_agreement(client=client, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: you signed the client agreement."))
    return redirect("core:home")


@gebruiker_required
def my_agreement_pdf(request):
    return _agreement_response(_own_client(request))


def _agreement_response(client):
    if not client.agreement_pdf:
        # Rendered on the first download after a change, then served from storage.
        render_client_agreement(client.pk)
        client.refresh_from_db(fields=["agreement_pdf"])
    return FileResponse(client.agreement_pdf.open("rb"), content_type="application/pdf",
                        filename=f"gebruikersovereenkomst-{client.number}.pdf")


def _client_initial(client):
    return {name: getattr(client, name) for name in ("street", "postcode", "city", "phone", "email", "iban",
                                                      "is_ex_pwa")}


# --- staff: clients -------------------------------------------------------------------------------------------

@bemiddelaar_required
def client_list(request):
    queryset = clients_for(request.user).order_by("name")
    client_filter = ClientFilter(request.GET or None, queryset=queryset,
                                 municipalities=municipalities_visible_to(request.user))
    page = Paginator(client_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assignments/client_list.html", {"filter": client_filter, "page": page})


@bemiddelaar_required
def client_create(request):
    form = ClientRegistrationForm(request.POST or None, online=False, organiser=request.user.organiser)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_register(organiser=request.user.organiser, actor=request.user,
                                              **form.service_kwargs())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered with client number %(number)s.")
                             % {"name": client.name, "number": client.number})
            return redirect("assignments:client_detail", pk=client.pk)
    return render(request, "assignments/client_create.html", {"form": form})


def _staff_client(request, pk):
    return get_object_or_404(clients_for(request.user).select_related("organiser", "registered_by"), pk=pk)


@bemiddelaar_required
def client_detail(request, pk):
    client = _staff_client(request, pk)
    return render(request, "assignments/client_detail.html", _client_context(request, client))


def _client_context(request, client, **forms):
    fees = list(client.fees.all())
    return {
        "client": client,
        "contacts": client.contacts.select_related("user"),
        "fees": fees,
        "current_fee": fee_for_year(client, today().year),
        "requests": client.requests.select_related("activity", "activity__main_activity")[:20],
        "history": audit_history(client),
        "sign_form": forms.get("sign_form") or SignAgreementForm(),
        "fee_form": forms.get("fee_form") or FeePaidForm(),
        "stop_form": forms.get("stop_form") or StopForm(),
        "Status": ClientStatus,
    }


@bemiddelaar_required
def client_edit(request, pk):
    client = _staff_client(request, pk)
    form = ClientUpdateForm(request.POST or None, staff=True, initial=_client_initial(client))
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(client=client, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The details were saved."))
            return redirect("assignments:client_detail", pk=client.pk)
    return render(request, "assignments/client_edit.html", {"form": form, "client": client})


@bemiddelaar_required
def client_identity(request, pk):
    """Correct a typo or a wrong category in who the client is (staff only, with a reason)."""
    client = _staff_client(request, pk)
    initial = {"category": client.category, "name": "" if client.is_private else client.name,
               "first_name": client.first_name, "last_name": client.last_name,
               "national_number": client.national_number_display, "kbo_number": client.kbo_number}
    form = ClientIdentityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_identity_correct(client=client, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The identity of %(name)s was corrected.") % {"name": client.name})
            return redirect("assignments:client_detail", pk=client.pk)
    return render(request, "assignments/client_identity.html", {"form": form, "client": client})


@bemiddelaar_required
@require_POST
def client_action(request, pk, action):
    """The status buttons on the client page: sign (paper agreement), activate, stop."""
    client = _staff_client(request, pk)
    try:
        if action == "sign":
            form = SignAgreementForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Fill in a valid date."), code="invalid_date")
            services.client_sign_agreement(client=client, signed_on=form.cleaned_data["signed_on"],
                                           actor=request.user)
        elif action == "activate":
            services.client_activate(client=client, actor=request.user)
        elif action == "stop":
            form = StopForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give a reason."), code="reason_required")
            services.client_stop(client=client, reason=form.cleaned_data["reason"], actor=request.user)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The client was updated."))
    return redirect("assignments:client_detail", pk=client.pk)


@bemiddelaar_required
@require_POST
def fee_mark_paid(request, pk, fee_pk):
    client = _staff_client(request, pk)
    fee = get_object_or_404(RegistrationFee, client=client, pk=fee_pk)
    form = FeePaidForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Fill in a valid date."), code="invalid_date")
        services.registration_fee_mark_paid(fee=fee, paid_on=form.cleaned_data["paid_on"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The registration fee was marked as paid."))
    return redirect("assignments:client_detail", pk=client.pk)


@bemiddelaar_required
@require_POST
def fee_open(request, pk):
    client = _staff_client(request, pk)
    services.registration_fee_ensure(client=client, year=today().year)
    return redirect("assignments:client_detail", pk=client.pk)


@bemiddelaar_required
def client_agreement_pdf(request, pk):
    return _agreement_response(_staff_client(request, pk))


@bemiddelaar_required
def client_contact_add(request, pk):
    client = _staff_client(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_contact_add(client=client, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The contact person receives an e-mail to choose a password."))
            return redirect("assignments:client_detail", pk=client.pk)
    return render(request, "assignments/contact_form.html", {"form": form, "client": client})


@bemiddelaar_required
def client_request_create(request, pk):
    client = _staff_client(request, pk)
    return _request_form(request, client, template="assignments/request_create.html",
                         done=lambda r: redirect("assignments:request_detail", pk=r.pk))


# --- staff: the request queue ---------------------------------------------------------------------------------

@role_required(Role.BEHEERDER, Role.BEMIDDELAAR, Role.GEMEENTE)
def request_queue(request):
    # Always bound: without a status chosen, the queue shows the open requests.
    request_filter = HelpRequestFilter(
        request.GET, queryset=help_requests_for(request.user),
        municipalities=municipalities_visible_to(request.user),
    )
    page = Paginator(request_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
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
    form = RequestStatusForm(request.POST or None, request_obj=help_request) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.help_request_change_status(request=help_request, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The request was updated."))
                return redirect("assignments:request_detail", pk=pk)
    return render(request, "assignments/request_detail.html", {
        "help_request": help_request, "status_form": form, "history": audit_history(help_request),
        "own": False,
    })


# --- the activity list -----------------------------------------------------------------------------------------

@activity_viewers
def activity_list(request):
    category = request.GET.get("category") or ClientCategory.PARTICULIER
    if category not in ClientCategory.values:
        category = ClientCategory.PARTICULIER
    user = request.user
    rows = list(activity_list_for(user).filter(category=category).order_by("main_activity__name", "name",
                                                                           "valid_from"))
    restrictions = list(restrictions_for(user).filter(activity__category=category))
    by_activity = {}
    for restriction in restrictions:
        by_activity.setdefault(restriction.activity_id, []).append(restriction)
    for row in rows:
        row.municipal_restrictions = by_activity.get(row.pk, [])
    groups = [(main, list(items)) for main, items in groupby(rows, key=lambda a: a.main_activity)]
    return render(request, "assignments/activity_list.html", {
        "groups": groups, "category": category, "categories": ClientCategory.choices, "today": today(),
        "is_beheerder": user.role == Role.BEHEERDER, "is_gemeente": user.role == Role.GEMEENTE,
        "is_empty": not Activity.objects.filter(organiser_id=user.organiser_id).exists(),
        "end_form": EndForm(),
    })


@beheerder_required
@require_POST
def activity_list_load(request):
    count = services.activity_list_seed(organiser=request.user.organiser, actor=request.user)
    messages.success(request, _("%(count)s activities were loaded.") % {"count": count})
    return redirect("assignments:activity_list")


@role_required(Role.BEHEERDER, Role.GEMEENTE)
def activity_create(request):
    user = request.user
    form = ActivityForm(request.POST or None, initial={"category": request.GET.get("category")})
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                organiser=user.organiser, actor=user,
                municipality=user.municipality if user.role == Role.GEMEENTE else None, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": activity.name})
            return redirect(f"{_list_url()}?category={activity.category}")
    return render(request, "assignments/activity_form.html", {"form": form})


def _list_url():
    return reverse("assignments:activity_list")


@role_required(Role.BEHEERDER, Role.GEMEENTE)
@require_POST
def activity_end(request, pk):
    activity = get_object_or_404(activity_list_for(request.user), pk=pk)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Fill in a valid date."), code="invalid_date")
        services.activity_end(activity=activity, last_day=form.cleaned_data["last_day"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” ends after %(date)s.") % {
            "name": activity.name, "date": form.cleaned_data["last_day"].strftime("%d/%m/%Y")})
    return redirect(f"{_list_url()}?category={activity.category}")


@beheerder_required
@require_POST
def activity_confirm(request, pk):
    """The beheerder confirms an example from practice as part of the organiser's official list."""
    activity = get_object_or_404(activity_list_for(request.user), pk=pk)
    try:
        services.activity_update(activity=activity, status=ActivityStatus.OFFICIEEL, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” is now official.") % {"name": activity.name})
    return redirect(f"{_list_url()}?category={activity.category}")


@role_required(Role.GEMEENTE)
def activity_restrict(request):
    user = request.user
    flemish = activity_list_for(user).filter(municipality__isnull=True).valid_on(today()).order_by(
        "category", "main_activity__name", "name")
    form = RestrictionForm(request.POST or None, activities=flemish,
                           initial={"activity": request.GET.get("activity")})
    if request.method == "POST" and form.is_valid():
        try:
            restriction = services.activity_restrict(municipality=user.municipality, actor=user,
                                                     **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” is no longer allowed in %(municipality)s from %(date)s.") % {
                "name": restriction.activity.name, "municipality": user.municipality.name,
                "date": restriction.valid_from.strftime("%d/%m/%Y")})
            return redirect(f"{_list_url()}?category={restriction.activity.category}")
    return render(request, "assignments/restriction_form.html", {"form": form})


@role_required(Role.GEMEENTE)
@require_POST
def restriction_end(request, pk):
    restriction = get_object_or_404(restrictions_for(request.user), pk=pk)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Fill in a valid date."), code="invalid_date")
        services.activity_restriction_end(restriction=restriction, last_day=form.cleaned_data["last_day"],
                                          actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The restriction was lifted."))
    return redirect(f"{_list_url()}?category={restriction.activity.category}")



# --- panels on the start pages (served here, included by URL by the core start templates) -------------------

@gebruiker_required
def panel_client(request):
    client = client_of_user(request.user)
    context = {"client": client}
    if client is not None:
        context.update({
            "requests": help_requests_for(request.user).order_by("-created_at")[:10],
            "current_fee": client.fees.filter(year=today().year).first(),
            "year": today().year,
            "Status": ClientStatus,
        })
    return render(request, "assignments/_panel_client.html", context)


@bemiddelaar_required
def panel_queue(request):
    open_requests = help_requests_for(request.user).filter(status__in=[RequestStatus.NIEUW,
                                                                       RequestStatus.IN_BEHANDELING])
    by_municipality = (open_requests.values("municipality__name", "status").annotate(n=Count("id"))
                       .order_by("municipality__name"))
    rows = {}
    for row in by_municipality:
        rows.setdefault(row["municipality__name"], {})[row["status"]] = row["n"]
    waiting_clients = clients_for(request.user).filter(
        status__in=[ClientStatus.AANGEVRAAGD, ClientStatus.OVEREENKOMST_ONDERTEKEND]).count()
    return render(request, "assignments/_panel_queue.html", {
        "rows": sorted(rows.items()), "new": open_requests.filter(status=RequestStatus.NIEUW).count(),
        "in_progress": open_requests.filter(status=RequestStatus.IN_BEHANDELING).count(),
        "oldest": open_requests.filter(status=RequestStatus.NIEUW).order_by("created_at").first(),
        "waiting_clients": waiting_clients,
    })


@role_required(Role.GEMEENTE)
def panel_municipality(request):
    user = request.user
    return render(request, "assignments/_panel_municipality.html", {
        "restrictions": restrictions_for(user).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today())).order_by("valid_from"),
        "local_activities": activity_list_for(user).filter(municipality=user.municipality).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today())),
        "open_requests": help_requests_for(user).filter(status__in=[RequestStatus.NIEUW,
                                                                    RequestStatus.IN_BEHANDELING]).count(),
        "clients": clients_for(user).exclude(status=ClientStatus.STOPGEZET).count(),
        "today": today(),
    })
