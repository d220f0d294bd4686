from django.urls import path

from . import matching_views, views, work_views

app_name = "assignments"

urlpatterns = [
    # Public
    path("registreren/", views.register, name="register"),
    path("activiteiten/wat-mag/", views.public_activity_list, name="public_activity_list"),
    path("activiteiten/wat-mag/<str:nis_code>/<slug:category>/", views.public_activity_list,
         name="public_activity_list_for"),
    # The client's own pages
    path("mijn/aanvragen/nieuw/", views.my_request_create, name="my_request_create"),
    path("mijn/aanvragen/<int:pk>/", views.my_request_detail, name="my_request_detail"),
    path("mijn/aanvragen/<int:pk>/annuleren/", views.my_request_cancel, name="my_request_cancel"),
    path("mijn/gegevens/", views.my_details, name="my_details"),
    path("mijn/overeenkomst/", views.my_agreement_pdf, name="my_agreement_pdf"),
    path("mijn/overeenkomst/ondertekenen/", views.my_agreement_sign, name="my_agreement_sign"),
    # Staff: clients
    path("gebruikers/", views.client_list, name="client_list"),
    path("gebruikers/nieuw/", views.client_create, name="client_create"),
    path("gebruikers/<int:pk>/", views.client_detail, name="client_detail"),
    path("gebruikers/<int:pk>/wijzigen/", views.client_edit, name="client_edit"),
    path("gebruikers/<int:pk>/identiteit/", views.client_identity, name="client_identity"),
    path("gebruikers/<int:pk>/overeenkomst/", views.client_agreement_pdf, name="client_agreement_pdf"),
    path("gebruikers/<int:pk>/contactpersoon/", views.client_contact_add, name="client_contact_add"),
    path("gebruikers/<int:pk>/aanvraag/", views.client_request_create, name="client_request_create"),
    path("gebruikers/<int:pk>/inschrijvingsgeld/", views.fee_open, name="fee_open"),
    path("gebruikers/<int:pk>/inschrijvingsgeld/<int:fee_pk>/betaald/", views.fee_mark_paid, name="fee_mark_paid"),
    path("gebruikers/<int:pk>/uitsluitingen/", matching_views.client_exclusions, name="client_exclusions"),
    path("gebruikers/<int:pk>/uitsluitingen/<int:exclusion_pk>/opheffen/", matching_views.client_exclusion_remove,
         name="client_exclusion_remove"),
    path("gebruikers/<int:pk>/<slug:action>/", views.client_action, name="client_action"),
    # Staff: the request queue
    path("aanvragen/", views.request_queue, name="request_queue"),
    path("aanvragen/<int:pk>/", views.request_detail, name="request_detail"),
    path("aanvragen/<int:pk>/kandidaten/", matching_views.request_candidates, name="request_candidates"),
    path("aanvragen/<int:pk>/toewijzen/<int:worker_pk>/", matching_views.request_assign, name="request_assign"),
    # Assignments and hours
    path("mijn/week/", work_views.my_week, name="my_week"),
    path("mijn/kalender.ics", work_views.my_calendar, name="my_calendar"),
    path("mijn/uren/", work_views.my_hours_panel, name="my_hours_panel"),
    path("mijn/prestaties/", work_views.my_hours, name="my_hours"),
    path("prestaties/bevestig/<str:token>/", work_views.prestatie_confirm_link, name="prestatie_confirm_link"),
    path("prestaties/", work_views.prestatie_queue, name="prestatie_queue"),
    path("prestaties/<int:pk>/", work_views.prestatie_detail, name="prestatie_detail"),
    path("prestaties/<int:pk>/bevestigen/", work_views.prestatie_confirm, name="prestatie_confirm"),
    path("prestaties/<int:pk>/betwisten/", work_views.prestatie_dispute, name="prestatie_dispute"),
    path("opdrachten/", work_views.assignment_list, name="assignment_list"),
    path("opdrachten/<int:pk>/", work_views.assignment_detail, name="assignment_detail"),
    path("opdrachten/<int:pk>/uren/", work_views.hours_register, name="hours_register"),
    path("opdrachten/<int:pk>/<slug:action>/", work_views.assignment_action, name="assignment_action"),
    path("opdrachten/wijkwerker/<int:worker_pk>/kalender.ics", work_views.worker_calendar, name="worker_calendar"),
    path("opdrachten/wijkwerker/<int:worker_pk>/uren/", work_views.worker_hours_panel, name="worker_hours_panel"),
    # Panels on the start pages
    path("start/mijn-gebruiker/", views.panel_client, name="panel_client"),
    path("start/aanvragen/", views.panel_queue, name="panel_queue"),
    path("start/activiteiten/", views.panel_municipality, name="panel_municipality"),
    # The activity list
    path("activiteiten/", views.activity_list, name="activity_list"),
    path("activiteiten/laden/", views.activity_list_load, name="activity_list_load"),
    path("activiteiten/nieuw/", views.activity_create, name="activity_create"),
    path("activiteiten/beperken/", views.activity_restrict, name="activity_restrict"),
    path("activiteiten/<int:pk>/beeindigen/", views.activity_end, name="activity_end"),
    path("activiteiten/<int:pk>/bevestigen/", views.activity_confirm, name="activity_confirm"),
    path("activiteiten/beperking/<int:pk>/opheffen/", views.restriction_end, name="restriction_end"),
]
