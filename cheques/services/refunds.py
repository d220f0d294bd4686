"""Refunds of client credit: a batch of SEPA credit transfers (pain.001.001.03) the organiser uploads to its bank.

A batch takes each chosen client's whole credit, under a lock on the client, and writes one negative credit row
per client; the same money can never be in two batches. A batch is never changed afterwards.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from stdnum import iban as stdnum_iban

from assignments.models import Client
from assignments.selectors import contact_users_by_client
from wijkwerken.core.audit import audit_log, audit_log_objects
from wijkwerken.core.dates import add_working_days, today
from wijkwerken.core.errors import service_error
from wijkwerken.core.models import Organiser
from wijkwerken.core.money import format_euro
from wijkwerken.core.notifications import notifications_send

from ..models import ClientCredit, CreditKind, RefundBatch
from ..selectors import credit_balances, last_payer_ibans, refund_iban
from ..sepa import Debtor, SepaInputError, Transfer, build_credit_transfer
from ._common import lock

MAX_DAYS_AHEAD = 365

# What the SEPA writer refused, said to the person who asked for the refund (`SepaInputError.code`).
_SEPA_PROBLEMS = {
    "creditor_name": gettext_lazy("the name has no letters or digits a bank accepts"),
    "creditor_iban": gettext_lazy("the IBAN is not valid"),
    "creditor_bic": gettext_lazy("the BIC is not valid"),
    "amount": gettext_lazy("the amount is not between € 0,01 and € 999.999.999,99"),
    "remittance": gettext_lazy("the communication has no letters or digits a bank accepts"),
    "end_to_end_id": gettext_lazy("the reference of the transfer has no letters or digits a bank accepts"),
    "end_to_end_id_twice": gettext_lazy("the reference of the transfer is the same as another one's"),
    "debtor_name": gettext_lazy("the name of our organisation has no letters or digits a bank accepts"),
    "debtor_iban": gettext_lazy("the IBAN of our organisation is not valid"),
    "debtor_bic": gettext_lazy("the BIC of our organisation is missing or not valid"),
    "debtor_address": gettext_lazy("the address of our organisation has no letters or digits a bank accepts"),
}


def refund_execution_date_default(on: datetime.date | None = None) -> datetime.date:
    """The next working day: the earliest date a bank carries out a file uploaded today."""
    return add_working_days(on or today(), 1)


def _names(clients) -> str:
    return ", ".join(f"{client.name} ({client.number})" for client in clients)


def refund_batch_create(*, organiser, client_ids, actor, execution_date: datetime.date | None = None,
                        on: datetime.date | None = None) -> RefundBatch:
    """Refund the whole credit of each of `client_ids` in one SEPA file. All or nothing: a client of another
    organiser, without credit or without a valid IBAN refuses the whole batch, naming them.

    `on` is the day the file is made: today, or a past day for a history entered afterwards (the demo's)."""
    ids = sorted({int(pk) for pk in client_ids})
    if not ids:
        raise service_error(_("Tick at least one client to refund."), "no_clients", "clients")
    if on is not None and on > today():
        raise ValueError("A refund cannot be made on a day still to come.")
    on = on or today()
    execution_date = execution_date or refund_execution_date_default(on)
    if execution_date < on:
        raise service_error(_("The execution date cannot be in the past."), "date_in_past", "execution_date")
    if execution_date > on + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise service_error(_("Choose an execution date within a year."), "date_too_late", "execution_date")
    with transaction.atomic():
        # The organiser row numbers its batches one after the other; the client rows guard their credit.
        organiser = lock(Organiser.objects).get(pk=organiser.pk)
        clients = list(lock(Client.objects.filter(pk__in=ids, organiser=organiser)))
        if len(clients) != len(ids):
            raise service_error(_("Some of these clients are not ours."), "other_organiser", "clients")
        balances = credit_balances(ids)
        without_credit = [c for c in clients if balances.get(c.pk, 0) <= 0]
        if without_credit:
            raise service_error(_("No credit to refund for: %(names)s. Nothing was refunded.")
                                % {"names": _names(without_credit)}, "no_credit", "clients")
        payer_ibans = last_payer_ibans(ids)
        ibans = {c.pk: refund_iban(c.iban, payer_ibans.get(c.pk, "")) for c in clients}
        without_iban = [c for c in clients if not ibans[c.pk]]
        if without_iban:
            raise service_error(_("No valid IBAN to refund to for: %(names)s. Add it to the client first; nothing "
                                  "was refunded.") % {"names": _names(without_iban)}, "no_iban", "clients")

        number = (RefundBatch.objects.filter(organiser=organiser).aggregate(last=Max("number"))["last"] or 0) + 1
        created_at = timezone.localtime() if on == today() else timezone.make_aware(
            datetime.datetime.combine(on, datetime.time(10)))
        batch = RefundBatch(organiser=organiser, number=number, execution_date=execution_date,
                            message_id=f"WW{organiser.pk}-TB{number}-{created_at:%Y%m%d%H%M%S}",
                            total=sum((balances[c.pk] for c in clients), Decimal("0.00")),
                            count=len(clients), created_by=actor if getattr(actor, "pk", None) else None)
        with translation.override("nl"):
            transfers = [Transfer(end_to_end_id=batch.end_to_end_id(c.number), amount=balances[c.pk],
                                  creditor_name=c.name, creditor_iban=ibans[c.pk],
                                  remittance=_("Refund of wijk-werken credit %(number)s") % {"number": c.number})
                         for c in clients]
        try:
            content = build_credit_transfer(
                message_id=batch.message_id, payment_id=f"TB{number}", created_at=created_at,
                execution_date=execution_date, transfers=transfers, debtor=Debtor.of(organiser))
        except SepaInputError as error:
            raise _sepa_refused(error, clients) from error
        batch.file.save(batch.file_name, ContentFile(content), save=False)
        batch.full_clean()
        batch.save()
        actor_id = batch.created_by_id
        ClientCredit.objects.bulk_create([
            ClientCredit(organiser=organiser, client=c, amount=-balances[c.pk], kind=CreditKind.REFUNDED,
                         refund_batch=batch, refund_iban=ibans[c.pk], created_by_id=actor_id)
            for c in clients])
        audit_log(actor=actor, obj=batch, action="refund_batch.create",
                  summary=ngettext("Refund %(number)s created: %(count)s client, %(total)s, executed on %(date)s",
                                   "Refund %(number)s created: %(count)s clients, %(total)s, executed on %(date)s",
                                   batch.count)
                  % {"number": number, "count": batch.count, "total": format_euro(batch.total),
                     "date": execution_date.strftime("%d/%m/%Y")},
                  changes={"total": batch.total, "count": batch.count, "execution_date": execution_date,
                           "message_id": batch.message_id})
        refunded = _("Credit of %(amount)s refunded to %(iban)s (refund %(number)s)")
        audit_log_objects(
            (actor, "client_credit.refund", refunded % {"amount": format_euro(balances[c.pk]),
                                                         "iban": stdnum_iban.format(ibans[c.pk]), "number": number},
             c, {"amount": balances[c.pk], "iban": ibans[c.pk], "refund_batch": batch.pk})
            for c in clients)
        _notify_refunded(batch, clients, balances, ibans)
    return batch


def _sepa_refused(error: SepaInputError, clients):
    """The Dutch error for input the SEPA writer refused: which client, or our own data, and what is wrong."""
    problem = _SEPA_PROBLEMS.get(error.code)
    if problem is None:
        problem = _("the file does not pass the checks of the SEPA standard (%(detail)s)") % {"detail": error}
    if error.transfer is None:
        message = _("No SEPA file can be made: %(problem)s. Correct it in the organisation's settings; nothing was "
                    "refunded.") % {"problem": problem}
    else:
        client = clients[error.transfer]
        message = _("No SEPA file can be made for %(client)s: %(problem)s. Correct the client's details or untick "
                    "the client; nothing was refunded.") % {"client": _names([client]), "problem": problem}
    return service_error(message, f"sepa_{error.code}", "clients")


def _notify_refunded(batch: RefundBatch, clients, balances, ibans) -> None:
    """Tell each client's contacts where and when their credit goes (once per batch and client)."""
    contacts = contact_users_by_client(client.pk for client in clients)
    with translation.override("nl"):
        url = reverse("cheques:my_wallet")
        items = [
            (user, f"cheques.refund.{batch.pk}.{client.pk}",
             _("We refund your credit of %(amount)s to %(iban)s; the bank carries out the transfer on %(date)s.")
             % {"amount": format_euro(balances[client.pk]), "iban": stdnum_iban.format(ibans[client.pk]),
                "date": batch.execution_date.strftime("%d/%m/%Y")}, url)
            for client in clients for user in contacts.get(client.pk, [])]
        notifications_send(items=items, subject=_("Your wijk-werken credit is refunded"))
