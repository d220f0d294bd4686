from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("aanmelden/", views.LoginView.as_view(), name="login"),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/wijzigen/", views.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord/vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord/vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("wachtwoord/nieuw/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path(
        "wachtwoord/nieuw/klaar/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("personeel/", views.staff_list, name="staff_list"),
    path("personeel/nieuw/", views.staff_create, name="staff_create"),
    path("personeel/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("personeel/<int:pk>/wachtwoordmail/", views.staff_send_setup_mail, name="staff_send_setup_mail"),
]
