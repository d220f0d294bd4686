"""Forms: the shape of the input only. Rules across rows live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.fields import DateField, DecimalField, IntegerField
from wijkwerken.core.search import SearchSelectField
from wijkwerken.core.uploads import LimitedFileField

from .models import MAX_ORDER_QUANTITY, MIN_ORDER_QUANTITY

QUANTITY_MESSAGE = _("Order between 1 and 500 cheques.")


class OrderForm(forms.Form):
    quantity = IntegerField(
        label=_("Number of cheques"), min_value=MIN_ORDER_QUANTITY, max_value=MAX_ORDER_QUANTITY, initial=10,
        help_text=_("One cheque pays one started hour of work."),
        error_messages={"min_value": QUANTITY_MESSAGE, "max_value": QUANTITY_MESSAGE,
                        "invalid": QUANTITY_MESSAGE, "required": QUANTITY_MESSAGE},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class CancelOrderForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class BankImportForm(forms.Form):
    # Refused while it streams in when too large (wijkwerken.core.uploads).
    file = LimitedFileField(label=_("Bank statement (CODA or CAMT.053)"),
                           help_text=_("The file from your bank: CODA (.cod, .txt) or CAMT.053 (.xml)."))


class AssignLineForm(forms.Form):
    order = IntegerField(label=_("Order number"), required=False, min_value=1)
    client_number = IntegerField(label=_("or client number"), required=False, min_value=1)
    note = forms.CharField(label=_("Note"), max_length=300)

    def __init__(self, *args, orders, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.orders, self.clients = orders, clients

    def clean(self):
        data = super().clean()
        order_pk, number = data.get("order"), data.get("client_number")
        if bool(order_pk) == bool(number):
            raise forms.ValidationError(_("Fill in an order number or a client number."), code="target_required")
        if order_pk:
            data["order_obj"] = self.orders.filter(pk=order_pk).first()
            if data["order_obj"] is None:
                self.add_error("order", forms.ValidationError(_("No such order."), code="unknown_order"))
        else:
            data["client_obj"] = self.clients.filter(number=number).first()
            if data["client_obj"] is None:
                self.add_error("client_number", forms.ValidationError(_("No such client."), code="unknown_client"))
        return data


class DiscardLineForm(forms.Form):
    note = forms.CharField(label=_("Why is this line not for cheques?"), max_length=300)


class PaperChequeForm(forms.Form):
    serial = forms.CharField(label=_("Serial number of the paper cheque"), max_length=40)
    issued_on = DateField(label=_("Bought on (optional)"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))


class UseCreditForm(forms.Form):
    """The "Betalen met tegoed" button: only says which page it was pressed on (to show an error there)."""

    BACK_CHOICES = (("order", "order"), ("client", "client"))
    back = forms.ChoiceField(choices=BACK_CHOICES, required=False, widget=forms.HiddenInput)


class RefundBatchForm(forms.Form):
    clients = forms.ModelMultipleChoiceField(
        label=_("Clients to refund"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one client to refund."),
                        "invalid_choice": _("One of the ticked clients cannot be refunded here."),
                        "invalid_pk_value": _("One of the ticked clients cannot be refunded here.")},
    )
    execution_date = DateField(
        label=_("Execution date"), help_text=_("The day the bank carries out the transfers."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Fill in the execution date."), "invalid": _("Fill in a valid date.")},
    )

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = clients

    @property
    def ticked(self) -> set[str]:
        """The client ids ticked in the submitted form (as strings), to tick them again on the page."""
        return {str(value) for value in (self["clients"].value() or [])}


class PayoutConfirmForm(forms.Form):
    """Confirms the preview the page shows: its month and fingerprint travel with the form."""

    month = DateField(widget=forms.HiddenInput, input_formats=["%Y-%m", "%Y-%m-%d"])
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=129)
    execution_date = DateField(
        label=_("Execution date"), help_text=_("The day the bank carries out the transfers (the payment calendar's "
                                               "date of the month)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the execution date."), "invalid": _("Enter a valid date.")})


class PayoutCorrectionForm(forms.Form):
    """Named as `payout_correction_create` names its arguments."""

    worker = SearchSelectField(label=_("Wijk-werker"), queryset=None, source="workers",
                               error_messages={"required": _("Choose the wijk-werker."),
                                               "invalid_choice": _("Choose the wijk-werker from the list.")})
    amount = DecimalField(
        label=_("Amount (€)"), max_digits=7, decimal_places=2, localize=True,
        help_text=_("Positive to pay more, negative (e.g. -8,20) to take back what was paid too much."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("Enter the amount."), "invalid": _("Enter an amount, e.g. 8,20 or -8,20."),
                        "max_decimal_places": _("Enter the amount in euro and cents, e.g. 8,20."),
                        "max_digits": _("A correction is at most € 5.000,00 either way: check the amount."),
                        "max_whole_digits": _("A correction is at most € 5.000,00 either way: check the amount.")})
    reason = forms.CharField(label=_("Reason"), max_length=300, help_text=_(
        "The wijk-werker reads it on the statement, e.g. \"Betwisting van 3/11 gegrond na betaling\"."))

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
