"""In-app notifications with an e-mail, for the workers app's own messages (the clock's warnings)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerken.core.tasks import send_email

from ..models import Notification
from .common import error


def notifications_send(*, items) -> int:
    """Create in-app notifications and mail each new one. `items` are (user, key, text, url).

    The unique (recipient, key) makes this safe to repeat: an existing notification is neither created nor
    mailed again. Runs inside the caller's transaction; mails leave after the commit.
    """
    items = [(user, key, str(text), url) for user, key, text, url in items if user is not None and user.is_active]
    if not items:
        return 0
    existing = set(
        Notification.objects.filter(
            recipient__in={u.pk for u, *_rest in items}, key__in={k for _u, k, *_r in items}
        ).values_list("recipient_id", "key")
    )
    new = []
    seen = set()
    for user, key, text, url in items:
        if (user.pk, key) in existing or (user.pk, key) in seen:
            continue
        seen.add((user.pk, key))
        new.append(Notification(recipient=user, key=key, text=text[:300], url=url))
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    site = settings.SITE_URL.rstrip("/")
    subject = _("Wijk-werken: a trajectory needs your attention")
    for notification in new:
        body = f"{notification.text}\n\n{site}{notification.url}" if notification.url else notification.text
        email = notification.recipient.email
        transaction.on_commit(lambda body=body, email=email: send_email.delay(subject, body, [email]))
    return len(new)


def notification_mark_read(*, notification: Notification, actor) -> Notification:
    if notification.recipient_id != actor.pk:
        raise error(_("This message is not yours."), "not_recipient")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


def worker_url(worker_id) -> str:
    return reverse("workers:worker_detail", args=[worker_id])
