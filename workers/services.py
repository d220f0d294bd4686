"""Writes on workers and trajectories. Each service: keyword-only, `actor=`, atomic, locked, audited."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role, User
from wijkwerken.accounts.services import password_setup_link
from wijkwerken.core.audit import audit_log, diff_fields
from wijkwerken.core.dates import add_months
from wijkwerken.core.models import Municipality, Organiser
from wijkwerken.core.rules import rules_for
from wijkwerken.core.tasks import send_email
from wijkwerken.core.validators import normalise_iban

from .activities import main_activity_choices
from .identity import normalise_national_number
from .models import (
    ActivityKind,
    Availability,
    DayPart,
    Evaluation,
    Extension,
    FollowUp,
    InterimWork,
    Notification,
    OutflowReason,
    Suspension,
    Trajectory,
    Worker,
    WorkerActivity,
)

WORKER_FIELDS = (
    "first_name",
    "last_name",
    "national_number",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "referral",
    "referrer_name",
    "referral_date",
    "consent_signed_on",
    "languages",
    "mobility",
    "max_distance_km",
    "certificates",
    "iban",
    "ex_pwa",
    "notes",
    "bemiddelaar",
    "coach",
)
FOLLOW_UP_MONTHS = (3, 6)
ONE_DAY = datetime.timedelta(days=1)


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _error(message, code, field=None):
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


# --- the registry ---


def municipality_for_postcode(*, organiser: Organiser, postcode: str) -> Municipality:
    """The organiser's municipality that `postcode` belongs to. The domicile must be in the Flemish Region
    (only Flemish postcodes are known) and in the organiser's territory."""
    postcode = (postcode or "").strip()
    municipalities = Municipality.objects.filter(postcodes__code=postcode).distinct()
    if not municipalities.exists():
        raise _error(
            _(
                "Postcode %(code)s is not in the Flemish Region; wijk-werken is only for residents of the "
                "Flemish Region."
            )
            % {"code": postcode},
            "not_flemish",
            "postcode",
        )
    own = municipalities.filter(organiser=organiser).order_by("name").first()
    if own is None:
        raise _error(
            _("Postcode %(code)s is in %(names)s, which is not one of your organisation's municipalities.")
            % {"code": postcode, "names": ", ".join(m.name for m in municipalities)},
            "outside_territory",
            "postcode",
        )
    return own


def _check_staff(*, organiser, user, field, role):
    if user is not None and (user.organiser_id != organiser.pk or user.role not in role):
        raise _error(_("Choose a colleague of your own organisation."), "foreign_staff", field)


def _on_field(field, normalise, value):
    try:
        return normalise(value)
    except ValidationError as error:
        raise ValidationError({field: error}) from None


def _clean_worker(worker: Worker) -> None:
    worker.national_number = _on_field("national_number", normalise_national_number, worker.national_number)
    if worker.iban:
        worker.iban = _on_field("iban", normalise_iban, worker.iban.upper())
    worker.municipality = municipality_for_postcode(organiser=worker.organiser, postcode=worker.postcode)
    _check_staff(
        organiser=worker.organiser,
        user=worker.bemiddelaar,
        field="bemiddelaar",
        role=(Role.BEMIDDELAAR, Role.BEHEERDER),
    )
    _check_staff(organiser=worker.organiser, user=worker.coach, field="coach", role=(Role.WERKCOACH,))
    duplicate = Worker.objects.filter(organiser=worker.organiser, national_number=worker.national_number)
    if worker.pk:
        duplicate = duplicate.exclude(pk=worker.pk)
    if duplicate.exists():
        raise _error(
            _("A worker with this national register number is already registered."),
            "duplicate_national_number",
            "national_number",
        )
    worker.full_clean()


def _set_activities(worker, *, skills, interests) -> dict:
    known = {code for code, _name in main_activity_choices()}
    wanted = {(code, ActivityKind.SKILL) for code in skills} | {(code, ActivityKind.INTEREST) for code in interests}
    unknown = {code for code, _kind in wanted if code not in known}
    if unknown:
        raise _error(_("Unknown main activity: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}, "unknown_activity")
    current = set(worker.activities.values_list("activity", "kind"))
    if current == wanted:
        return {}
    worker.activities.all().delete()
    WorkerActivity.objects.bulk_create(WorkerActivity(worker=worker, activity=a, kind=k) for a, k in sorted(wanted))
    return {"activities": [sorted(f"{k}:{a}" for a, k in current), sorted(f"{k}:{a}" for a, k in wanted)]}


def _set_availability(worker, slots) -> dict:
    """`slots` are "weekday-part" strings such as "0-morning"."""
    wanted = set()
    for slot in slots:
        weekday, _sep, part = slot.partition("-")
        if not weekday.isdigit() or not 0 <= int(weekday) <= 6 or part not in DayPart.values:
            raise _error(_("Unknown availability slot."), "invalid_slot")
        wanted.add((int(weekday), part))
    current = set(worker.availability.values_list("weekday", "part"))
    if current == wanted:
        return {}
    worker.availability.all().delete()
    Availability.objects.bulk_create(Availability(worker=worker, weekday=w, part=p) for w, p in sorted(wanted))
    return {"availability": [sorted(f"{w}-{p}" for w, p in current), sorted(f"{w}-{p}" for w, p in wanted)]}


def worker_create(*, organiser: Organiser, actor, skills=(), interests=(), availability=(), **data) -> Worker:
    unknown = set(data) - set(WORKER_FIELDS)
    if unknown:
        raise TypeError(f"worker_create() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        Organiser.objects.select_for_update().get(pk=organiser.pk)
        worker = Worker(organiser=organiser, **data)
        _clean_worker(worker)
        worker.save()
        _set_activities(worker, skills=skills, interests=interests)
        _set_availability(worker, availability)
        audit_log(
            actor=actor,
            action="worker.create",
            obj=worker,
            organiser=organiser,
            summary=_("Wijk-werker registered"),
        )
    return worker


def worker_update(*, worker: Worker, actor, skills=None, interests=None, availability=None, **data) -> Worker:
    unknown = set(data) - set(WORKER_FIELDS)
    if unknown:
        raise TypeError(f"worker_update() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        tracked = (*WORKER_FIELDS, "municipality")
        old = {name: getattr(worker, name) for name in tracked}
        for name, value in data.items():
            setattr(worker, name, value)
        _clean_worker(worker)
        changes = diff_fields(worker, old, tracked)
        if "national_number" in changes:
            changes["national_number"] = ["•", "•"]  # the audit log shows that it changed, not the number
        if changes:
            worker.save(update_fields=[*changes])
        if skills is not None or interests is not None:
            changes |= _set_activities(
                worker,
                skills=skills
                if skills is not None
                else worker.activities.filter(kind=ActivityKind.SKILL).values_list("activity", flat=True),
                interests=interests
                if interests is not None
                else worker.activities.filter(kind=ActivityKind.INTEREST).values_list("activity", flat=True),
            )
        if availability is not None:
            changes |= _set_availability(worker, availability)
        if "ex_pwa" in changes:
            for trajectory in worker.trajectories.active().select_for_update():
                _apply_cap(trajectory)
        if changes:
            audit_log(
                actor=actor,
                action="worker.update",
                obj=worker,
                organiser=worker.organiser,
                summary=_("Wijk-werker details changed"),
                changes=changes,
            )
    return worker


def worker_account_create(*, worker: Worker, email: str, actor) -> User:
    """Give the worker a login with role wijk-werker and mail a link to choose a password."""
    email = User.objects.normalize_email(email).lower()
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        if worker.user_id:
            raise _error(_("This worker already has a login."), "has_login")
        if User.objects.filter(email__iexact=email).exists():
            raise _error(_("An account with this e-mail address already exists."), "duplicate_email", "email")
        user = User(
            email=email,
            first_name=worker.first_name,
            last_name=worker.last_name,
            role=Role.WIJKWERKER,
            organiser=worker.organiser,
            municipality=worker.municipality,
            phone=worker.phone,
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        worker.user = user
        worker.save(update_fields=["user"])
        audit_log(
            actor=actor,
            action="worker.account_create",
            obj=worker,
            organiser=worker.organiser,
            summary=_("Login created for the wijk-werker"),
        )
        body = _(
            "Hello %(name)s,\n\nYou can now follow your wijk-werken trajectory online. Choose a password "
            "here:\n%(link)s\n\n%(organiser)s"
        ) % {"name": worker.first_name, "link": password_setup_link(user), "organiser": worker.organiser.name}
        subject = _("Your wijk-werken login")
        transaction.on_commit(lambda: send_email.delay(subject, body, [email]))
    return user


def worker_account_link(*, worker: Worker, user: User, actor) -> Worker:
    """Link an existing wijk-werker login (for instance made by the beheerder) to the worker."""
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        if user.role != Role.WIJKWERKER or user.organiser_id != worker.organiser_id:
            raise _error(_("Only a wijk-werker login of your organisation can be linked."), "not_a_worker_login")
        if Worker.objects.filter(user=user).exclude(pk=worker.pk).exists():
            raise _error(_("This login is already linked to another worker."), "login_in_use")
        if worker.user_id == user.pk:
            return worker
        worker.user = user
        worker.save(update_fields=["user"])
        audit_log(
            actor=actor,
            action="worker.account_link",
            obj=worker,
            organiser=worker.organiser,
            summary=_("Login %(email)s linked") % {"email": user.email},
        )
    return worker


def worker_agreement_generate(*, worker: Worker, actor) -> Worker:
    """(Re)generate the wijk-werkovereenkomst PDF in the background."""
    from .tasks import render_agreement

    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        audit_log(
            actor=actor,
            action="worker.agreement",
            obj=worker,
            organiser=worker.organiser,
            summary=_("Wijk-werkovereenkomst generated"),
        )
        transaction.on_commit(lambda: render_agreement.delay(worker.pk))
    return worker


# --- the trajectory ---


def _suspended_days(trajectory) -> int:
    return sum(s.days for s in trajectory.suspensions.all())


def _cap_for(*, worker, start_date, suspended_days=0):
    """The latest possible end date: the maximum length plus suspensions, none for ex-PWA workers."""
    if worker.ex_pwa:
        return None
    rules = rules_for(municipality=worker.municipality, on=start_date)
    return add_months(start_date, rules.trajectory_max_months) - ONE_DAY + datetime.timedelta(days=suspended_days)


def _apply_cap(trajectory) -> None:
    cap = _cap_for(
        worker=trajectory.worker, start_date=trajectory.start_date, suspended_days=_suspended_days(trajectory)
    )
    if cap is not None and trajectory.end_date > cap:
        raise _error(
            _(
                "The trajectory already runs until %(end)s, beyond the maximum of %(cap)s; the ex-PWA status "
                "cannot be removed."
            )
            % {"end": _fmt(trajectory.end_date), "cap": _fmt(cap)},
            "beyond_cap",
            "ex_pwa",
        )
    trajectory.max_end_date = cap
    trajectory.save(update_fields=["max_end_date"])


def _locked_active(trajectory) -> Trajectory:
    trajectory = Trajectory.objects.select_for_update().select_related("worker__municipality").get(pk=trajectory.pk)
    if not trajectory.is_active:
        raise _error(_("This trajectory has already ended."), "not_active")
    return trajectory


def trajectory_start(*, worker: Worker, start_date: datetime.date, actor) -> Trajectory:
    """Start a trajectory: planned end and evaluation date follow from the rules valid on the start date."""
    with transaction.atomic():
        worker = Worker.objects.select_for_update().select_related("municipality").get(pk=worker.pk)
        if worker.trajectories.active().exists():
            raise _error(
                _("This worker already has an active trajectory; end it before starting a new one."),
                "overlapping_trajectory",
                "start_date",
            )
        last_end = worker.trajectories.filter(ended_on__isnull=False).order_by("-ended_on").first()
        if last_end is not None and start_date <= last_end.ended_on:
            raise _error(
                _("The previous trajectory ended on %(date)s; a new one starts after that.")
                % {"date": _fmt(last_end.ended_on)},
                "overlapping_trajectory",
                "start_date",
            )
        rules = rules_for(municipality=worker.municipality, on=start_date)
        planned_end = add_months(start_date, rules.trajectory_planned_months) - ONE_DAY
        trajectory = Trajectory(
            organiser=worker.organiser,
            worker=worker,
            start_date=start_date,
            planned_end_date=planned_end,
            end_date=planned_end,
            max_end_date=_cap_for(worker=worker, start_date=start_date),
            evaluation_due_on=add_months(start_date, rules.evaluation_interval_months) - ONE_DAY,
        )
        trajectory.full_clean()
        trajectory.save()
        audit_log(
            actor=actor,
            action="trajectory.start",
            obj=worker,
            organiser=worker.organiser,
            summary=_("Trajectory started on %(start)s, planned until %(end)s")
            % {"start": _fmt(start_date), "end": _fmt(planned_end)},
            changes={"trajectory": trajectory.pk, "start_date": start_date, "end_date": planned_end},
        )
    return trajectory


def trajectory_extend(*, trajectory: Trajectory, new_end_date: datetime.date, reason: str, actor) -> Trajectory:
    """Move the end date later, up to the maximum length (no maximum for ex-PWA workers)."""
    with transaction.atomic():
        trajectory = _locked_active(trajectory)
        previous = trajectory.end_date
        if new_end_date <= previous:
            raise _error(
                _("An extension ends after the current end date (%(date)s).") % {"date": _fmt(previous)},
                "extension_not_later",
                "new_end_date",
            )
        if trajectory.max_end_date is not None and new_end_date > trajectory.max_end_date:
            raise _error(
                _("A trajectory lasts at most until %(date)s (the maximum length plus suspensions).")
                % {"date": _fmt(trajectory.max_end_date)},
                "beyond_cap",
                "new_end_date",
            )
        trajectory.end_date = new_end_date
        trajectory.full_clean()
        trajectory.save(update_fields=["end_date"])
        Extension.objects.create(
            trajectory=trajectory,
            previous_end_date=previous,
            new_end_date=new_end_date,
            reason=reason,
            created_by=actor,
        )
        audit_log(
            actor=actor,
            action="trajectory.extend",
            obj=trajectory.worker,
            organiser=trajectory.organiser,
            summary=_("Trajectory extended until %(date)s") % {"date": _fmt(new_end_date)},
            changes={"end_date": [previous, new_end_date], "reason": reason},
        )
    return trajectory


def trajectory_suspend(*, trajectory: Trajectory, start_date, end_date, reason: str, actor) -> Suspension:
    """Pause the clock: the end date, the latest end date and a later evaluation move by its length."""
    if end_date < start_date:
        raise _error(_("The end of the suspension is before its start."), "end_before_start", "end_date")
    with transaction.atomic():
        trajectory = _locked_active(trajectory)
        if not trajectory.start_date <= start_date <= trajectory.end_date:
            raise _error(
                _("A suspension starts within the trajectory (%(start)s – %(end)s).")
                % {"start": _fmt(trajectory.start_date), "end": _fmt(trajectory.end_date)},
                "outside_trajectory",
                "start_date",
            )
        if trajectory.suspensions.filter(start_date__lte=end_date, end_date__gte=start_date).exists():
            raise _error(_("This period overlaps an earlier suspension."), "overlapping_suspension", "start_date")
        suspension = Suspension(
            trajectory=trajectory, start_date=start_date, end_date=end_date, reason=reason, created_by=actor
        )
        suspension.full_clean()
        suspension.save()
        shift = datetime.timedelta(days=suspension.days)
        old = {
            "end_date": trajectory.end_date,
            "max_end_date": trajectory.max_end_date,
            "evaluation_due_on": trajectory.evaluation_due_on,
        }
        trajectory.end_date += shift
        if trajectory.max_end_date is not None:
            trajectory.max_end_date += shift
        if trajectory.evaluation_due_on >= start_date:
            trajectory.evaluation_due_on += shift
        trajectory.full_clean()
        changes = diff_fields(trajectory, old, old)
        trajectory.save(update_fields=list(changes))
        audit_log(
            actor=actor,
            action="trajectory.suspend",
            obj=trajectory.worker,
            organiser=trajectory.organiser,
            summary=_("Trajectory suspended %(start)s – %(end)s; new end date %(new)s")
            % {"start": _fmt(start_date), "end": _fmt(end_date), "new": _fmt(trajectory.end_date)},
            changes={**changes, "reason": reason},
        )
    return suspension


def trajectory_evaluate(*, trajectory: Trajectory, evaluated_on, note: str, actor) -> Evaluation:
    with transaction.atomic():
        trajectory = _locked_active(trajectory)
        if evaluated_on < trajectory.start_date:
            raise _error(
                _("An evaluation cannot be before the start of the trajectory."),
                "before_start",
                "evaluated_on",
            )
        rules = rules_for(municipality=trajectory.worker.municipality, on=evaluated_on)
        evaluation = Evaluation.objects.create(
            trajectory=trajectory, evaluated_on=evaluated_on, note=note, created_by=actor
        )
        old_due = trajectory.evaluation_due_on
        trajectory.last_evaluated_on = evaluated_on
        trajectory.evaluation_due_on = add_months(evaluated_on, rules.evaluation_interval_months)
        trajectory.save(update_fields=["last_evaluated_on", "evaluation_due_on"])
        audit_log(
            actor=actor,
            action="trajectory.evaluate",
            obj=trajectory.worker,
            organiser=trajectory.organiser,
            summary=_("Evaluation on %(date)s; next one by %(next)s")
            % {"date": _fmt(evaluated_on), "next": _fmt(trajectory.evaluation_due_on)},
            changes={"evaluation_due_on": [old_due, trajectory.evaluation_due_on]},
        )
    return evaluation


def follow_ups_for(trajectory_id, ended_on) -> list[FollowUp]:
    return [
        FollowUp(trajectory_id=trajectory_id, months_after=m, due_on=add_months(ended_on, m)) for m in FOLLOW_UP_MONTHS
    ]


def trajectory_end(*, trajectory: Trajectory, ended_on, outflow_reason: str, note: str = "", actor) -> Trajectory:
    """End the trajectory with an outflow reason; the outcome is followed up 3 and 6 months later."""
    if outflow_reason not in OutflowReason.values:
        raise _error(_("Choose an outflow reason."), "invalid_reason", "outflow_reason")
    with transaction.atomic():
        trajectory = _locked_active(trajectory)
        if not trajectory.can_end():
            raise _error(_("This trajectory has already ended."), "not_active")
        if ended_on < trajectory.start_date:
            raise _error(
                _("The end date is before the start of the trajectory (%(date)s).")
                % {"date": _fmt(trajectory.start_date)},
                "end_before_start",
                "ended_on",
            )
        if ended_on > trajectory.end_date:
            raise _error(
                _("The trajectory runs until %(date)s at the latest; extend it first.")
                % {"date": _fmt(trajectory.end_date)},
                "after_end_date",
                "ended_on",
            )
        trajectory.status = Trajectory.Status.ENDED
        trajectory.ended_on = ended_on
        trajectory.outflow_reason = outflow_reason
        trajectory.end_note = note
        trajectory.full_clean()
        trajectory.save(update_fields=["status", "ended_on", "outflow_reason", "end_note"])
        FollowUp.objects.bulk_create(follow_ups_for(trajectory.pk, ended_on), ignore_conflicts=True)
        audit_log(
            actor=actor,
            action="trajectory.end",
            obj=trajectory.worker,
            organiser=trajectory.organiser,
            summary=_("Trajectory ended on %(date)s: %(reason)s")
            % {"date": _fmt(ended_on), "reason": trajectory.get_outflow_reason_display()},
            changes={"status": ["active", "ended"], "outflow_reason": outflow_reason},
        )
    return trajectory


def follow_up_record(*, follow_up: FollowUp, done_on, situation: str, note: str = "", actor) -> FollowUp:
    if situation not in OutflowReason.values:
        raise _error(_("Choose the worker's situation."), "invalid_situation", "situation")
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().select_related("trajectory__worker").get(pk=follow_up.pk)
        if done_on < follow_up.trajectory.ended_on:
            raise _error(_("A follow-up comes after the end of the trajectory."), "before_end", "done_on")
        old = {"done_on": follow_up.done_on, "situation": follow_up.situation, "note": follow_up.note}
        follow_up.done_on, follow_up.situation, follow_up.note = done_on, situation, note
        follow_up.full_clean()
        changes = diff_fields(follow_up, old, old)
        if changes:
            follow_up.save(update_fields=list(changes))
            audit_log(
                actor=actor,
                action="follow_up.record",
                obj=follow_up.trajectory.worker,
                organiser=follow_up.trajectory.organiser,
                summary=_("Follow-up after %(months)s months: %(situation)s")
                % {"months": follow_up.months_after, "situation": follow_up.get_situation_display()},
                changes=changes,
            )
    return follow_up


def interim_work_record(*, worker: Worker, start_date, end_date, employer: str, actor) -> InterimWork:
    """Record interim work. The warning for too many days is a read (`selectors.interim_warning`)."""
    if end_date < start_date:
        raise _error(_("The end of the period is before its start."), "end_before_start", "end_date")
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        if worker.interim_work.filter(start_date__lte=end_date, end_date__gte=start_date).exists():
            raise _error(
                _("This period overlaps interim work that is already recorded."),
                "overlapping_interim",
                "start_date",
            )
        interim = InterimWork(
            worker=worker, start_date=start_date, end_date=end_date, employer=employer, created_by=actor
        )
        interim.full_clean()
        interim.save()
        audit_log(
            actor=actor,
            action="worker.interim_work",
            obj=worker,
            organiser=worker.organiser,
            summary=_("Interim work %(start)s – %(end)s (%(days)s days)")
            % {"start": _fmt(start_date), "end": _fmt(end_date), "days": interim.days},
        )
    return interim


# --- notifications ---


def notifications_send(*, items) -> int:
    """Create in-app notifications and mail each new one. `items` are (user, key, text, url).

    The unique (recipient, key) makes this safe to repeat: an existing notification is neither created nor
    mailed again. Runs inside the caller's transaction; mails leave after the commit.
    """
    items = [(user, key, str(text), url) for user, key, text, url in items if user is not None and user.is_active]
    if not items:
        return 0
    existing = set(
        Notification.objects.filter(
            recipient__in={u.pk for u, *_rest in items}, key__in={k for _u, k, *_r in items}
        ).values_list("recipient_id", "key")
    )
    new = []
    seen = set()
    for user, key, text, url in items:
        if (user.pk, key) in existing or (user.pk, key) in seen:
            continue
        seen.add((user.pk, key))
        new.append(Notification(recipient=user, key=key, text=text[:300], url=url))
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    site = settings.SITE_URL.rstrip("/")
    subject = _("Wijk-werken: a trajectory needs your attention")
    for notification in new:
        body = f"{notification.text}\n\n{site}{notification.url}" if notification.url else notification.text
        email = notification.recipient.email
        transaction.on_commit(lambda body=body, email=email: send_email.delay(subject, body, [email]))
    return len(new)


def notification_mark_read(*, notification: Notification, actor) -> Notification:
    if notification.recipient_id != actor.pk:
        raise _error(_("This message is not yours."), "not_recipient")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


def worker_url(worker_id) -> str:
    return reverse("workers:worker_detail", args=[worker_id])
