"""In-app notifications with an e-mail: the one way any app tells a user something happened."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification
from .tasks import send_email


def notifications_send(*, items, subject: str, email: bool = True) -> int:
    """Create notifications and mail each new one. `items` are (user, key, text, url) tuples.

    The unique (recipient, key) makes this safe to repeat: an existing notification is neither created nor mailed
    again. Runs inside the caller's transaction; mails leave after the commit.
    """
    items = [(user, key, str(text), url) for user, key, text, url in items if user is not None and user.is_active]
    if not items:
        return 0
    existing = set(
        Notification.objects.filter(
            recipient__in={user.pk for user, *_rest in items}, key__in={key for _user, key, *_rest in items}
        ).values_list("recipient_id", "key")
    )
    new, seen = [], set()
    for user, key, text, url in items:
        if (user.pk, key) in existing or (user.pk, key) in seen:
            continue
        seen.add((user.pk, key))
        new.append(Notification(recipient=user, key=key, text=text[:300], url=url))
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    if email:
        site = settings.SITE_URL.rstrip("/")
        subject = str(subject)
        for notification in new:
            body = f"{notification.text}\n\n{site}{notification.url}" if notification.url else notification.text
            address = notification.recipient.email
            transaction.on_commit(lambda body=body, address=address: send_email.delay(subject, body, [address]))
    return len(new)


def notification_mark_read(*, notification: Notification, actor) -> Notification:
    if notification.recipient_id != actor.pk:
        raise ValidationError(_("This message is not yours."), code="not_recipient")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_for(user, *, limit: int = 10) -> QuerySet:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:limit]


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
