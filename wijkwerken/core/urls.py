from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("gezond/", views.health, name="health"),
    path("zoeken/<slug:source>/", views.search_results, name="search"),
    path("meldingen/", views.notification_list, name="notification_list"),
    path("meldingen/<int:pk>/", views.notification_open, name="notification_open"),
    path("meldingen/archief/", views.notification_archive, name="notification_archive"),
    path("meldingen/alles-gelezen/", views.notifications_read_all, name="notifications_read_all"),
    path("organisatie/", views.organiser_edit, name="organiser_edit"),
    path("organisatie/logo/", views.organiser_logo, name="organiser_logo"),
    path("organisatie/logo/bestand/", views.organiser_logo_image, name="organiser_logo_image"),
    path("gemeenten/", views.municipality_list, name="municipality_list"),
    path("gemeenten/toevoegen/", views.municipality_add, name="municipality_add"),
    path("gemeenten/<int:pk>/", views.municipality_detail, name="municipality_detail"),
    path("gemeenten/<int:pk>/prijs/", views.cheque_price_set, name="cheque_price_set"),
    path("gemeenten/<int:pk>/verwijderen/", views.municipality_release, name="municipality_release"),
    path("regels/", views.rule_set_list, name="rule_set_list"),
    path("regels/nieuw/", views.rule_set_create, name="rule_set_create"),
    path("regels/<int:pk>/", views.rule_set_detail, name="rule_set_detail"),
    path("regels/uitbetalingsdatum/", views.payout_date_set, name="payout_date_set"),
    path("regels/uitbetalingskalender/", views.payout_calendar_fill, name="payout_calendar_fill"),
]
