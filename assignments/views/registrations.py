"""Online registration: the public form, the confirmation link, and the bemiddelaar's check of registrations
whose number already belongs to a client."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import bemiddelaar_required
from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import page_of
from wijkwerken.core.throttle import client_address, rate_limit_hit

from .. import services
from ..forms.clients import ClientRegistrationForm
from ..forms.registrations import RegistrationRejectForm
from ..models import Client, RegistrationStatus
from ..selectors.registrations import registrations_for
from ..services.registrations import registration_from_token

# Registration attempts per client address per hour (every post of the form counts).
REGISTRATIONS_PER_HOUR = 10


def register(request):
    """The public registration form. Whatever is sent, the answer is the same: "check your mailbox"."""
    if request.user.is_authenticated:
        return redirect("core:home")
    if request.method == "POST" and rate_limit_hit(f"register:{client_address(request)}",
                                                   limit=REGISTRATIONS_PER_HOUR, period=3600):
        # Not even validated; what was typed stays (but the passwords).
        typed = {name: value for name, value in request.POST.items() if not name.startswith("password")}
        return render(request, "assignments/client_register.html",
                      {"form": ClientRegistrationForm(initial=typed, online=True), "rate_limited": True},
                      status=429)
    form = ClientRegistrationForm(request.POST or None, online=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_registration_submit(**form.service_kwargs())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("assignments:register_sent")
    return render(request, "assignments/client_register.html", {"form": form})


def register_sent(request):
    return render(request, "assignments/registration_sent.html")


def register_confirm(request, token):
    """The link in the mail: a button (mail scanners follow links, they do not press buttons)."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "assignments/registration_confirm.html", {"invalid": True}, status=404)
    if request.method == "POST":
        try:
            result = services.client_registration_confirm(registration=registration)
        except ValidationError as error:
            return render(request, "assignments/registration_confirm.html",
                          {"invalid": True, "error": " ".join(error.messages)}, status=409)
        if isinstance(result, Client):
            user = result.contacts.get().user
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! You are registered with client number %(number)s.")
                             % {"number": result.number})
            return redirect("core:home")
        return render(request, "assignments/registration_confirm.html", {"held": True})
    return render(request, "assignments/registration_confirm.html", {"registration": registration})


@bemiddelaar_required
def registration_list(request):
    registrations = registrations_for(request.user)
    return render(request, "assignments/registration_list.html", {
        "to_check": registrations.filter(status=RegistrationStatus.REVIEW),
        "page": page_of(request, registrations.exclude(status=RegistrationStatus.REVIEW).order_by("-reviewed_at")),
    })


def _staff_registration(request, pk):
    return get_object_or_404(registrations_for(request.user), pk=pk)


@bemiddelaar_required
def registration_detail(request, pk, reject_form=None):
    registration = _staff_registration(request, pk)
    existing = registration.existing_client
    return render(request, "assignments/registration_detail.html", {
        "registration": registration, "existing": existing,
        "existing_contacts": existing.contacts.select_related("user") if existing else [],
        "reject_form": reject_form or RegistrationRejectForm(),
        "to_check": registration.status == RegistrationStatus.REVIEW,
    })


@bemiddelaar_required
@require_POST
def registration_approve(request, pk):
    registration = _staff_registration(request, pk)
    try:
        services.client_registration_approve(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assignments:registration_detail", pk=registration.pk)
    messages.success(request, _("Approved: %(email)s now logs in for %(client)s.")
                     % {"email": registration.email, "client": registration.existing_client})
    return redirect("assignments:client_detail", pk=registration.existing_client_id)


@bemiddelaar_required
@require_POST
def registration_reject(request, pk):
    registration = _staff_registration(request, pk)
    form = RegistrationRejectForm(request.POST)
    if form.is_valid():
        try:
            services.client_registration_reject(registration=registration, actor=request.user,
                                                reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The registration was rejected; %(email)s received the reason.")
                             % {"email": registration.email})
            return redirect("assignments:registration_list")
    return registration_detail(request, pk, reject_form=form)
