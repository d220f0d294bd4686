"""Writes on exclusions: a worker who must never be matched with a client."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wijkwerken.core.audit import audit_log
from workers.models import Worker

from ..models import Client, WorkerExclusion


def worker_exclusion_add(*, worker: Worker, client: Client, reason: str, actor) -> WorkerExclusion:
    """From now on `worker` is never proposed for `client`. Open assignments are left to the bemiddelaar."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why."), code="no_reason")})
    if worker.organiser_id != client.organiser_id:
        raise ValidationError(_("This wijk-werker belongs to another organiser."), code="other_organiser")
    try:
        with transaction.atomic():
            exclusion = WorkerExclusion(worker=worker, client=client, reason=reason[:300], created_by=actor)
            exclusion.full_clean(validate_unique=False, validate_constraints=False)  # the database decides
            exclusion.save()
            audit_log(actor=actor, obj=client, action="exclusion.add",
                      summary=_("%(worker)s will not be matched with this client: %(reason)s")
                      % {"worker": worker, "reason": exclusion.reason})
    except IntegrityError as error:
        raise ValidationError(_("%(worker)s is already excluded for this client.") % {"worker": worker},
                              code="already_excluded") from error
    return exclusion


def worker_exclusion_remove(*, exclusion: WorkerExclusion, actor) -> None:
    with transaction.atomic():
        exclusion = WorkerExclusion.objects.select_for_update().select_related("worker", "client").get(pk=exclusion.pk)
        client, worker = exclusion.client, exclusion.worker
        exclusion.delete()
        audit_log(actor=actor, obj=client, action="exclusion.remove",
                  summary=_("%(worker)s may be matched with this client again") % {"worker": worker})
