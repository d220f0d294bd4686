"""The Django admin is for developers only and read-only here: money changes only through the services."""

from django.contrib import admin

from .models import (
    BankImport,
    BankLine,
    Cheque,
    ChequeOrder,
    ClientCredit,
    MolliePayment,
    Payment,
    PayoutBatch,
    PayoutCorrection,
    PayoutItem,
    PayoutLine,
    RefundBatch,
    Settlement,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChequeOrder)
class ChequeOrderAdmin(ReadOnlyAdmin):
    exclude = ("pdf",)  # documents have no URL: they are downloaded through the scoped views only
    list_display = ("pk", "client", "quantity", "total", "amount_paid", "status", "ordered_on", "due_on")
    list_filter = ("status", "organiser")
    search_fields = ("structured_communication", "client__name")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("order", "amount", "method", "received_on")
    list_filter = ("method",)


@admin.register(ClientCredit)
class ClientCreditAdmin(ReadOnlyAdmin):
    list_display = ("client", "amount", "kind", "payer_iban", "refund_batch", "created_at")
    list_filter = ("kind",)


@admin.register(RefundBatch)
class RefundBatchAdmin(ReadOnlyAdmin):
    exclude = ("file",)  # documents have no URL: they are downloaded through the scoped views only
    list_display = ("number", "organiser", "execution_date", "count", "total", "created_at")
    list_filter = ("organiser",)


@admin.register(BankImport)
class BankImportAdmin(ReadOnlyAdmin):
    exclude = ("file",)  # documents have no URL: they are downloaded through the scoped views only
    list_display = ("original_name", "file_format", "status", "lines_new", "lines_matched", "created_at")
    list_filter = ("status", "file_format")


@admin.register(BankLine)
class BankLineAdmin(ReadOnlyAdmin):
    list_display = ("booking_date", "amount", "payer_name", "communication", "status")
    list_filter = ("status",)
    search_fields = ("payer_name", "communication", "payer_iban")


@admin.register(MolliePayment)
class MolliePaymentAdmin(ReadOnlyAdmin):
    list_display = ("mollie_id", "order", "amount", "status", "method", "created_at")
    list_filter = ("status",)


@admin.register(Cheque)
class ChequeAdmin(ReadOnlyAdmin):
    list_display = ("serial", "client", "kind", "status", "issued_on", "expires_on", "prestatie", "redeemed_at")
    list_filter = ("status", "kind")
    search_fields = ("serial",)
    raw_id_fields = ("prestatie",)


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ("prestatie", "client", "status", "cheques", "waiting_since", "paid_at")
    list_filter = ("status",)
    raw_id_fields = ("prestatie",)


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdmin):
    exclude = ("file",)  # documents have no URL: they are downloaded through the scoped views only
    list_display = ("number", "organiser", "month", "execution_date", "count", "total", "status", "created_at")
    list_filter = ("organiser", "status")


@admin.register(PayoutLine)
class PayoutLineAdmin(ReadOnlyAdmin):
    list_display = ("batch", "name", "iban", "cheques", "allowance", "travel", "corrections", "total")
    raw_id_fields = ("worker", "batch")


@admin.register(PayoutItem)
class PayoutItemAdmin(ReadOnlyAdmin):
    list_display = ("line", "kind", "date", "prestatie", "cheques", "kilometres", "amount")
    list_filter = ("kind",)
    raw_id_fields = ("prestatie", "line", "worker", "correction")


@admin.register(PayoutCorrection)
class PayoutCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("worker", "amount", "reason", "created_at")
    raw_id_fields = ("worker",)
