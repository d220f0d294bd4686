from django.urls import path

from . import views

app_name = "workers"

urlpatterns = [
    path("", views.worker_list, name="worker_list"),
    path("nieuw/", views.worker_create, name="worker_create"),
    path("einde-nabij/", views.trajectories_ending, name="trajectories_ending"),
    path("mijn-traject/", views.my_trajectory, name="my_trajectory"),
    path("startpaneel/", views.start_panel, name="start_panel"),
    path("opvolging/<int:pk>/", views.follow_up_record, name="follow_up_record"),
    path("<int:pk>/", views.worker_detail, name="worker_detail"),
    path("<int:pk>/wijzigen/", views.worker_edit, name="worker_edit"),
    path("<int:pk>/login/", views.worker_account, name="worker_account"),
    path("<int:pk>/interim/", views.interim_work_add, name="interim_work_add"),
    path("<int:pk>/overeenkomst/", views.agreement_generate, name="agreement_generate"),
    path("<int:pk>/overeenkomst.pdf", views.agreement_download, name="agreement_download"),
    path("<int:pk>/traject/starten/", views.trajectory_start, name="trajectory_start"),
    path("<int:pk>/traject/verlengen/", views.trajectory_extend, name="trajectory_extend"),
    path("<int:pk>/traject/schorsen/", views.trajectory_suspend, name="trajectory_suspend"),
    path("<int:pk>/traject/evalueren/", views.trajectory_evaluate, name="trajectory_evaluate"),
    path("<int:pk>/traject/beeindigen/", views.trajectory_end, name="trajectory_end"),
]
