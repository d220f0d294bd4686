"""The caseload: assigning and handing over workers to coaches, the history of coaches, the beheerder's access to
a worker's notes, and the organiser's coaching settings."""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role
from wijkwerken.core.audit import audit_log, diff_fields
from wijkwerken.core.dates import today as get_today
from workers import services as worker_services
from workers.models import Worker

from ..models import CoachingSettings, CoachPeriod, NoteAccessGrant
from .common import error, notify, require_current_coach, require_werkcoach_of, worker_file_url


def coach_assign(*, worker: Worker, coach, reason: str = "", actor) -> CoachPeriod:
    """Make `coach` the worker's coach; the previous coach's period closes (they keep read-only access)."""
    require_werkcoach_of(coach, worker.organiser_id, "coach")
    with transaction.atomic():
        worker = Worker.objects.select_for_update(of=("self",)).select_related("coach").get(pk=worker.pk)
        if worker.coach_id == coach.pk:
            raise error(
                _("%(coach)s already coaches %(worker)s.") % {"coach": coach, "worker": worker}, "same_coach", "coach"
            )
        day = get_today()
        previous = worker.coach
        open_period = CoachPeriod.objects.select_for_update().filter(worker=worker, ended_on__isnull=True).first()
        if open_period is not None:
            open_period.ended_on = max(day, open_period.started_on)
            open_period.save(update_fields=["ended_on"])
            if previous is not None and open_period.coach_id != previous.pk:
                open_period = None  # the coach was changed on the worker form since; record that coach too
        if open_period is None and previous is not None:
            CoachPeriod.objects.create(
                organiser_id=worker.organiser_id, worker=worker, coach=previous, started_on=day, ended_on=day
            )
        worker_services.worker_update(worker=worker, coach=coach, actor=actor)
        period = CoachPeriod(
            organiser_id=worker.organiser_id,
            worker=worker,
            coach=coach,
            started_on=day,
            reason=reason.strip(),
            assigned_by=actor,
        )
        period.full_clean()
        period.save()
        audit_log(
            actor=actor,
            action="coaching.coach_assign",
            obj=worker,
            summary=_("Work coach %(coach)s assigned") % {"coach": coach},
            changes={"coach": [str(previous) if previous else None, str(coach)], "reason": period.reason},
        )
        items = [
            (
                coach,
                f"coaching-caseload:{worker.pk}:{period.pk}",
                _("%(worker)s is now in your caseload.") % {"worker": worker},
                worker_file_url(worker.pk),
            )
        ]
        if previous is not None:
            items.append(
                (
                    previous,
                    f"coaching-handed-over:{worker.pk}:{period.pk}",
                    _("%(worker)s was handed over to %(coach)s.") % {"worker": worker, "coach": coach},
                    worker_file_url(worker.pk),
                )
            )
        notify(items)
    return period


def coach_assign_many(*, workers, coach, reason: str = "", actor) -> int:
    """Assign or hand over several workers at once; workers who already have this coach are left alone."""
    require_werkcoach_of(coach, actor.organiser_id, "coach")
    count = 0
    with transaction.atomic():
        for worker in workers:
            if worker.organiser_id != actor.organiser_id:
                raise error(_("Choose workers of your own organisation."), "foreign_worker")
            if worker.coach_id == coach.pk:
                continue
            coach_assign(worker=worker, coach=coach, reason=reason, actor=actor)
            count += 1
    return count


def coach_periods_sync(*, today: datetime.date) -> dict:
    """Keep the history in step when the coach was changed on the worker form (workers owns that field):
    close the open periods of coaches who no longer coach the worker and open one for the current coach.
    Set-based and idempotent: a second run finds nothing to do."""
    with transaction.atomic():
        stale = list(
            CoachPeriod.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(ended_on__isnull=True)
            .filter(Q(worker__coach__isnull=True) | ~Q(coach_id=F("worker__coach_id")))
            .values_list("pk", flat=True)
        )
        closed = CoachPeriod.objects.filter(pk__in=stale).update(ended_on=today)
        # A period never ends before it starts: one closed the day it opened ends that day.
        CoachPeriod.objects.filter(pk__in=stale, started_on__gt=F("ended_on")).update(ended_on=F("started_on"))
        missing = list(
            Worker.objects.filter(coach__isnull=False)
            .exclude(coach_periods__ended_on__isnull=True)
            .values_list("pk", "organiser_id", "coach_id")
        )
        CoachPeriod.objects.bulk_create(
            [
                CoachPeriod(organiser_id=organiser_id, worker_id=pk, coach_id=coach_id, started_on=today)
                for pk, organiser_id, coach_id in missing
            ],
            ignore_conflicts=True,
        )
    return {"closed": closed, "opened": len(missing)}


def note_access_grant(*, worker: Worker, user, reason: str, actor) -> NoteAccessGrant:
    """The coach lets a beheerder read this worker's notes (read-only). The grant itself is logged."""
    require_current_coach(actor, worker)
    reason = (reason or "").strip()
    if user is None or user.role != Role.BEHEERDER or user.organiser_id != worker.organiser_id or not user.is_active:
        raise error(_("Choose an administrator of your own organisation."), "not_a_beheerder", "user")
    if not reason:
        raise error(_("Give the reason for the access."), "reason_required", "reason")
    with transaction.atomic():
        Worker.objects.select_for_update().get(pk=worker.pk)
        if NoteAccessGrant.objects.filter(worker=worker, user=user, revoked_at__isnull=True).exists():
            raise error(_("%(user)s already has access.") % {"user": user}, "already_granted", "user")
        grant = NoteAccessGrant(
            organiser_id=worker.organiser_id, worker=worker, user=user, reason=reason, granted_by=actor
        )
        grant.full_clean()
        grant.save()
        audit_log(
            actor=actor,
            action="coaching.note_access_grant",
            obj=grant,
            organiser=worker.organiser,
            summary=_("Access to the coaching notes of %(worker)s given to %(user)s")
            % {"worker": worker, "user": user},
            changes={"worker": worker.pk, "user": str(user), "reason": reason},
        )
        notify(
            [
                (
                    user,
                    f"coaching-access:{grant.pk}",
                    _("You may read the coaching notes of %(worker)s (read-only); the reason is on the access page.")
                    % {"worker": worker},
                    reverse("coaching:access", args=[worker.pk]),
                )
            ]
        )
    return grant


def note_access_revoke(*, grant: NoteAccessGrant, actor) -> NoteAccessGrant:
    with transaction.atomic():
        grant = (NoteAccessGrant.objects.select_for_update(of=("self",)).select_related("worker", "user")
                 .get(pk=grant.pk))
        require_current_coach(actor, grant.worker)
        if grant.revoked_at is not None:
            raise error(_("This access was already ended."), "already_revoked")
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        audit_log(
            actor=actor,
            action="coaching.note_access_revoke",
            obj=grant,
            organiser=grant.worker.organiser,
            summary=_("Access to the coaching notes of %(worker)s ended for %(user)s")
            % {"worker": grant.worker, "user": grant.user},
            changes={"worker": grant.worker_id},
        )
    return grant


def coaching_settings_update(*, organiser, actor, **fields) -> CoachingSettings:
    unknown = set(fields) - set(CoachingSettings.FIELDS)
    if unknown:
        raise TypeError(f"coaching_settings_update() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        settings, _created = CoachingSettings.objects.select_for_update().get_or_create(organiser=organiser)
        old = {name: getattr(settings, name) for name in CoachingSettings.FIELDS}
        for name, value in fields.items():
            setattr(settings, name, value)
        settings.updated_by = actor
        settings.full_clean()
        changes = diff_fields(settings, old, CoachingSettings.FIELDS)
        if changes:
            settings.save()
            audit_log(
                actor=actor,
                action="coaching.settings",
                obj=settings,
                organiser=organiser,
                summary=_("Coaching settings changed"),
                changes=changes,
            )
    return settings
