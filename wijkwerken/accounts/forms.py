from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Municipality
from wijkwerken.core.tasks import send_email

from .models import STAFF_ACCOUNT_ROLES, User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("This e-mail address and password do not match. Check both and try again."),
        "inactive": _("This account has been deactivated. Contact your wijk-werkorganisatie."),
    }


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset mail from a background task, so a slow mail server never slows the page."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.delay(subject, body, [to_email])


class StaffAccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "phone", "role", "municipality")

    def __init__(self, *args, organiser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in STAFF_ACCOUNT_ROLES]
        self.fields["role"].required = True
        self.fields["municipality"].queryset = Municipality.objects.filter(organiser=organiser)
        self.fields["municipality"].help_text = _("Only for municipal staff: they see only this municipality.")
        self.instance.organiser = organiser

    def _post_clean(self):
        # The service validates the whole account (scope, uniqueness) and reports back to the form.
        pass


class StaffAccountEditForm(StaffAccountForm):
    class Meta(StaffAccountForm.Meta):
        fields = ("first_name", "last_name", "phone", "role", "municipality", "is_active")


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                                      "class": "form-control-lg"}),
    )

    def __init__(self, *args, recovery: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if recovery:
            self.fields["code"].help_text = _("The six digits your authenticator app shows now, or one of your "
                                              "recovery codes (each works once).")
            self.fields["code"].widget.attrs["inputmode"] = "text"
