from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.core.selectors import audit_history, scope_to_user

from . import services
from .forms import EmailAuthenticationForm, QueuedPasswordResetForm, StaffAccountEditForm, StaffAccountForm
from .models import STAFF_ACCOUNT_ROLES, User
from .permissions import beheerder_required


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


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


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
    return render(request, "accounts/staff_list.html", {"accounts": _staff_accounts(request.user)})


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
                  {"account": account, "form": form, "history": audit_history(account)})


@beheerder_required
@require_POST
def staff_send_setup_mail(request, pk):
    account = get_object_or_404(_staff_accounts(request.user), pk=pk)
    services.staff_account_send_setup_mail(user=account, actor=request.user)
    messages.success(request, _("%(email)s received a new mail to choose a password.") % {"email": account.email})
    return redirect("accounts:staff_detail", pk=account.pk)
