"""Clients: the client's own details and agreement, and the staff's client pages (the public registration is in
`registrations`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import bemiddelaar_required, gebruiker_required
from wijkwerken.core.dates import today
from wijkwerken.core.downloads import document_response
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import page_of
from wijkwerken.core.selectors import audit_history, municipalities_visible_to

from .. import services
from ..filters import ClientFilter
from ..forms.clients import (
    ClientIdentityForm,
    ClientRegistrationForm,
    ClientUpdateForm,
    ContactForm,
    FeePaidForm,
    SignAgreementForm,
    StopForm,
)
from ..models.clients import ClientStatus, RegistrationFee
from ..selectors.clients import client_of_user, clients_for, fee_for_year
from ..selectors.incidents import absence_history
from ..selectors.requests import help_requests_for
from ..tasks import render_client_agreement


def own_client(request):
    client = client_of_user(request.user)
    if client is None:
        raise Http404
    return client


@gebruiker_required
def my_details(request):
    client = own_client(request)
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
    client = own_client(request)
    try:
        services.client_sign_agreement(client=client, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: you signed the client agreement."))
    return redirect("core:home")


@gebruiker_required
def my_agreement_pdf(request):
    return _agreement_response(own_client(request))


def _agreement_response(client):
    if not client.agreement_pdf:
        # Rendered on the first download after a change, then served from storage.
        render_client_agreement(client.pk)
        client.refresh_from_db(fields=["agreement_pdf"])
    return document_response(client.agreement_pdf, f"gebruikersovereenkomst-{client.number}.pdf", "pdf")


def _client_initial(client):
    return {name: getattr(client, name) for name in ("street", "postcode", "city", "phone", "email", "iban",
                                                      "is_ex_pwa")}


@bemiddelaar_required
def client_list(request):
    queryset = clients_for(request.user).order_by("name")
    client_filter = ClientFilter(request.GET or None, queryset=queryset,
                                 municipalities=municipalities_visible_to(request.user))
    page = page_of(request, client_filter.qs)
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


def staff_client(request, pk):
    return get_object_or_404(clients_for(request.user).select_related("organiser", "registered_by"), pk=pk)


@bemiddelaar_required
def client_detail(request, pk):
    client = staff_client(request, pk)
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
        **absence_history(client=client),
        "sign_form": forms.get("sign_form") or SignAgreementForm(),
        "fee_form": forms.get("fee_form") or FeePaidForm(),
        "stop_form": forms.get("stop_form") or StopForm(),
        "Status": ClientStatus,
    }


@bemiddelaar_required
def client_edit(request, pk):
    client = staff_client(request, pk)
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
    client = staff_client(request, pk)
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
    client = staff_client(request, pk)
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
    client = staff_client(request, pk)
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
    client = staff_client(request, pk)
    services.registration_fee_ensure(client=client, year=today().year, actor=request.user)
    return redirect("assignments:client_detail", pk=client.pk)


@bemiddelaar_required
def client_agreement_pdf(request, pk):
    return _agreement_response(staff_client(request, pk))


@bemiddelaar_required
def client_contact_add(request, pk):
    client = staff_client(request, pk)
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
