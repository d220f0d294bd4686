from django.urls import path

from . import views

app_name = "cheques"

urlpatterns = [
    # The client's own pages
    path("mijn/", views.my_wallet, name="my_wallet"),
    path("mijn/bestellen/", views.my_order_create, name="my_order_create"),
    path("mijn/bestellingen/", views.my_orders, name="my_orders"),
    path("mijn/bestellingen/<int:pk>/", views.my_order_detail, name="my_order_detail"),
    path("mijn/bestellingen/<int:pk>/pdf/", views.my_order_pdf, name="my_order_pdf"),
    path("mijn/bestellingen/<int:pk>/annuleren/", views.my_order_cancel, name="my_order_cancel"),
    path("mijn/bestellingen/<int:pk>/online-betalen/", views.my_order_pay_online, name="my_order_pay_online"),
    path("mijn/bestellingen/<int:pk>/betaald/", views.my_order_return, name="my_order_return"),
    path("mijn/paneel/", views.panel_wallet, name="panel_wallet"),
    # Mollie calls this with a payment id; the status is fetched from Mollie.
    path("mollie/webhook/", views.mollie_webhook, name="mollie_webhook"),
    # Staff
    path("bestellingen/", views.order_list, name="order_list"),
    path("bestellingen/<int:pk>/", views.order_detail, name="order_detail"),
    path("bestellingen/<int:pk>/pdf/", views.order_pdf, name="order_pdf"),
    path("bestellingen/<int:pk>/annuleren/", views.order_cancel, name="order_cancel"),
    path("bestellingen/<int:pk>/met-tegoed-betalen/", views.order_pay_with_credit, name="order_pay_with_credit"),
    path("gebruikers/<int:client_pk>/", views.client_money, name="client_money"),
    path("gebruikers/<int:client_pk>/bestellen/", views.client_order_create, name="client_order_create"),
    path("gebruikers/<int:client_pk>/papieren-cheque/", views.paper_cheque_register, name="paper_cheque_register"),
    path("bank/", views.bank_import_list, name="bank_import_list"),
    path("bank/<int:pk>/", views.bank_import_detail, name="bank_import_detail"),
    path("bank/<int:pk>/voortgang/", views.bank_import_progress, name="bank_import_progress"),
    path("bank/te-behandelen/", views.bank_queue, name="bank_queue"),
    path("bank/lijnen/<int:pk>/koppelen/", views.bank_line_assign, name="bank_line_assign"),
    path("bank/lijnen/<int:pk>/negeren/", views.bank_line_discard, name="bank_line_discard"),
    path("tegoeden/", views.credit_list, name="credit_list"),
    path("terugbetalingen/", views.refund_batch_list, name="refund_batch_list"),
    path("terugbetalingen/<int:pk>/", views.refund_batch_detail, name="refund_batch_detail"),
    path("terugbetalingen/<int:pk>/bestand/", views.refund_batch_file, name="refund_batch_file"),
    path("paneel/", views.panel_staff, name="panel_staff"),
]
