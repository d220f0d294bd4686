from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("wijkwerken.core.urls")),
    path("account/", include("wijkwerken.accounts.urls")),
    path("wijkwerkers/", include("workers.urls")),
    path("", include("assignments.urls")),
    path("cheques/", include("cheques.urls")),
    path("coaching/", include("coaching.urls")),
    path("rapporten/", include("wijkwerken.reports.urls")),
    path("privacy/", include("wijkwerken.privacy.urls")),
    path("ontwikkelaars/admin/", admin.site.urls),
]

handler400 = "wijkwerken.core.views.error_400"
handler403 = "wijkwerken.core.views.error_403"
handler404 = "wijkwerken.core.views.error_404"
handler500 = "wijkwerken.core.views.error_500"

# No route serves MEDIA_ROOT, in any mode: documents are downloaded through views that scope them to the
# user (wijkwerken/core/downloads.py).
