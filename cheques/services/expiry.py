"""Expiry (flow 8): a cheque not used before its `expires_on` is lost money. Clients are reminded once per
expiry date, a month before; the day after, the cheques turn "vervallen" in one UPDATE.

Both jobs are set-based and safe to run twice: the UPDATE only touches available cheques past their date, and a
reminder is a notification with a key per client and expiry date (`notifications_send` never sends a key twice).
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Client
from assignments.selectors import contact_users_by_client
from wijkwerken.core.audit import audit_log_many
from wijkwerken.core.dates import today
from wijkwerken.core.notifications import notifications_send

from ..models import Cheque, ChequeStatus
from ._common import lock, retry_on_deadlock

REMINDER_DAYS = 30


def expiry_reminder_key(client_id: int, expires_on: datetime.date) -> str:
    return f"cheques.expiry_reminder.{client_id}.{expires_on.isoformat()}"


@retry_on_deadlock
def cheques_expire(*, on: datetime.date | None = None) -> int:
    """Daily: available cheques whose last valid day is before `on` become expired; one audit entry and one
    notification per client. Returns the number of cheques."""
    on = on or today()
    with transaction.atomic():
        # Locked first, so a settlement that holds some of these cheques finishes before they expire under it
        # (the lock re-checks the condition: a cheque it used is no longer available).
        expiring = list(lock(Cheque.objects.filter(status=ChequeStatus.AVAILABLE, expires_on__lt=on))
                        .values_list("pk", "client_id", "organiser_id", "expires_on"))
        if not expiring:
            return 0
        count = Cheque.objects.filter(pk__any=[pk for pk, *_rest in expiring]).update(status=ChequeStatus.EXPIRED)
        totals = defaultdict(lambda: {"count": 0, "organiser_id": None, "dates": set()})
        for _pk, client_id, organiser_id, expires_on in expiring:
            total = totals[client_id]
            total["count"] += 1
            total["organiser_id"] = organiser_id
            total["dates"].add(expires_on.isoformat())
        audit_log_many(actor=None, action="cheques.expired", model=Client, rows=[
            (client_id, total["organiser_id"],
             ngettext("%(count)s cheque expired unused", "%(count)s cheques expired unused", total["count"])
             % {"count": total["count"]}, {"count": total["count"], "valid_until": ", ".join(sorted(total["dates"]))})
            for client_id, total in totals.items()])
        contacts = contact_users_by_client(totals)
        with translation.override("nl"):
            url = reverse("cheques:my_wallet")
            items = [
                (user, f"cheques.expired.{client_id}.{on.isoformat()}",
                 ngettext("%(count)s wijk-werkcheque in your wallet has expired and can no longer be used.",
                          "%(count)s wijk-werkcheques in your wallet have expired and can no longer be used.",
                          total["count"]) % {"count": total["count"]}, url)
                for client_id, total in totals.items() for user in contacts.get(client_id, [])]
            notifications_send(items=items, subject=_("Wijk-werkcheques expired"))
    return count


def cheques_remind_expiry(*, on: datetime.date | None = None, days: int = REMINDER_DAYS) -> int:
    """Daily: tell each client once per expiry date that available cheques expire within `days` days.
    Returns the number of new reminders."""
    on = on or today()
    rows = list(Cheque.objects.filter(status=ChequeStatus.AVAILABLE, expires_on__gte=on,
                                      expires_on__lte=on + datetime.timedelta(days=days))
                .values("client_id", "expires_on").annotate(count=Count("id")).order_by("client_id", "expires_on"))
    if not rows:
        return 0
    contacts = contact_users_by_client({row["client_id"] for row in rows})
    with translation.override("nl"):
        url = reverse("cheques:my_wallet")
        items = [
            (user, expiry_reminder_key(row["client_id"], row["expires_on"]),
             ngettext("%(count)s wijk-werkcheque in your wallet is valid until %(date)s. Use it before then: an "
                      "expired cheque cannot be used any more.",
                      "%(count)s wijk-werkcheques in your wallet are valid until %(date)s. Use them before then: "
                      "expired cheques cannot be used any more.", row["count"])
             % {"count": row["count"], "date": row["expires_on"].strftime("%d/%m/%Y")}, url,
             ("cheques.expiring", row["client_id"]))
            for row in rows for user in contacts.get(row["client_id"], [])]
        with transaction.atomic():
            return notifications_send(items=items, subject=_("Your wijk-werkcheques expire soon"))
