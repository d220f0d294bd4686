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
    path("tweestapsverificatie/", views.two_factor, name="two_factor"),
    path("tweestapsverificatie/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("tweestapsverificatie/code/", views.two_factor_verify, name="two_factor_verify"),
    path("tweestapsverificatie/herstelcodes/", views.two_factor_codes, name="two_factor_codes"),
    path("tweestapsverificatie/herstelcodes/nieuw/", views.two_factor_codes_renew, name="two_factor_codes_renew"),
    path("tweestapsverificatie/uitzetten/", views.two_factor_disable, name="two_factor_disable"),
    path("personeel/", views.staff_list, name="staff_list"),
    path("personeel/nieuw/", views.staff_create, name="staff_create"),
    path("personeel/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("personeel/<int:pk>/wachtwoordmail/", views.staff_send_setup_mail, name="staff_send_setup_mail"),
    path("personeel/<int:pk>/tweestapsverificatie/", views.staff_two_factor_reset, name="staff_two_factor_reset"),
]
