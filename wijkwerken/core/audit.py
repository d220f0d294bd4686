"""The one way services write to the audit log, in the same transaction as the change itself."""

from django.contrib.contenttypes.models import ContentType

from .bulk import bulk_insert
from .models import AuditEntry, Organiser


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def audit_log(*, actor, action: str, summary: str, obj=None, organiser=None, changes=None, on_behalf_of=None):
    """Record that `actor` did `action` to `obj`. `summary` is the Dutch sentence shown in histories.

    `changes` maps a field (or another key) to [old, new] for a change, or to a plain value; a two-item list is
    always read as [old, new] in the history, so store other lists as text.
    `on_behalf_of` is the client a staff member acted for ("ingevoerd door ... voor ...").
    `actor` may be None for the system (scheduled jobs).
    """
    if organiser is None and obj is not None:
        organiser = obj if isinstance(obj, Organiser) else getattr(obj, "organiser", None)
    return AuditEntry.objects.create(
        organiser=organiser,
        actor=actor if getattr(actor, "pk", None) else None,
        on_behalf_of=on_behalf_of,
        action=action,
        summary=str(summary)[:300],
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=_jsonable(changes or {}),
    )


def diff_fields(instance, old_values: dict, fields) -> dict:
    """The fields whose value changed, as {field: [old, new]}."""
    changes = {}
    for name in fields:
        new = getattr(instance, name)
        if old_values.get(name) != new:
            changes[name] = [_jsonable(old_values.get(name)), _jsonable(new)]
    return changes


def _actor_id(actor):
    return actor.pk if getattr(actor, "pk", None) else None


def audit_log_many(*, actor, action: str, model, rows) -> int:
    """One INSERT for many entries of scheduled jobs. `rows` are (object id, organiser id, summary, changes)."""
    content_type_id = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
    actor_id = _actor_id(actor)
    return bulk_insert(AuditEntry, (
        {"organiser_id": organiser_id, "actor_id": actor_id, "action": action, "summary": str(summary)[:300],
         "content_type_id": content_type_id, "object_id": str(object_id),
         "object_repr": f"{model._meta.verbose_name} {object_id}", "changes": _jsonable(changes or {})}
        for object_id, organiser_id, summary, changes in rows))


def audit_log_objects(entries) -> int:
    """One INSERT for many entries about loaded objects: (actor, action, summary, obj, changes) tuples.

    The same fields `audit_log` writes, for set-based services where one entry per row would mean one query
    per row. Each object is an organiser or has an `organiser_id`.
    """
    content_type_ids = {}
    rows = []
    for actor, action, summary, obj, changes in entries:
        model = type(obj)
        if model not in content_type_ids:
            content_type_ids[model] = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        organiser_id = obj.pk if isinstance(obj, Organiser) else obj.organiser_id
        rows.append({"organiser_id": organiser_id, "actor_id": _actor_id(actor), "action": action,
                     "summary": str(summary)[:300], "content_type_id": content_type_ids[model],
                     "object_id": str(obj.pk), "object_repr": str(obj)[:200], "changes": _jsonable(changes or {})})
    return bulk_insert(AuditEntry, rows)
