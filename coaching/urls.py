from django.urls import path

from .views import caseload, competences, goals, groups, notes, portfolio, wellbeing

app_name = "coaching"

urlpatterns = [
    # The werkcoach's caseload and the assignment of coaches.
    path("", caseload.caseload, name="caseload"),
    path("toewijzen/", caseload.assign, name="assign"),
    path("toewijzen/<int:worker_pk>/", caseload.worker_assign, name="worker_assign"),
    path("instellingen/", caseload.settings_edit, name="settings_edit"),
    # Panels that the workers app's pages include by URL (htmx).
    path("paneel/wijkwerker/<int:worker_pk>/", caseload.worker_panel, name="worker_panel"),
    path("paneel/mijn/", caseload.my_panel, name="my_panel"),
    # A worker's coaching file.
    path("wijkwerker/<int:pk>/", caseload.worker_file, name="worker_file"),
    path("wijkwerker/<int:pk>/notities/", notes.note_list, name="note_list"),
    path("wijkwerker/<int:pk>/notities/nieuw/", notes.note_create, name="note_create"),
    path("wijkwerker/<int:pk>/werkplekbezoek/", notes.visit_create, name="visit_create"),
    path("wijkwerker/<int:pk>/inzage/", notes.read_log_view, name="read_log"),
    path("wijkwerker/<int:pk>/toegang/", notes.access, name="access"),
    path("wijkwerker/<int:pk>/toegang/<int:grant_pk>/intrekken/", notes.access_revoke, name="access_revoke"),
    path("wijkwerker/<int:pk>/samenvatting/", notes.summary_edit, name="summary_edit"),
    path("wijkwerker/<int:pk>/meting/", competences.measurement_create, name="measurement_create"),
    path("wijkwerker/<int:pk>/welzijn/", wellbeing.check_in_create, name="check_in_create"),
    path("wijkwerker/<int:pk>/doel/", goals.goal_create, name="goal_create"),
    path("wijkwerker/<int:pk>/actie/", goals.action_create, name="action_create"),
    path("wijkwerker/<int:pk>/doel/<int:goal_pk>/actie/", goals.action_create, name="goal_action_create"),
    path("wijkwerker/<int:pk>/afronden/", portfolio.closing, name="closing"),
    path("notities/<int:note_pk>/", notes.note_detail, name="note_detail"),
    path("notities/<int:note_pk>/corrigeren/", notes.note_correct, name="note_correct"),
    path("notities/<int:note_pk>/aanvulling/", notes.note_addendum, name="note_addendum"),
    path("metingen/<int:pk>/", competences.measurement_detail, name="measurement_detail"),
    path("metingen/<int:pk>/scoren/", competences.measurement_score, name="measurement_score"),
    path("metingen/<int:measurement_pk>/doel/<int:goal_pk>/", goals.goal_review, name="goal_review"),
    path("doelen/<int:goal_pk>/status/", goals.goal_status, name="goal_status"),
    path("acties/<int:action_pk>/status/", goals.action_status, name="action_status"),
    path("portfolio/<int:portfolio_pk>/", portfolio.portfolio_download, name="portfolio_download"),
    # The competence framework.
    path("competenties/", competences.framework_list, name="framework_list"),
    path("competenties/standaard/", competences.framework_ensure, name="framework_ensure"),
    path("competenties/nieuwe-versie/", competences.framework_draft, name="framework_draft"),
    path("competenties/<int:pk>/", competences.framework_detail, name="framework_detail"),
    path("competenties/<int:pk>/in-gebruik/", competences.framework_publish, name="framework_publish"),
    path("competenties/<int:pk>/competentie/", competences.competence_edit, name="competence_add"),
    path("competenties/<int:pk>/competentie/<int:competence_pk>/", competences.competence_edit,
         name="competence_edit"),
    path("competenties/<int:pk>/competentie/<int:competence_pk>/verwijderen/", competences.competence_remove,
         name="competence_remove"),
    # Peer groups.
    path("groepen/", groups.group_list, name="group_list"),
    path("groepen/<int:pk>/", groups.group_detail, name="group_detail"),
    path("sessies/<int:pk>/", groups.session_detail, name="session_detail"),
    path("sessies/<int:pk>/uitnodigen/", groups.session_invite, name="session_invite"),
    path("sessies/<int:pk>/aanwezigheid/", groups.session_attendance, name="session_attendance"),
    path("sessies/<int:pk>/groepsnotitie/", groups.session_note, name="session_note"),
    path("sessies/<int:pk>/annuleren/", groups.session_cancel, name="session_cancel"),
    # The worker's own pages (phone).
    path("mijn/", caseload.my_coaching, name="my_coaching"),
    path("mijn/zelfevaluatie/<int:pk>/", competences.my_self_assessment, name="my_self_assessment"),
    path("mijn/welzijn/", wellbeing.my_check_in, name="my_check_in"),
    path("mijn/acties/<int:action_pk>/gedaan/", goals.my_action_done, name="my_action_done"),
    path("mijn/sessies/<int:invitation_pk>/", groups.my_session_respond, name="my_session_respond"),
    path("mijn/portfolio/<int:portfolio_pk>/", portfolio.my_portfolio_download, name="my_portfolio_download"),
    path("mijn/portfolio/vragen/", portfolio.my_portfolio_request, name="my_portfolio_request"),
]
