from django.urls import path

from .views import bank, cheques, credits, money, orders, payments, payouts

app_name = "cheques"

urlpatterns = [
    # The client's own pages
    path("mijn/", cheques.my_wallet, name="my_wallet"),
    path("mijn/bestellen/", orders.my_order_create, name="my_order_create"),
    path("mijn/bestellingen/", orders.my_orders, name="my_orders"),
    path("mijn/bestellingen/<int:pk>/", orders.my_order_detail, name="my_order_detail"),
    path("mijn/bestellingen/<int:pk>/pdf/", orders.my_order_pdf, name="my_order_pdf"),
    path("mijn/bestellingen/<int:pk>/annuleren/", orders.my_order_cancel, name="my_order_cancel"),
    path("mijn/bestellingen/<int:pk>/online-betalen/", payments.my_order_pay_online, name="my_order_pay_online"),
    path("mijn/bestellingen/<int:pk>/betaald/", payments.my_order_return, name="my_order_return"),
    path("mijn/paneel/", cheques.panel_wallet, name="panel_wallet"),
    # The wijk-werker's own pages
    path("mijn/vergoedingen/", payouts.my_payouts, name="my_payouts"),
    path("mijn/vergoedingen/paneel/", payouts.my_payouts_panel, name="my_payouts_panel"),
    path("mijn/vergoedingen/<int:pk>/afrekening.pdf", payouts.my_payout_pdf, name="my_payout_pdf"),
    path("mijn/vergoedingen/<int:year>/jaaroverzicht.pdf", payouts.my_payout_year_pdf, name="my_payout_year_pdf"),
    # Mollie calls this with a payment id; the status is fetched from Mollie.
    path("mollie/webhook/", payments.mollie_webhook, name="mollie_webhook"),
    # Staff
    path("bestellingen/", orders.order_list, name="order_list"),
    path("bestellingen/<int:pk>/", orders.order_detail, name="order_detail"),
    path("bestellingen/<int:pk>/pdf/", orders.order_pdf, name="order_pdf"),
    path("bestellingen/<int:pk>/annuleren/", orders.order_cancel, name="order_cancel"),
    path("bestellingen/<int:pk>/met-tegoed-betalen/", credits.order_pay_with_credit, name="order_pay_with_credit"),
    path("gebruikers/<int:client_pk>/", cheques.client_money, name="client_money"),
    path("gebruikers/<int:client_pk>/bestellen/", orders.client_order_create, name="client_order_create"),
    path("gebruikers/<int:client_pk>/papieren-cheque/", cheques.paper_cheque_register, name="paper_cheque_register"),
    path("bank/", bank.bank_import_list, name="bank_import_list"),
    path("bank/<int:pk>/", bank.bank_import_detail, name="bank_import_detail"),
    path("bank/<int:pk>/bestand/", bank.bank_import_file, name="bank_import_file"),
    path("bank/<int:pk>/voortgang/", bank.bank_import_progress, name="bank_import_progress"),
    path("bank/te-behandelen/", bank.bank_queue, name="bank_queue"),
    path("bank/lijnen/<int:pk>/koppelen/", bank.bank_line_assign, name="bank_line_assign"),
    path("bank/lijnen/<int:pk>/negeren/", bank.bank_line_discard, name="bank_line_discard"),
    path("tegoeden/", credits.credit_list, name="credit_list"),
    path("terugbetalingen/", credits.refund_batch_list, name="refund_batch_list"),
    path("terugbetalingen/<int:pk>/", credits.refund_batch_detail, name="refund_batch_detail"),
    path("terugbetalingen/<int:pk>/bestand/", credits.refund_batch_file, name="refund_batch_file"),
    path("paneel/", cheques.panel_staff, name="panel_staff"),
    path("uitbetalingen/", payouts.payout_batch_list, name="payout_batch_list"),
    path("uitbetalingen/voorbeeld/", payouts.payout_preview, name="payout_preview"),
    path("uitbetalingen/voorbeeld/<int:worker_pk>/", payouts.payout_preview_worker, name="payout_preview_worker"),
    path("uitbetalingen/bevestigen/", payouts.payout_batch_confirm, name="payout_batch_confirm"),
    path("uitbetalingen/correctie/", payouts.payout_correction_create, name="payout_correction_create"),
    path("uitbetalingen/<int:pk>/", payouts.payout_batch_detail, name="payout_batch_detail"),
    path("uitbetalingen/<int:pk>/bestand/", payouts.payout_batch_file, name="payout_batch_file"),
    path("uitbetalingen/lijnen/<int:pk>/", payouts.payout_line_detail, name="payout_line_detail"),
    path("uitbetalingen/lijnen/<int:pk>/afrekening.pdf", payouts.payout_line_pdf, name="payout_line_pdf"),
    path("uitbetalingen/wijk-werkers/<int:worker_pk>/<int:year>/jaaroverzicht.pdf", payouts.payout_year_pdf,
         name="payout_year_pdf"),
    path("geldoverzicht/", money.money_overview, name="money_overview"),
    path("geldoverzicht/rijen/", money.money_rows, name="money_rows"),
]
