"""Bank statements: upload, parse completely, then write every new incoming line and match it, in one
transaction. Re-importing a file adds nothing (a checksum per line); a malformed file imports nothing."""

import datetime
import hashlib
import logging
from collections import Counter, defaultdict

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from stdnum import iban as stdnum_iban

from assignments.models import Client
from wijkwerken.core.audit import audit_log
from wijkwerken.core.bulk import bulk_insert
from wijkwerken.core.dates import today
from wijkwerken.core.money import format_euro
from wijkwerken.core.rules import organiser_started_on, rules_for

from ..bank import ParsedLine, ParsedStatement, StatementError, detect_format, parse_statement
from ..models import (
    OPEN_ORDER_STATUSES,
    BankImport,
    BankLine,
    ChequeOrder,
    ImportStatus,
    LineStatus,
    PaymentMethod,
)
from ..references import client_numbers_in, structured_communications_in
from ._common import lock, retry_on_deadlock
from .orders import Receipt, payments_apply
from .payouts import payout_batches_mark_executed

logger = logging.getLogger(__name__)
MAX_FILE_SIZE = 20 * 1024 * 1024
PROGRESS_TIMEOUT = 60 * 60


def progress_key(bank_import_id: int) -> str:
    return f"cheques:bank_import:{bank_import_id}:progress"


def _progress(bank_import_id: int, percent: int) -> None:
    cache.set(progress_key(bank_import_id), percent, PROGRESS_TIMEOUT)


def bank_import_progress(bank_import: BankImport) -> int:
    if bank_import.is_finished:
        return 100
    return cache.get(progress_key(bank_import.pk), 0)


def bank_import_create(*, organiser, uploaded_file, actor) -> BankImport:
    """Store the uploaded statement and start processing it after commit."""
    if (uploaded_file.size or 0) > MAX_FILE_SIZE:  # before reading it into memory
        raise ValidationError({"file": ValidationError(_("The file is too large (at most 20 MB)."),
                                                       code="too_large")})
    content = uploaded_file.read()
    if not content:
        raise ValidationError({"file": ValidationError(_("The file is empty."), code="empty")})
    if len(content) > MAX_FILE_SIZE:
        raise ValidationError({"file": ValidationError(_("The file is too large (at most 20 MB)."),
                                                       code="too_large")})
    file_format = detect_format(content)
    if file_format is None:
        raise ValidationError({"file": ValidationError(
            _("This is neither a CODA file nor a CAMT.053 (XML) file."), code="unknown_format")})
    name = (getattr(uploaded_file, "name", "") or "uittreksel").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        bank_import = BankImport(organiser=organiser, original_name=name, file_format=file_format,
                                 uploaded_by=actor if getattr(actor, "pk", None) else None)
        bank_import.file.save(name, ContentFile(content), save=False)
        bank_import.save()
        audit_log(actor=actor, obj=bank_import, organiser=organiser, action="bank_import.upload",
                  summary=_("Bank statement %(name)s uploaded") % {"name": name})
        transaction.on_commit(lambda: _process_later(bank_import.pk))
    return bank_import


def _process_later(bank_import_id: int) -> None:
    from ..tasks import process_bank_import

    process_bank_import.delay(bank_import_id)


def line_checksum(account: str, line: ParsedLine, occurrence: int) -> str:
    """The same line in the same account gives the same checksum in every file that contains it."""
    parts = [account, line.booking_date.isoformat(), f"{line.amount:.2f}", "C" if line.credit else "D",
             line.bank_reference, line.payer_iban, " ".join(line.communication.split()), str(occurrence)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def parse_for_organiser(*, organiser, content: bytes, file_format: str) -> ParsedStatement:
    """Parse and check that the statement is of the organiser's own account."""
    parsed = parse_statement(content, file_format)
    own = stdnum_iban.compact(organiser.iban)
    if parsed.account_iban != own:
        raise StatementError(
            _("This statement is of account %(account)s, not of our account %(own)s: nothing imported.")
            % {"account": stdnum_iban.format(parsed.account_iban), "own": stdnum_iban.format(own)},
            code="other_account")
    return parsed


def statement_age_warnings(*, organiser, parsed: ParsedStatement, on: datetime.date | None = None) -> list[str]:
    """Why this statement may be the wrong file: movements before the organiser started, or a statement older
    than the rule set's `bank_statement_warning_days`. It is imported all the same; the warnings stay with it."""
    on = on or today()
    dates = [line.booking_date for line in parsed.lines] or [d for d in [parsed.statement_date] if d]
    if not dates:
        return []
    warnings = []
    started_on = organiser_started_on(organiser)
    if min(dates) < started_on:
        warnings.append(_("This statement has movements booked on %(date)s, before our organisation started with "
                          "wijk-werken (%(start)s). Check that it is the right file.")
                        % {"date": min(dates).strftime("%d/%m/%Y"), "start": started_on.strftime("%d/%m/%Y")})
    limit = rules_for(organiser=organiser, on=on).bank_statement_warning_days
    age = (on - max(dates)).days
    if age > limit:
        warnings.append(ngettext(
            "This statement is of %(date)s, %(days)s day ago: older than the %(limit)s days after which we warn. "
            "Check that it is the right file.",
            "This statement is of %(date)s, %(days)s days ago: older than the %(limit)s days after which we warn. "
            "Check that it is the right file.", age)
            % {"date": max(dates).strftime("%d/%m/%Y"), "days": age, "limit": limit})
    return warnings


@retry_on_deadlock
def bank_import_process(*, bank_import_id: int) -> BankImport:
    """Parse the whole file, then write and match in one transaction. Safe to run twice."""
    bank_import = BankImport.objects.select_related("organiser").get(pk=bank_import_id)
    if bank_import.is_finished:
        return bank_import
    BankImport.objects.filter(pk=bank_import.pk, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING)
    _progress(bank_import.pk, 5)
    organiser = bank_import.organiser
    try:
        with bank_import.file.open("rb") as handle:
            content = handle.read()
        parsed = parse_for_organiser(organiser=organiser, content=content, file_format=bank_import.file_format)
        warnings = statement_age_warnings(organiser=organiser, parsed=parsed)
    except StatementError as error:
        return _fail(bank_import, error)
    except Exception:  # an unforeseen defect in the file must not leave the import "processing" for ever
        logger.exception("Bank import %s could not be parsed", bank_import.pk)
        return _fail(bank_import, StatementError(_("The file could not be read; nothing was imported."),
                                                 code="unreadable"))
    _progress(bank_import.pk, 40)
    with transaction.atomic():
        bank_import = lock(BankImport.objects.select_related("organiser")).get(pk=bank_import.pk)
        if bank_import.is_finished:
            return bank_import
        counts = import_lines(bank_import=bank_import, parsed=parsed, actor=bank_import.uploaded_by)
        for name, value in counts.items():
            setattr(bank_import, name, value)
        bank_import.account_iban = parsed.account_iban
        bank_import.warnings = "\n".join(warnings)
        bank_import.status = ImportStatus.DONE
        bank_import.finished_at = timezone.now()
        bank_import.save()
        audit_log(actor=bank_import.uploaded_by, obj=bank_import, action="bank_import.done",
                  summary=ngettext(
                      "Bank statement imported: %(new)s new line, %(matched)s matched, %(queue)s to handle",
                      "Bank statement imported: %(new)s new lines, %(matched)s matched, %(queue)s to handle",
                      counts["lines_new"])
                  % {"new": counts["lines_new"], "matched": counts["lines_matched"],
                     "queue": counts["lines_unmatched"]}, changes=counts)
        if warnings:
            audit_log(actor=bank_import.uploaded_by, obj=bank_import, action="bank_import.warning",
                      summary=_("Bank statement imported with a warning: %(warnings)s")
                      % {"warnings": " ".join(warnings)})
    _progress(bank_import.pk, 100)
    return bank_import


def _fail(bank_import: BankImport, error: StatementError) -> BankImport:
    with transaction.atomic():
        bank_import = lock(BankImport.objects).get(pk=bank_import.pk)
        bank_import.status = ImportStatus.FAILED
        bank_import.error = error.display()
        bank_import.finished_at = timezone.now()
        bank_import.save(update_fields=["status", "error", "finished_at"])
        audit_log(actor=bank_import.uploaded_by, obj=bank_import, action="bank_import.failed",
                  summary=_("Bank statement refused: %(error)s") % {"error": error.display()},
                  changes={"code": error.code, "line": error.line})
    _progress(bank_import.pk, 100)
    return bank_import


def import_lines(*, bank_import: BankImport, parsed: ParsedStatement, actor) -> dict:
    """Write the new incoming lines and match them. Runs inside the caller's transaction."""
    organiser = bank_import.organiser
    occurrences = Counter()
    candidates = []
    skipped = 0
    for line in parsed.lines:
        if not line.credit or line.amount <= 0:
            skipped += 1
            continue
        key = (line.booking_date, line.amount, line.bank_reference, line.payer_iban, line.communication)
        occurrences[key] += 1
        candidates.append((line_checksum(parsed.account_iban, line, occurrences[key]), line))
    existing = set()
    checksums = [c for c, _line in candidates]
    for start in range(0, len(checksums), 5000):
        existing.update(BankLine.objects.filter(organiser=organiser, checksum__any=checksums[start:start + 5000])
                        .values_list("checksum", flat=True))
    rows = [
        {"organiser_id": organiser.pk, "bank_import_id": bank_import.pk, "checksum": checksum,
         "booking_date": line.booking_date, "amount": line.amount, "payer_name": line.payer_name,
         "payer_iban": line.payer_iban, "payer_bic": line.payer_bic, "communication": line.communication,
         "bank_reference": line.bank_reference, "source_line": line.source_line}
        for checksum, line in candidates if checksum not in existing
    ]
    plans = plan_matches(organiser=organiser, communications=[row["communication"] for row in rows])
    for row, plan in zip(rows, plans, strict=True):
        if plan is not None:
            row["status"], row["client_id"] = LineStatus.MATCHED, plan[1]
    for row, pk in zip(rows, bulk_insert(BankLine, rows, with_ids=True), strict=True):
        row["id"] = pk
    _progress(bank_import.pk, 60)
    matched = apply_matches(organiser=organiser, lines=rows, plans=plans, actor=actor)
    # Outgoing movements are not stored, but one may be the debit of a payout batch: it was carried out.
    payout_batches_mark_executed(bank_import=bank_import, debits=[line for line in parsed.lines if not line.credit],
                                 actor=actor)
    return {"lines_total": len(parsed.lines), "lines_new": len(rows),
            "lines_duplicate": len(candidates) - len(rows), "lines_matched": matched,
            "lines_unmatched": len(rows) - matched, "lines_skipped": skipped}


def plan_matches(*, organiser, communications: list[str]) -> list[tuple[list[int], int | None] | None]:
    """Per line's communication: (order ids to pay, client id) or None for the queue. The structured
    communication first (however typed), then the gebruikersnummer; amount and payer name are only
    suggestions (in the queue)."""
    found_per_line = [structured_communications_in(text) for text in communications]
    wanted = list({c for found in found_per_line for c in found})
    orders_by_communication, clients_by_communication = {}, {}
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start:start + 5000]
        for communication, pk, client_id in ChequeOrder.objects.filter(
                organiser=organiser, structured_communication__any=chunk
        ).values_list("structured_communication", "pk", "client_id"):
            orders_by_communication[communication] = (pk, client_id)
        clients_by_communication.update(
            Client.objects.filter(organiser=organiser, structured_communication__any=chunk)
            .values_list("structured_communication", "pk"))
    plans: list = [None] * len(communications)
    client_of_line, numbers_wanted = {}, defaultdict(list)
    for index, (text, found) in enumerate(zip(communications, found_per_line, strict=True)):
        orders = [orders_by_communication[c] for c in found if c in orders_by_communication]
        if orders:
            plans[index] = ([pk for pk, _client in orders], orders[0][1])
            continue
        clients = [clients_by_communication[c] for c in found if c in clients_by_communication]
        if clients:
            client_of_line[index] = clients[0]
            continue
        for number in client_numbers_in(text):
            numbers_wanted[number].append(index)
    numbers = list(numbers_wanted)
    for start in range(0, len(numbers), 5000):
        for number, client_id in Client.objects.filter(
                organiser=organiser, number__any=numbers[start:start + 5000]).values_list("number", "pk"):
            for index in numbers_wanted[number]:
                client_of_line.setdefault(index, client_id)
    open_orders_of_client = defaultdict(list)
    client_ids = list(set(client_of_line.values()))
    for start in range(0, len(client_ids), 5000):
        for client_id, order_id in ChequeOrder.objects.filter(
                client_id__any=client_ids[start:start + 5000], status__in=OPEN_ORDER_STATUSES
        ).order_by("ordered_on", "pk").values_list("client_id", "pk"):
            open_orders_of_client[client_id].append(order_id)
    for index, client_id in client_of_line.items():
        plans[index] = (open_orders_of_client[client_id], client_id)
    return plans


def apply_matches(*, organiser, lines: list[dict], plans, actor) -> int:
    """Book the planned payments of the inserted `lines` (BankLine rows as dicts, with their id) in one
    `payments_apply`; lines whose orders were all paid already become "reeds betaald". Returns how many
    lines were matched."""
    receipts, receipt_lines = [], []
    for line, plan in zip(lines, plans, strict=True):
        if plan is None:
            continue
        order_ids, client_id = plan
        receipts.append(Receipt(amount=line["amount"], received_on=line["booking_date"],
                                method=PaymentMethod.BANK_TRANSFER, order_ids=order_ids, client_id=client_id,
                                bank_line_id=line["id"], payer_iban=line["payer_iban"]))
        receipt_lines.append(line)
    if not receipts:
        return 0
    results = payments_apply(organiser=organiser, receipts=receipts, actor=actor)
    already_paid = [line["id"] for line, result in zip(receipt_lines, results, strict=True) if result.already_paid]
    for start in range(0, len(already_paid), 5000):
        BankLine.objects.filter(pk__any=already_paid[start:start + 5000]).update(status=LineStatus.ALREADY_PAID)
    return len(receipt_lines)


# --- the manual queue --------------------------------------------------------------------------------------

def _lock_unhandled(line: BankLine) -> BankLine:
    line = lock(BankLine.objects).get(pk=line.pk)
    if line.status != LineStatus.UNMATCHED:
        raise ValidationError(_("This line has already been handled."), code="already_handled")
    return line


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": ValidationError(_("Add a note."), code="note_required")})
    return note[:300]


@retry_on_deadlock
def bank_line_assign(*, line: BankLine, actor, note: str, order: ChequeOrder | None = None,
                     client: Client | None = None) -> BankLine:
    """Staff assign a queued line to an order (what is left becomes credit) or to a client (its open orders,
    oldest first; the rest becomes credit)."""
    note = _require_note(note)
    if (order is None) == (client is None):
        raise ValidationError(_("Choose an order or a client."), code="target_required")
    with transaction.atomic():
        line = _lock_unhandled(line)
        if order is not None:
            if order.organiser_id != line.organiser_id:
                raise ValidationError(_("This order is not ours."), code="other_organiser")
            if order.status not in OPEN_ORDER_STATUSES:
                raise ValidationError(_("This order is not waiting for a payment."), code="order_not_open")
            receipt = Receipt(amount=line.amount, received_on=line.booking_date, method=PaymentMethod.BANK_TRANSFER,
                              order_ids=[order.pk], client_id=order.client_id, bank_line_id=line.pk,
                              payer_iban=line.payer_iban)
            target = order.client
        else:
            if client.organiser_id != line.organiser_id:
                raise ValidationError(_("This client is not ours."), code="other_organiser")
            order_ids = list(ChequeOrder.objects.filter(client=client, status__in=OPEN_ORDER_STATUSES)
                             .order_by("ordered_on", "pk").values_list("pk", flat=True))
            receipt = Receipt(amount=line.amount, received_on=line.booking_date, method=PaymentMethod.BANK_TRANSFER,
                              order_ids=order_ids, client_id=client.pk, bank_line_id=line.pk,
                              payer_iban=line.payer_iban)
            target = client
        payments_apply(organiser=line.organiser, receipts=[receipt], actor=actor)
        line.status = LineStatus.ASSIGNED
        line.client_id = target.pk
        line.note = note
        line.handled_by = actor
        line.handled_at = timezone.now()
        line.save(update_fields=["status", "client", "note", "handled_by", "handled_at"])
        audit_log(actor=actor, obj=line, action="bank_line.assign",
                  summary=_("Transfer of %(amount)s assigned to %(target)s: %(note)s")
                  % {"amount": format_euro(line.amount), "target": order or client, "note": note},
                  changes={"order": order.pk if order else None, "client": target.pk})
    return line


def bank_line_discard(*, line: BankLine, actor, note: str) -> BankLine:
    """Staff take a line out of the queue without booking it (not for us, a refund, ...), with a note."""
    note = _require_note(note)
    with transaction.atomic():
        line = _lock_unhandled(line)
        line.status = LineStatus.DISCARDED
        line.note = note
        line.handled_by = actor
        line.handled_at = timezone.now()
        line.save(update_fields=["status", "note", "handled_by", "handled_at"])
        audit_log(actor=actor, obj=line, action="bank_line.discard",
                  summary=_("Transfer of %(amount)s discarded: %(note)s")
                  % {"amount": format_euro(line.amount), "note": note})
    return line

