"""Helpers shared by the coaching services."""

from django.urls import reverse
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role
from wijkwerken.core.errors import service_error as error
from wijkwerken.core.notifications import notifications_send

from ..selectors.access import is_current_coach

__all__ = ["error", "fmt", "notify", "require_current_coach", "require_werkcoach_of", "worker_file_url"]


def fmt(day) -> str:
    return day.strftime("%d/%m/%Y")


def require_current_coach(actor, worker) -> None:
    """Writing in a worker's coaching file is for their current coach only."""
    if not is_current_coach(actor, worker):
        raise error(_("This worker is not in your caseload."), "not_in_caseload")


def require_werkcoach_of(user, organiser_id, field=None, message=None) -> None:
    if user is None or user.role != Role.WERKCOACH or user.organiser_id != organiser_id or not user.is_active:
        raise error(message or _("Choose a work coach of your own organisation."), "not_a_werkcoach", field)


def worker_file_url(worker_id) -> str:
    return reverse("coaching:worker_file", args=[worker_id])


def notify(items) -> int:
    """Coaching messages, in the app and by e-mail; `items` are (user, key, text, url), or with a fifth element
    (kind, id) for a message that stops being true once that record is done (`coaching/worklist.py`). Safe to
    repeat."""
    return notifications_send(items=items, subject=_("Wijk-werken: coaching"))
