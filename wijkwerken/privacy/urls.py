from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy_overview, name="privacy_overview"),
    path("inzage/", views.access_request_list, name="access_request_list"),
    path("inzage/wijkwerker/<int:pk>/", views.worker_access_request_create, name="worker_access_request_create"),
    path("inzage/gebruiker/<int:pk>/", views.client_access_request_create, name="client_access_request_create"),
    path("inzage/<int:pk>/download/", views.access_request_download, name="access_request_download"),
]
