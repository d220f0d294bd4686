"""The search-as-you-type sources for wijk-werkers (see wijkwerken.core.search)."""

from django.utils.translation import gettext_lazy as _

from wijkwerken.core.search import SearchSource, register

from .models import TrajectoryStatus
from .selectors import workers_visible_to


def worker_label(worker) -> str:
    return f"{worker.last_name} {worker.first_name} · {worker.municipality.name}"


def _with_active_trajectory(user):
    return workers_visible_to(user).filter(trajectories__status=TrajectoryStatus.ACTIVE).distinct()


COMMON = {
    "fields": ("first_name", "last_name"), "order_by": ("last_name", "first_name", "pk"), "label": worker_label,
    "related": ("municipality",), "nothing_found": _("No wijk-werker matches “%(query)s”."),
}

WORKERS = register(SearchSource(name="workers", choices=workers_visible_to, **COMMON))
WORKERS_ACTIVE = register(SearchSource(name="workers-active", choices=_with_active_trajectory, **COMMON))
