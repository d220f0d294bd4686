"""In-app notifications with an e-mail: the one way any app tells a user something happened.

A notification that asks for something carries what it is about (`about=(kind, id)` in `notifications_send`).
Each app names, for its kinds, the objects for which the message is still true (`notification_kinds`, in the
app's `worklist.py`); the check runs in the same query that reads the messages, so a message about hours since
confirmed, or cheques since ordered, never shows as new: it goes to the archive with the read ones.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification
from .tasks import send_email

# kind → a callable returning a queryset of the ids (one column) of the objects the message is still true for.
_kinds: dict[str, Callable[[], QuerySet]] = {}


def notification_kinds(kinds: dict[str, Callable[[], QuerySet]]) -> None:
    _kinds.update(kinds)


def still_true() -> Q:
    """The condition on notifications that are still true: about nothing, about a kind no app checks, or about an
    object that still waits. Each message's object is looked up on its own (a correlated EXISTS on the object's
    id), so the check costs the same whatever the number of open objects of all organisers."""
    condition = Q(about_kind="") | ~Q(about_kind__in=list(_kinds))
    for kind, open_ids in _kinds.items():
        ids = open_ids()
        (id_field,) = ids.query.values_select
        condition |= Q(about_kind=kind) & Q(Exists(ids.filter(**{id_field: OuterRef("about_id")})))
    return condition


def notifications_send(*, items, subject: str, email: bool = True) -> int:
    """Create notifications and mail each new one. `items` are (user, key, text, url) tuples, or
    (user, key, text, url, (kind, object id)) for a message that stops being true once the object is dealt with.

    The unique (recipient, key) makes this safe to repeat: an existing notification is neither created nor mailed
    again. Runs inside the caller's transaction; mails leave after the commit.
    """
    items = [(item[0], item[1], str(item[2]), item[3], item[4] if len(item) > 4 else ("", None))
             for item in items if item[0] is not None and item[0].is_active]
    if not items:
        return 0
    existing = set(
        Notification.objects.filter(
            recipient__in={item[0].pk for item in items}, key__in={item[1] for item in items}
        ).values_list("recipient_id", "key")
    )
    new, seen = [], set()
    for user, key, text, url, (kind, object_id) in items:
        if (user.pk, key) in existing or (user.pk, key) in seen:
            continue
        seen.add((user.pk, key))
        new.append(Notification(recipient=user, key=key, text=text[:300], url=url, about_kind=kind or "",
                                about_id=object_id if kind else None))
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


def _unread(user) -> QuerySet:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def notifications_mark_all_read(*, actor) -> int:
    """"Alles gelezen": every unread message of `actor` is read now. One UPDATE; safe to repeat."""
    return _unread(actor).update(read_at=timezone.now())


def new_notifications(user) -> QuerySet:
    """Unread and still true: what the bell counts and the messages page shows first."""
    return _unread(user).filter(still_true()).order_by("-created_at", "-id")


def archived_notifications(user) -> QuerySet:
    """Read, or no longer true (`still_open` False: the thing was done); newest first."""
    return (Notification.objects.filter(recipient=user)
            .annotate(still_open=ExpressionWrapper(still_true(), output_field=BooleanField()))
            .exclude(Q(read_at__isnull=True) & still_true())
            .order_by("-created_at", "-id"))


def notifications_for(user, *, limit: int = 10) -> QuerySet:
    """The latest messages that are still true (read or not), for a panel."""
    return Notification.objects.filter(recipient=user).filter(still_true()).order_by("-created_at", "-id")[:limit]


def unread_count(user) -> int:
    """The bell's number, on every page. Most of the time nothing is unread: one probe of the unread index answers
    that, before the query that asks whether each unread message is still true (nine subqueries to plan)."""
    if not _unread(user).exists():
        return 0
    return new_notifications(user).count()
