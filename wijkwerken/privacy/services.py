"""Writes of the privacy app: the retention rule's anonymisation and the access right's export.

Anonymisation (GDPR art. 5(1)(e)): a wijk-werker whose last trajectory ended, or a client who stopped, the rule
set's `retention_years` ago (`core.rules.retention_cutoff`) loses names, national number, address, contact details,
IBAN, free texts, coaching notes and stored documents; the rows stay, with every number, category, date,
municipality and outflow reason the reports count. It runs set-based (one UPDATE per table for everyone due that
night), is safe to run twice (`anonymised_at` marks who is done) and logs counts and ids, never the erased values.

History that the database keeps append-only by trigger (the audit log, the coaching case file's revisions and
addenda, confirmed payout lines) is not deleted: its personal columns are overwritten with `REDACTED` through the
one narrow path the triggers allow (migration privacy 0002): inside a transaction that set
`wijkwerken.redacting`, an UPDATE that changes nothing but the named personal columns, each to '' or `REDACTED`.
The application's role has no UPDATE on the audit log at all: it redacts entries through the function
`wijkwerken_redact_audit_entries` (migration privacy 0003), which can do nothing else.
Audit entries about the person's rows keep their action, time, actor and object ids; their summary, object name
and the values of their changes become `REDACTED` (the keys stay, so one still sees which fields changed).

Kept whole: the payout and refund files the bank received and the imported bank statements (bookkeeping law keeps
them ten years), and the organiser's reports (numbers only).
"""

import datetime
import io
import json
import zipfile

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Case, CharField, Exists, F, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assignments.models import Client, ClientCategory, ClientContact
from wijkwerken.accounts.models import User
from wijkwerken.core.audit import audit_log, audit_log_many
from wijkwerken.core.dates import today
from wijkwerken.core.models import AuditEntry, Notification, Organiser
from wijkwerken.core.pdf import render_pdf
from wijkwerken.core.rules import retention_cutoff, rule_set_on
from workers.models import Trajectory, TrajectoryStatus, Worker

from .graph import personal_paths, rows_of
from .models import ACCESS_EXPORT_KEPT, AccessRequest, AccessStatus

REDACTED = "[geanonimiseerd]"
ANONYMOUS_NAME = "Geanonimiseerd"

# What is personal in every model whose rows belong to a person (`graph.personal_paths`); an empty tuple means
# "reviewed: nothing personal". tests/privacy checks that every model the graph finds is listed here, so a new
# model is reviewed before the nightly job runs.
PERSONAL_FIELDS = {
    "workers.WorkerActivity": (),
    "workers.Availability": (),
    "workers.Trajectory": ("end_note",),
    "workers.Suspension": ("reason",),
    "workers.Extension": ("reason",),
    "workers.Evaluation": ("note",),
    "workers.FollowUp": ("note",),
    "workers.InterimWork": ("employer",),
    "assignments.ClientContact": ("position",),
    "assignments.RegistrationFee": (),
    "assignments.WorkerExclusion": ("reason",),
    "assignments.Assignment": ("end_reason", "instructions"),
    "assignments.Incident": ("place", "description", "injured"),
    "assignments.NoShow": ("note",),
    "assignments.Prestatie": ("correction_note", "dispute_reason", "resolution_note"),
    "assignments.WorkerMonth": (),
    "assignments.ClientRegistration": ("first_name", "last_name", "contact_position", "national_number", "street",
                                       "email", "phone", "iban", "password", "review_note"),
    "assignments.HelpRequest": ("description", "street", "special_needs", "status_note"),
    "cheques.ChequeOrder": ("cancel_reason", "pdf"),
    "cheques.Cheque": (),
    "cheques.Settlement": (),
    "cheques.ClientCredit": ("payer_iban", "refund_iban"),
    "cheques.CreditBalance": (),
    "cheques.Payment": (),
    "cheques.MolliePayment": (),
    "cheques.BankLine": ("payer_name", "payer_iban", "payer_bic", "note"),
    "cheques.PayoutLine": ("name", "iban"),
    "cheques.PayoutItem": (),
    "cheques.PayoutCorrection": ("reason",),
    "cheques.PayoutStatement": ("file",),
    "coaching.CoachPeriod": ("reason",),
    "coaching.NoteAccessGrant": ("reason",),
    "coaching.Measurement": (),
    "coaching.Score": (),
    "coaching.Goal": ("title",),
    "coaching.GoalAction": ("description",),
    "coaching.GoalReview": ("comment",),
    "coaching.SessionInvitation": (),
    "coaching.CoachingNote": ("text", "contact_person_said", "worker_said"),
    "coaching.NoteRevision": ("text", "contact_person_said", "worker_said"),
    "coaching.NoteAddendum": ("text",),
    "coaching.SharedSummary": ("text",),
    "coaching.Portfolio": ("closing_summary", "pdf"),
    "coaching.CheckIn": ("sentence",),
    "reports.FiscalAttest": ("pdf",),
    "privacy.AccessRequest": ("file",),
}


# --- who is due -----------------------------------------------------------------------------------------------

def workers_ended(organiser, *, by: datetime.date) -> models.QuerySet:
    """The organiser's workers not anonymised yet whose relation ended by `by`, annotated `relation_ended_on`: the
    end of their last trajectory, or the day they were registered when they never started one. A worker with an
    active trajectory never has ended.

    Found from the trajectories that ended by then (the index on the organiser's ended trajectories by end) and
    the workers who never started one, less those with a trajectory still running or ended later: the few due,
    not every worker's trajectories added up."""
    trajectories = Trajectory.objects.filter(worker=OuterRef("pk"))
    ended_by = (Trajectory.objects.filter(organiser=organiser, status=TrajectoryStatus.ENDED, ended_on__lte=by)
                .order_by().values("worker_id"))
    registered_by = timezone.make_aware(datetime.datetime.combine(by + datetime.timedelta(days=1), datetime.time()))
    never_started = (Worker.objects.filter(organiser=organiser, created_at__lt=registered_by)
                     .filter(~Exists(trajectories)).order_by().values("pk"))
    return (Worker.objects.filter(organiser=organiser, anonymised_at__isnull=True)
            .filter(pk__in=ended_by.union(never_started))
            .exclude(Exists(trajectories.filter(Q(status=TrajectoryStatus.ACTIVE) | Q(ended_on__gt=by))))
            .annotate(relation_ended_on=models.functions.Coalesce(
                Subquery(trajectories.order_by().values("worker").annotate(last=Max("ended_on")).values("last")),
                models.functions.TruncDate("created_at"), output_field=models.DateField())))


def clients_ended(organiser) -> models.QuerySet:
    """The organiser's stopped clients not anonymised yet, annotated `relation_ended_on` (the day they stopped)."""
    return (Client.objects.filter(organiser=organiser, anonymised_at__isnull=True, stopped_on__isnull=False)
            .annotate(relation_ended_on=F("stopped_on")))


def due_on(organiser, on: datetime.date) -> tuple[models.QuerySet, models.QuerySet]:
    """The workers and clients of `organiser` whose personal data the retention rule anonymises on `on`."""
    cutoff = retention_cutoff(rule_set=rule_set_on(organiser=organiser, on=on), on=on)
    return (workers_ended(organiser, by=cutoff),
            clients_ended(organiser).filter(relation_ended_on__lte=cutoff))


# --- anonymisation --------------------------------------------------------------------------------------------

def _allow_redaction() -> None:
    """Open the triggers' narrow path for the rest of this transaction (see the module docstring)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('wijkwerken.redacting', 'on', true)")


def _replacement(field) -> str:
    """`REDACTED`, so a value that must not be empty (a refund's IBAN) stays non-empty; '' where it does not fit."""
    if field.max_length and field.max_length < len(REDACTED):
        return "" if field.blank else REDACTED[:field.max_length]
    return REDACTED


def _redact_fields(queryset, fields) -> None:
    """One UPDATE: every non-empty text field becomes `REDACTED` (empty ones stay empty); JSON fields their default;
    stored files are deleted and the field emptied."""
    model = queryset.model
    updates = {}
    for name in fields:
        field = model._meta.get_field(name)
        if isinstance(field, models.FileField):
            for stored in queryset.exclude(**{name: ""}).values_list(name, flat=True):
                field.storage.delete(stored)
            updates[name] = Value("")
        elif isinstance(field, models.JSONField):
            updates[name] = Value(field.get_default(), output_field=field)
        else:
            updates[name] = Case(When(**{name: ""}, then=Value("")), default=Value(_replacement(field)),
                                 output_field=field)
    if updates:
        queryset.update(**updates)


def _redact_audit(object_ids_by_model: dict) -> int:
    """The audit entries about these rows keep ids, action and time; names and values become `REDACTED`."""
    condition = Q()
    for model, ids in object_ids_by_model.items():
        if ids:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            condition |= Q(content_type=content_type, object_id__in=[str(pk) for pk in ids])
    if not condition:
        return 0
    entry_ids = list(AuditEntry.objects.filter(condition).exclude(summary=REDACTED).values_list("id", flat=True))
    if not entry_ids:
        return 0
    if connection.vendor != "postgresql":
        # The embedded SQLite demo keeps its append-only triggers without the redaction path.
        return 0
    # The application's role may not UPDATE the audit log; this function (migration privacy 0003) may, and can
    # only redact.
    with connection.cursor() as cursor:
        cursor.execute("SELECT wijkwerken_redact_audit_entries(%s::bigint[])", [entry_ids])
        return cursor.fetchone()[0]


def _anonymise_users(user_ids) -> None:
    """Login accounts of anonymised people: no name, no address, no way in; the row stays for the history."""
    users = User.objects.filter(pk__in=user_ids)
    users.update(first_name=ANONYMOUS_NAME, last_name=Cast("id", CharField()), phone="", is_active=False,
                 email=Concat(Value("geanonimiseerd-"), Cast("id", CharField()), Value("@example.invalid")),
                 password=make_password(None))
    Notification.objects.filter(recipient_id__in=user_ids).delete()


# Append-only tables whose personal columns only the redaction path of PostgreSQL's triggers may change; the
# embedded SQLite demo keeps them as they are.
TRIGGER_PATH_MODELS = {"coaching.NoteRevision", "coaching.NoteAddendum", "cheques.PayoutLine"}


def _anonymise_rows(root, ids) -> dict:
    """Redact every row that belongs to the `root` rows `ids`; {model: ids} of the rows, for the audit log."""
    rows_by_model = {root: list(ids)}
    for model in personal_paths(root):
        queryset = rows_of(model, root, ids)
        rows_by_model[model] = list(queryset.values_list("pk", flat=True))
        fields = PERSONAL_FIELDS[model._meta.label]
        if connection.vendor != "postgresql" and model._meta.label in TRIGGER_PATH_MODELS:
            continue
        if fields and rows_by_model[model]:
            _redact_fields(model._default_manager.filter(pk__in=rows_by_model[model]), fields)
    return rows_by_model


def workers_anonymise(*, worker_ids, actor=None) -> list[int]:
    """Anonymise these workers (those already done are skipped); the ids anonymised."""
    with transaction.atomic():
        ids = list(Worker.objects.select_for_update().filter(pk__in=worker_ids, anonymised_at__isnull=True)
                   .order_by("pk").values_list("pk", flat=True))
        if not ids:
            return []
        _allow_redaction()
        workers = Worker.objects.filter(pk__in=ids)
        user_ids = [pk for pk in workers.values_list("user_id", flat=True) if pk]
        _redact_fields(workers, ("agreement_pdf",))
        workers.update(
            first_name=ANONYMOUS_NAME, last_name=Concat(Value("#"), Cast("id", CharField())),
            national_number=Concat(Value("X"), Cast("id", CharField())), email="", phone="", street=REDACTED,
            referrer_name=REDACTED, languages=[], mobility=[], certificates=[], iban="", notes="",
            anonymised_at=timezone.now())
        rows = _anonymise_rows(Worker, ids)
        _anonymise_users(user_ids)
        _redact_audit(rows)
        _log_anonymised(Worker, ids, rows, actor)
    return ids


def clients_anonymise(*, client_ids, actor=None) -> list[int]:
    """Anonymise these clients (those already done are skipped); the ids anonymised. An organisation keeps its
    name and enterprise number (not personal data); its contact persons lose theirs."""
    with transaction.atomic():
        ids = list(Client.objects.select_for_update().filter(pk__in=client_ids, anonymised_at__isnull=True)
                   .order_by("pk").values_list("pk", flat=True))
        if not ids:
            return []
        _allow_redaction()
        clients = Client.objects.filter(pk__in=ids)
        user_ids = list(ClientContact.objects.filter(client_id__in=ids).values_list("user_id", flat=True))
        _redact_fields(clients, ("agreement_pdf", "stop_reason"))
        clients.filter(category=ClientCategory.PARTICULIER).update(
            name=Concat(Value(ANONYMOUS_NAME + " #"), Cast("number", CharField())), first_name="", last_name="",
            national_number=Concat(Value("X"), Cast("id", CharField())))
        clients.update(street=REDACTED, email="", phone="", iban="", anonymised_at=timezone.now())
        rows = _anonymise_rows(Client, ids)
        _anonymise_users(user_ids)
        _redact_audit(rows)
        _log_anonymised(Client, ids, rows, actor)
    return ids


def _log_anonymised(root, ids, rows_by_model, actor) -> None:
    """One entry per person (ids only) and one per organiser with the counts per table."""
    summary = _("Personal data anonymised (retention period over)")
    organisers = dict(root.objects.filter(pk__in=ids).values_list("pk", "organiser_id"))
    audit_log_many(actor=actor, action="privacy.anonymised", model=root,
                   rows=((pk, organisers[pk], summary, {}) for pk in ids))
    counts = {model._meta.label: len(pks) for model, pks in rows_by_model.items() if pks}
    for organiser in Organiser.objects.filter(pk__in=set(organisers.values())):
        person_ids = [pk for pk, organiser_id in organisers.items() if organiser_id == organiser.pk]
        audit_log(actor=actor, action="privacy.anonymised_batch", obj=organiser,
                  summary=_("%(count)s %(kind)s anonymised") % {
                      "count": len(person_ids), "kind": root._meta.verbose_name_plural},
                  changes={"ids": " ".join(map(str, person_ids)), "rows": counts})


def retention_run(*, on: datetime.date | None = None, actor=None) -> dict:
    """The nightly job: everyone past the retention rule on `on` (today), per organiser. Safe to run twice."""
    on = on or today()
    done = {"workers": 0, "clients": 0}
    for organiser in Organiser.objects.order_by("pk"):
        workers, clients = due_on(organiser, on)
        done["workers"] += len(workers_anonymise(worker_ids=list(workers.values_list("pk", flat=True)), actor=actor))
        done["clients"] += len(clients_anonymise(client_ids=list(clients.values_list("pk", flat=True)), actor=actor))
    return done


# --- access right ---------------------------------------------------------------------------------------------

def access_request_create(*, worker=None, client=None, actor) -> AccessRequest:
    """Staff ask for everything stored about one worker or client; a task writes the file."""
    from .tasks import build_access_export

    person = worker or client
    with transaction.atomic():
        access_request = AccessRequest(organiser_id=person.organiser_id, worker=worker, client=client,
                                       requested_by=actor)
        access_request.full_clean()
        access_request.save()
        audit_log(actor=actor, action="privacy.access_requested", obj=access_request,
                  summary=_("Access request %(number)s asked for") % {"number": access_request.pk},
                  changes={"person": f"{person._meta.model_name} {person.pk}"})
        transaction.on_commit(lambda: build_access_export.delay(access_request.pk))
    return access_request


def access_export_build(access_request_id: int) -> AccessRequest:
    """Write the ZIP of a requested export (again when asked twice before delivery: the file is replaced)."""
    with transaction.atomic():
        access_request = (AccessRequest.objects.select_for_update(of=("self",)).select_related("worker", "client")
                          .get(pk=access_request_id))
        if access_request.status in (AccessStatus.DELIVERED, AccessStatus.REMOVED):
            return access_request
        content = access_export_zip(access_request)
        if access_request.file:
            access_request.file.delete(save=False)
        access_request.file.save(access_request.file_name(), ContentFile(content), save=False)
        access_request.status = AccessStatus.READY
        access_request.ready_at = timezone.now()
        access_request.full_clean()
        access_request.save(update_fields=["file", "status", "ready_at"])
        audit_log(actor=None, action="privacy.access_ready", obj=access_request,
                  summary=_("Access request %(number)s ready") % {"number": access_request.pk},
                  changes={"bytes": len(content)})
    return access_request


def access_request_deliver(*, access_request: AccessRequest, actor) -> AccessRequest:
    """A download of a ready export: the first one is its delivery; every one is logged."""
    with transaction.atomic():
        access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        if access_request.status == AccessStatus.READY:
            access_request.status = AccessStatus.DELIVERED
            access_request.delivered_at = timezone.now()
            access_request.delivered_by = actor
            access_request.full_clean()
            access_request.save(update_fields=["status", "delivered_at", "delivered_by"])
        audit_log(actor=actor, action="privacy.access_delivered", obj=access_request,
                  summary=_("Access request %(number)s downloaded") % {"number": access_request.pk})
    return access_request


def access_exports_remove(*, now: datetime.datetime | None = None) -> int:
    """The nightly job: delete the ZIP of every access request ready longer than `ACCESS_EXPORT_KEPT` (delivered or
    not) and mark the request "file removed"; the request itself and its history stay. Safe to run twice: a
    removed request has no file left to remove. Returns the number removed."""
    now = now or timezone.now()
    removed = 0
    due = AccessRequest.objects.filter(status__in=(AccessStatus.READY, AccessStatus.DELIVERED),
                                       ready_at__lt=now - ACCESS_EXPORT_KEPT)
    for pk in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            access_request = due.select_for_update(skip_locked=True).filter(pk=pk).first()
            if access_request is None:  # removed meanwhile, or being downloaded: the next night
                continue
            if access_request.file:
                access_request.file.delete(save=False)
            access_request.file = ""
            access_request.status = AccessStatus.REMOVED
            access_request.removed_at = now
            access_request.full_clean()
            access_request.save(update_fields=["file", "status", "removed_at"])
            audit_log(actor=None, action="privacy.access_removed", obj=access_request,
                      summary=_("Access request %(number)s: file removed after %(days)s days") % {
                          "number": access_request.pk, "days": ACCESS_EXPORT_KEPT.days})
        removed += 1
    return removed


# --- the export itself ----------------------------------------------------------------------------------------

USER_FIELDS = ("id", "email", "first_name", "last_name", "phone", "role", "is_active", "date_joined", "last_login")


def _field_value(obj, field):
    value = field.value_from_object(obj)
    if isinstance(field, models.FileField):
        return value.name if value else ""
    return value


def _record(obj) -> dict:
    return {field.attname: _field_value(obj, field) for field in obj._meta.concrete_fields}


def access_export_data(person) -> dict:
    """Everything stored about `person` (a Worker or a Client), by model label, in the shape of the JSON file."""
    root = type(person)
    records = {root._meta.label: [_record(person)]}
    for model in sorted(personal_paths(root), key=lambda m: m._meta.label):
        rows = [_record(obj) for obj in rows_of(model, root, [person.pk]).order_by("pk")]
        if rows:
            records[model._meta.label] = rows
    if root is Worker:
        user_ids = [person.user_id] if person.user_id else []
    else:
        user_ids = list(person.contacts.values_list("user_id", flat=True))
    users = User.objects.filter(pk__in=user_ids).order_by("pk")
    if users:
        records[User._meta.label] = [{name: getattr(user, name) for name in USER_FIELDS} for user in users]
    entries = AuditEntry.objects.for_object(person).order_by("created_at", "pk")
    if entries:
        records[AuditEntry._meta.label] = [
            {"created_at": e.created_at, "action": e.action, "summary": e.summary, "changes": e.changes}
            for e in entries]
    return records


def _stored_files(records) -> list:
    """(name in the ZIP, stored file) of every document in the records that still exists."""
    from django.apps import apps

    files = []
    for label, rows in records.items():
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and model is not AccessRequest:
                for row in rows:
                    name = row.get(field.attname)
                    if name and field.storage.exists(name):
                        files.append((f"documenten/{name}", field.storage, name))
    return files


def _readable(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return value


def _readable_sections(records) -> list[dict]:
    """The records as labelled sections for the PDF: the models' Dutch names and field labels, choices shown."""
    from django.apps import apps

    sections = []
    names: dict = {}

    def related_name(field, pk):
        """A foreign key as the related row's name (a municipality, a coach), looked up once."""
        key = (field.related_model, pk)
        if key not in names:
            related = field.related_model._default_manager.filter(pk=pk).first()
            names[key] = str(related) if related is not None else pk
        return names[key]

    for label, rows in records.items():
        if label == AuditEntry._meta.label:
            sections.append({"title": _("History"), "rows": [
                [(_("date"), _readable(row["created_at"])), (_("what"), row["summary"])] for row in rows]})
            continue
        model = apps.get_model(label)
        fields = {field.attname: field for field in model._meta.concrete_fields}
        readable = []
        for row in rows:
            items = []
            for name, value in row.items():
                field = fields.get(name)
                if field is None or name in ("password",) or value in ("", None, [], {}):
                    continue
                if field.choices:
                    value = dict(field.flatchoices).get(value, value)
                elif field.is_relation:
                    value = related_name(field, value)
                items.append((field.verbose_name, _readable(value)))
            readable.append(items)
        sections.append({"title": model._meta.verbose_name_plural, "rows": readable})
    return sections


def access_export_zip(access_request: AccessRequest) -> bytes:
    """The ZIP: `gegevens.json` (machine-readable), `gegevens.pdf` (readable) and the stored documents."""
    person = access_request.person
    records = access_export_data(person)
    with translation.override("nl"):
        sections = _readable_sections(records)
        pdf = render_pdf("privacy/pdf/access_export.html", {
            "person": person, "is_worker": isinstance(person, Worker), "sections": sections,
            "organiser": access_request.organiser, "made_on": today(), "access_request": access_request})
    document = {"format": "wijkwerken-inzage-1", "made_at": timezone.now(), "organiser": access_request.organiser.name,
                "person": {"kind": person._meta.model_name, "id": person.pk}, "records": records}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("gegevens.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        archive.writestr("gegevens.pdf", pdf)
        for name, storage, stored in _stored_files(records):
            with storage.open(stored, "rb") as handle:
                archive.writestr(name, handle.read())
    return buffer.getvalue()

