from base64 import b32encode

import segno
from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken

from wijkwerken.core.errors import attach_errors
from wijkwerken.core.pagination import page_of
from wijkwerken.core.selectors import audit_history, scope_to_user
from wijkwerken.core.throttle import client_address

from . import services
from .forms import (
    EmailAuthenticationForm,
    QueuedPasswordResetForm,
    StaffAccountEditForm,
    StaffAccountForm,
    TwoFactorCodeForm,
)
from .models import STAFF_ACCOUNT_ROLES, User
from .permissions import beheerder_required
from .throttle import address_is_locked


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


def lockout(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the Dutch lock-out page, for one account or for the whole address."""
    return render(request, "accounts/lockout.html", {
        "cooloff_timedelta": get_cool_off(request), "address_locked": address_is_locked(request, credentials),
    }, status=429)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a password through the e-mail link (also the welcome mail of a new account). The link proves the
    mailbox is the person's: the login locks on the account are lifted and the person is logged in (a staff
    member then still gives the code of their authenticator app)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("core:home")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.account_password_reset(user=form.user, address=client_address(self.request))
        messages.success(self.request, _("Your new password is saved and you are logged in."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


def _staff_accounts(user):
    return scope_to_user(User.objects.filter(role__in=STAFF_ACCOUNT_ROLES), user).select_related("municipality")


@beheerder_required
def staff_list(request):
    page = page_of(request, _staff_accounts(request.user).order_by("last_name", "first_name", "pk"))
    return render(request, "accounts/staff_list.html", {"accounts": page, "page": page})


@beheerder_required
def staff_create(request):
    form = StaffAccountForm(request.POST or None, organiser=request.user.organiser)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.staff_account_create(organiser=request.user.organiser, actor=request.user,
                                                    **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account of %(name)s was created; %(email)s received a mail to choose a "
                                        "password.") % {"name": account, "email": account.email})
            return redirect("accounts:staff_detail", pk=account.pk)
    return render(request, "accounts/staff_form.html", {"form": form})


@beheerder_required
def staff_detail(request, pk):
    account = get_object_or_404(_staff_accounts(request.user), pk=pk)
    form = StaffAccountEditForm(request.POST or None, instance=account, organiser=request.user.organiser)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_account_update(user=account, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("accounts:staff_detail", pk=account.pk)
    account.refresh_from_db()
    return render(request, "accounts/staff_detail.html",
                  {"account": account, "form": form, "history": audit_history(account),
                   "two_factor_enabled": services.two_factor_enabled(account)})


@beheerder_required
@require_POST
def staff_send_setup_mail(request, pk):
    account = get_object_or_404(_staff_accounts(request.user), pk=pk)
    services.staff_account_send_setup_mail(user=account, actor=request.user)
    messages.success(request, _("%(email)s received a new mail to choose a password.") % {"email": account.email})
    return redirect("accounts:staff_detail", pk=account.pk)


@beheerder_required
@require_POST
def staff_two_factor_reset(request, pk):
    account = get_object_or_404(_staff_accounts(request.user), pk=pk)
    try:
        services.staff_account_two_factor_reset(user=account, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Two-step verification of %(name)s was reset: at the next login they set up "
                                    "an authenticator app again.") % {"name": account})
    return redirect("accounts:staff_detail", pk=account.pk)


# --- two-step verification ---------------------------------------------------------------------------------------

NEW_CODES_SESSION_KEY = "two_factor_new_codes"


def _next_url(request, default="core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(default)


def _qr_svg(text: str) -> str:
    return segno.make(text, error="m").svg_inline(scale=5, title=_("QR code for your authenticator app"))


def _secret_groups(device) -> str:
    """The secret as an authenticator app asks for it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor(request):
    """The account page of two-step verification: on or off, recovery codes, another app."""
    user = request.user
    return render(request, "accounts/two_factor.html", {
        "enabled": services.two_factor_enabled(user),
        "required": services.two_factor_required(user),
        "codes_left": StaticToken.objects.filter(device__user=user).count(),
    })


@login_required
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the secret), then confirm with a code it shows."""
    user = request.user
    if services.two_factor_enabled(user) and not user.is_verified():
        # Only someone who passed the second step may set up another app.
        return redirect(f"{reverse('accounts:two_factor_verify')}?next={reverse('accounts:two_factor_setup')}")
    device = services.two_factor_device_start(user=user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enable(user=user, code=form.cleaned_data["code"], actor=user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            otp_login(request, device)
            request.session[NEW_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-step verification is on."))
            return redirect(f"{reverse('accounts:two_factor_codes')}?next={_next_url(request)}")
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr_svg": _qr_svg(device.config_url), "secret": _secret_groups(device),
        "required": services.two_factor_required(user), "next": _next_url(request),
    })


@login_required
def two_factor_verify(request):
    """The second step of logging in."""
    user = request.user
    if user.is_verified() or not services.two_factor_enabled(user):
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None, recovery=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"],
                                                address=client_address(request))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def two_factor_codes(request):
    """New recovery codes, shown once (after turning on, or after asking for new ones)."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next_url(request)})


@login_required
@require_POST
def two_factor_codes_renew(request):
    try:
        codes = services.two_factor_recovery_codes_renew(user=request.user, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:two_factor")
    request.session[NEW_CODES_SESSION_KEY] = codes
    return redirect("accounts:two_factor_codes")


@login_required
@require_POST
def two_factor_disable(request):
    try:
        services.two_factor_disable(user=request.user, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Two-step verification is off."))
    return redirect("accounts:two_factor")
