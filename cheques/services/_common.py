from django.contrib.contenttypes.models import ContentType

from wijkwerken.accounts.models import Role
from wijkwerken.core.audit import _jsonable
from wijkwerken.core.models import AuditEntry


def on_behalf_of(client, actor):
    """The client's login when staff act for the client ("ingevoerd door X voor Y")."""
    if actor is None or getattr(actor, "role", None) == Role.GEBRUIKER:
        return None
    contact = client.contacts.select_related("user").order_by("-is_primary", "pk").first()
    return contact.user if contact else None


def audit_many(entries) -> None:
    """Many audit entries in one INSERT, for set-based jobs: (actor, action, summary, obj, changes) tuples.

    The same fields `wijkwerken.core.audit.audit_log` writes; used where one entry per row would mean one
    query per row.
    """
    objects = []
    content_types = {}
    for actor, action, summary, obj, changes in entries:
        model = type(obj)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model, for_concrete_model=False)
        objects.append(AuditEntry(
            organiser_id=obj.organiser_id, actor=actor if getattr(actor, "pk", None) else None, action=action,
            summary=str(summary)[:300], content_type=content_types[model], object_id=str(obj.pk),
            object_repr=str(obj)[:200], changes=_jsonable(changes or {}),
        ))
    AuditEntry.objects.bulk_create(objects, batch_size=1000)
