from django.urls import path

from .views import activities, clients, matching, placements, prestaties, registrations, requests

app_name = "assignments"

urlpatterns = [
    # Public
    path("registreren/", registrations.register, name="register"),
    path("registreren/verstuurd/", registrations.register_sent, name="register_sent"),
    path("registreren/bevestigen/<str:token>/", registrations.register_confirm, name="register_confirm"),
    path("activiteiten/wat-mag/", activities.public_activity_list, name="public_activity_list"),
    path("activiteiten/wat-mag/<str:nis_code>/<slug:category>/", activities.public_activity_list,
         name="public_activity_list_for"),
    # The client's own pages
    path("mijn/aanvragen/nieuw/", requests.my_request_create, name="my_request_create"),
    path("mijn/aanvragen/<int:pk>/", requests.my_request_detail, name="my_request_detail"),
    path("mijn/aanvragen/<int:pk>/annuleren/", requests.my_request_cancel, name="my_request_cancel"),
    path("mijn/gegevens/", clients.my_details, name="my_details"),
    path("mijn/overeenkomst/", clients.my_agreement_pdf, name="my_agreement_pdf"),
    path("mijn/overeenkomst/ondertekenen/", clients.my_agreement_sign, name="my_agreement_sign"),
    # Staff: clients
    path("gebruikers/", clients.client_list, name="client_list"),
    path("gebruikers/nieuw/", clients.client_create, name="client_create"),
    path("gebruikers/inschrijvingen/", registrations.registration_list, name="registration_list"),
    path("gebruikers/inschrijvingen/<int:pk>/", registrations.registration_detail, name="registration_detail"),
    path("gebruikers/inschrijvingen/<int:pk>/goedkeuren/", registrations.registration_approve,
         name="registration_approve"),
    path("gebruikers/inschrijvingen/<int:pk>/afwijzen/", registrations.registration_reject,
         name="registration_reject"),
    path("gebruikers/<int:pk>/", clients.client_detail, name="client_detail"),
    path("gebruikers/<int:pk>/wijzigen/", clients.client_edit, name="client_edit"),
    path("gebruikers/<int:pk>/identiteit/", clients.client_identity, name="client_identity"),
    path("gebruikers/<int:pk>/overeenkomst/", clients.client_agreement_pdf, name="client_agreement_pdf"),
    path("gebruikers/<int:pk>/contactpersoon/", clients.client_contact_add, name="client_contact_add"),
    path("gebruikers/<int:pk>/aanvraag/", requests.client_request_create, name="client_request_create"),
    path("gebruikers/<int:pk>/inschrijvingsgeld/", clients.fee_open, name="fee_open"),
    path("gebruikers/<int:pk>/inschrijvingsgeld/<int:fee_pk>/betaald/", clients.fee_mark_paid, name="fee_mark_paid"),
    path("gebruikers/<int:pk>/uitsluitingen/", matching.client_exclusions, name="client_exclusions"),
    path("gebruikers/<int:pk>/uitsluitingen/<int:exclusion_pk>/opheffen/", matching.client_exclusion_remove,
         name="client_exclusion_remove"),
    path("gebruikers/<int:pk>/<slug:action>/", clients.client_action, name="client_action"),
    # Staff: the request queue
    path("aanvragen/", requests.request_queue, name="request_queue"),
    path("aanvragen/<int:pk>/", requests.request_detail, name="request_detail"),
    path("aanvragen/<int:pk>/kandidaten/", matching.request_candidates, name="request_candidates"),
    path("aanvragen/<int:pk>/toewijzen/<int:worker_pk>/", matching.request_assign, name="request_assign"),
    # Assignments and hours
    path("mijn/week/", placements.my_week, name="my_week"),
    path("mijn/kalender.ics", placements.my_calendar, name="my_calendar"),
    path("mijn/uren/", prestaties.my_hours_panel, name="my_hours_panel"),
    path("mijn/prestaties/", prestaties.my_hours, name="my_hours"),
    path("prestaties/bevestig/<str:token>/", prestaties.prestatie_confirm_link, name="prestatie_confirm_link"),
    path("prestaties/", prestaties.prestatie_queue, name="prestatie_queue"),
    path("prestaties/<int:pk>/", prestaties.prestatie_detail, name="prestatie_detail"),
    path("prestaties/<int:pk>/bevestigen/", prestaties.prestatie_confirm, name="prestatie_confirm"),
    path("prestaties/<int:pk>/betwisten/", prestaties.prestatie_dispute, name="prestatie_dispute"),
    path("opdrachten/", placements.assignment_list, name="assignment_list"),
    path("opdrachten/<int:pk>/", placements.assignment_detail, name="assignment_detail"),
    path("opdrachten/<int:pk>/uren/", prestaties.hours_register, name="hours_register"),
    path("opdrachten/<int:pk>/<slug:action>/", placements.assignment_action, name="assignment_action"),
    path("opdrachten/wijkwerker/<int:worker_pk>/kalender.ics", placements.worker_calendar, name="worker_calendar"),
    path("opdrachten/wijkwerker/<int:worker_pk>/uren/", prestaties.worker_hours_panel, name="worker_hours_panel"),
    # Panels on the start pages
    path("start/mijn-gebruiker/", clients.panel_client, name="panel_client"),
    path("start/aanvragen/", requests.panel_queue, name="panel_queue"),
    path("start/activiteiten/", activities.panel_municipality, name="panel_municipality"),
    # The activity list
    path("activiteiten/", activities.activity_list, name="activity_list"),
    path("activiteiten/laden/", activities.activity_list_load, name="activity_list_load"),
    path("activiteiten/nieuw/", activities.activity_create, name="activity_create"),
    path("activiteiten/beperken/", activities.activity_restrict, name="activity_restrict"),
    path("activiteiten/<int:pk>/beeindigen/", activities.activity_end, name="activity_end"),
    path("activiteiten/<int:pk>/bevestigen/", activities.activity_confirm, name="activity_confirm"),
    path("activiteiten/beperking/<int:pk>/opheffen/", activities.restriction_end, name="restriction_end"),
]
