from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_overview, name="report_overview"),
    path("gemeenten/<int:pk>/", views.municipality_reports, name="municipality_reports"),
    path("organisatie/", views.organiser_reports, name="organiser_reports"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/voortgang/", views.report_progress, name="report_progress"),
    path("<int:pk>/opnieuw/", views.report_retry, name="report_retry"),
    path("<int:pk>/download/<str:file_format>/", views.report_download, name="report_download"),
    path("paneel/", views.panel_gemeente, name="panel_gemeente"),
    # Fiscal attests
    path("attesten/", views.attest_overview, name="attest_overview"),
    path("attesten/reeks/<int:pk>/voortgang/", views.attest_batch_progress, name="attest_batch_progress"),
    path("attesten/reeks/<int:pk>/opnieuw/", views.attest_batch_retry, name="attest_batch_retry"),
    path("attesten/<int:year>/lijst.<str:file_format>", views.attest_list_download, name="attest_list_download"),
    path("attesten/<int:pk>/pdf/", views.attest_download, name="attest_download"),
    path("mijn-attesten/paneel/", views.my_attests_panel, name="my_attests_panel"),
    path("gebruikers/<int:client_pk>/attesten/", views.client_attests_panel, name="client_attests_panel"),
    path("gebruikers/<int:client_pk>/attesten/opnieuw/", views.client_attest_regenerate,
         name="client_attest_regenerate"),
]
