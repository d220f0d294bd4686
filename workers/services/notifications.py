"""The clock's messages, sent through core's notifications (in-app and by e-mail)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from wijkwerken.core.notifications import notifications_send as core_notifications_send


def notifications_send(*, items) -> int:
    """Send trajectory messages; `items` are (user, key, text, url). Safe to repeat (see core)."""
    return core_notifications_send(items=items, subject=_("Wijk-werken: a trajectory needs your attention"))


def worker_url(worker_id) -> str:
    return reverse("workers:worker_detail", args=[worker_id])
