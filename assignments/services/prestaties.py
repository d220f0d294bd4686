"""Writes on prestaties, in three steps as dienstencheques users know them.

(a) the worker or staff register date, start and end — the caps and the trajectory are checked under a lock on
the worker; (b) staff validate or correct (automatically validated after N working days); (c) the client confirms
or disputes (automatically confirmed after N days, with a reminder before; never after a staff correction).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkwerken.core.audit import audit_log, audit_log_many
from wijkwerken.core.dates import add_working_days, today
from wijkwerken.core.errors import service_error
from wijkwerken.core.notifications import notifications_send
from wijkwerken.core.rules import cheques_for_minutes, rules_for
from wijkwerken.core.signals import send_on_commit
from workers.models import Worker
from workers.selectors import trajectory_on

from .. import signals
from ..models import MAX_ROUND_TRIP_KM, Assignment, AssignmentStatus, Prestatie, PrestatieStatus
from ..selectors.clients import on_behalf_of
from ..selectors.prestaties import format_minutes, hour_caps, hours_plausibility

CONFIRM_SALT = "wijkwerken.prestatie.confirm"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 45



def _minutes_between(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _check_times(*, start: datetime.time, end: datetime.time) -> int:
    if end <= start:
        raise service_error(
            _("The end must be after the start (hours past midnight are a new prestatie the next day)."),
            "end_before_start", "end_time")
    minutes = _minutes_between(start, end)
    if minutes > 24 * 60:
        raise service_error(_("A prestatie cannot last more than 24 hours."), "too_long", "end_time")
    return minutes


def _check_kilometres(kilometres) -> Decimal:
    """The round trip in km, to one decimal: never negative, never more than a wijk-werk job can take."""
    try:
        value = Decimal(kilometres if kilometres not in (None, "") else 0)
    except (InvalidOperation, TypeError, ValueError):
        raise service_error(_("Enter the kilometres as a number, e.g. 12,5."), "kilometres_invalid",
                            "kilometres") from None
    if value < 0:
        raise service_error(_("The kilometres cannot be negative."), "kilometres_negative", "kilometres")
    if value > MAX_ROUND_TRIP_KM:
        raise service_error(_("A round trip of more than %(max)s km is not possible for a wijk-werk job: check the "
                              "number.") % {"max": MAX_ROUND_TRIP_KM}, "kilometres_too_high", "kilometres")
    return value.quantize(Decimal("0.1"))


def _km(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",") + " km"


def _check_day_and_caps(*, assignment: Assignment, worker: Worker, day: datetime.date, start, end, minutes: int,
                        exclude_prestatie_id=None) -> None:
    """Everything that makes hours on `day` impossible. The caller holds the lock on the worker row."""
    if day > today():
        raise service_error(_("Hours can only be registered once they have been worked."), "in_future", "date")
    if not (assignment.start_date <= day <= assignment.end_date):
        raise service_error(_("%(date)s is outside the assignment (%(start)s – %(end)s).")
                     % {"date": day.strftime("%d/%m/%Y"), "start": assignment.start_date.strftime("%d/%m/%Y"),
                        "end": assignment.end_date.strftime("%d/%m/%Y")}, "outside_assignment", "date")
    if trajectory_on(worker=worker, day=day) is None:
        raise service_error(_("%(worker)s has no trajectory on %(date)s: no hours can be registered.")
                     % {"worker": worker, "date": day.strftime("%d/%m/%Y")}, "outside_trajectory", "date")
    overlapping = (
        Prestatie.objects.filter(worker=worker, date=day, start_time__lt=end, end_time__gt=start)
        .exclude(status=PrestatieStatus.CANCELLED)
    )
    if exclude_prestatie_id:
        overlapping = overlapping.exclude(pk=exclude_prestatie_id)
    if (other := overlapping.first()) is not None:
        raise service_error(_("%(worker)s already has hours from %(start)s to %(end)s on that day.")
                     % {"worker": worker, "start": other.start_time.strftime("%H:%M"),
                        "end": other.end_time.strftime("%H:%M")}, "overlap", "start_time")
    caps = hour_caps(worker=worker, on=day, exclude_prestatie_id=exclude_prestatie_id)
    month_name = day.strftime("%m/%Y")
    if caps.month_minutes + minutes > caps.month_cap_hours * 60:
        raise service_error(_("This would bring %(worker)s to %(total)s in %(month)s; the maximum is %(cap)s hours per "
                       "month (still %(left)s left).")
                     % {"worker": worker, "total": format_minutes(caps.month_minutes + minutes), "month": month_name,
                        "cap": caps.month_cap_hours, "left": format_minutes(caps.month_left_minutes)},
                     "month_cap")
    if caps.year_minutes + minutes > caps.year_cap_hours * 60:
        raise service_error(_("This would bring %(worker)s to %(total)s in %(year)s; the maximum is %(cap)s hours per "
                       "year (still %(left)s left).")
                     % {"worker": worker, "total": format_minutes(caps.year_minutes + minutes), "year": day.year,
                        "cap": caps.year_cap_hours, "left": format_minutes(caps.year_left_minutes)},
                     "year_cap")


class UnconfirmedWarnings(ValidationError):
    """Unusual hours the registrar has not confirmed yet: `messages` say what is unusual."""

    def __init__(self, messages):
        super().__init__([ValidationError(message, code="unconfirmed_warnings") for message in messages])


def prestatie_register(*, assignment: Assignment, date: datetime.date, start_time: datetime.time,
                       end_time: datetime.time, actor, kilometres=Decimal("0"),
                       warnings_confirmed: bool = True) -> Prestatie:
    """Register hours (and the kilometres of the round trip). Refused outside the assignment or the trajectory,
    on overlap, or beyond the caps. Unusual hours (outside the schedule, a long day) are accepted with their
    warnings stored, and staff see them when validating. With `warnings_confirmed=False` (the hours form before
    the registrar ticked "the hours are right") unusual hours raise UnconfirmedWarnings instead, after every
    hard check has passed."""
    minutes = _check_times(start=start_time, end=end_time)
    kilometres = _check_kilometres(kilometres)
    with transaction.atomic():
        # One worker's registrations queue behind this lock, so two at once can never pass the caps together.
        worker = Worker.objects.select_for_update().select_related("organiser").get(pk=assignment.worker_id)
        assignment = Assignment.objects.select_related("client").get(pk=assignment.pk)
        if assignment.status != AssignmentStatus.ACTIVE:
            raise service_error(_("This assignment is %(status)s: no hours can be registered.")
                         % {"status": assignment.get_status_display()}, "assignment_not_active")
        _check_day_and_caps(assignment=assignment, worker=worker, day=date, start=start_time, end=end_time,
                            minutes=minutes)
        rules = rules_for(organiser=worker.organiser, on=date)
        plausibility = hours_plausibility(assignment=assignment, day=date, start=start_time, end=end_time)
        if plausibility and not warnings_confirmed:
            raise UnconfirmedWarnings(plausibility.messages)
        warnings = plausibility.codes
        prestatie = Prestatie(
            organiser=assignment.organiser, assignment=assignment, worker=worker, client=assignment.client,
            date=date, start_time=start_time, end_time=end_time, minutes=minutes,
            cheques=cheques_for_minutes(minutes, rules.minutes_per_cheque), kilometres=kilometres,
            registered_by=actor, warnings=warnings,
        )
        prestatie.full_clean()
        prestatie.save()
        changes = {"kilometres": kilometres} if kilometres else {}
        if warnings:
            changes["warnings"] = ", ".join(prestatie.warning_labels)
        audit_log(actor=actor, obj=prestatie, action="prestatie.register",
                  summary=ngettext("Hours registered: %(date)s %(start)s–%(end)s (%(cheques)s cheque)",
                                   "Hours registered: %(date)s %(start)s–%(end)s (%(cheques)s cheques)",
                                   prestatie.cheques)
                  % {"date": date.strftime("%d/%m/%Y"), "start": start_time.strftime("%H:%M"),
                     "end": end_time.strftime("%H:%M"), "cheques": prestatie.cheques},
                  changes=changes or None)
    return prestatie


def _locked(prestatie: Prestatie) -> Prestatie:
    return Prestatie.objects.select_for_update().select_related("worker", "client", "assignment").get(pk=prestatie.pk)


def _move(prestatie: Prestatie, status: str) -> str:
    if not prestatie.can_change_to(status):
        raise service_error(_("A prestatie that is %(old)s cannot become %(new)s.")
                     % {"old": prestatie.get_status_display(), "new": PrestatieStatus(status).label},
                     "invalid_transition")
    old = prestatie.status
    prestatie.status = status
    return old


def _ask_client_to_confirm(prestatie: Prestatie, *, corrected: bool) -> None:
    text = (_("Corrected hours of %(worker)s on %(date)s: %(start)s–%(end)s. Please confirm them.") if corrected
            else _("%(worker)s worked for you on %(date)s from %(start)s to %(end)s. Please confirm."))
    text %= {"worker": prestatie.worker.first_name, "date": prestatie.date.strftime("%d/%m/%Y"),
             "start": prestatie.start_time.strftime("%H:%M"), "end": prestatie.end_time.strftime("%H:%M")}
    url = reverse("assignments:prestatie_confirm_link", args=[confirmation_token(prestatie)])
    items = [(contact.user, f"prestatie-confirm:{prestatie.pk}:{int(prestatie.validated_at.timestamp())}", text, url,
              ("prestatie.to_confirm", prestatie.pk))
             for contact in prestatie.client.contacts.select_related("user")]
    notifications_send(items=items, subject=_("Wijk-werken: please confirm the hours"))


def prestatie_validate(*, prestatie: Prestatie, actor) -> Prestatie:
    with transaction.atomic():
        prestatie = _locked(prestatie)
        old = _move(prestatie, PrestatieStatus.VALIDATED)
        prestatie.validated_by = actor
        prestatie.validated_at = timezone.now()
        prestatie.save(update_fields=["status", "validated_by", "validated_at"])
        audit_log(actor=actor, obj=prestatie, action="prestatie.validate", summary=_("Hours validated"),
                  changes={"status": [old, prestatie.status]})
        _ask_client_to_confirm(prestatie, corrected=False)
    return prestatie


def prestaties_validate(*, prestaties, actor) -> int:
    """Bulk validation from the queue: each is validated on its own, so one problem never blocks the rest."""
    count = 0
    for prestatie in prestaties:
        try:
            prestatie_validate(prestatie=prestatie, actor=actor)
        except ValidationError:
            continue
        count += 1
    return count


def prestatie_correct(*, prestatie: Prestatie, start_time: datetime.time, end_time: datetime.time, note: str,
                      actor, date: datetime.date | None = None, kilometres=None) -> Prestatie:
    """Staff correct the hours (and the kilometres; None keeps them). The client must then confirm explicitly: no
    automatic confirmation."""
    if not note.strip():
        raise service_error(_("Say why the hours are corrected."), "no_note", "note")
    minutes = _check_times(start=start_time, end=end_time)
    new_kilometres = _check_kilometres(kilometres) if kilometres is not None else None
    with transaction.atomic():
        Worker.objects.select_for_update().get(pk=prestatie.worker_id)
        prestatie = _locked(prestatie)
        if prestatie.status not in (PrestatieStatus.REGISTERED, PrestatieStatus.VALIDATED, PrestatieStatus.DISPUTED):
            raise service_error(_("Confirmed or cancelled hours cannot be corrected."), "not_correctable")
        date = date or prestatie.date
        _check_day_and_caps(assignment=prestatie.assignment, worker=prestatie.worker, day=date, start=start_time,
                            end=end_time, minutes=minutes, exclude_prestatie_id=prestatie.pk)
        before = f"{prestatie.date:%d/%m/%Y} {prestatie.start_time:%H:%M}–{prestatie.end_time:%H:%M}"
        rules = rules_for(organiser=prestatie.organiser, on=date)
        old_status, old_kilometres = prestatie.status, prestatie.kilometres
        if new_kilometres is not None:
            prestatie.kilometres = new_kilometres
        prestatie.date, prestatie.start_time, prestatie.end_time = date, start_time, end_time
        prestatie.minutes = minutes
        prestatie.warnings = hours_plausibility(assignment=prestatie.assignment, day=date, start=start_time,
                                                end=end_time, exclude_prestatie_id=prestatie.pk).codes
        prestatie.cheques = cheques_for_minutes(minutes, rules.minutes_per_cheque)
        prestatie.status = PrestatieStatus.VALIDATED
        prestatie.corrected = True
        prestatie.correction_note = note.strip()[:300]
        prestatie.validated_by = actor
        prestatie.validated_at = timezone.now()
        prestatie.full_clean()
        prestatie.save()
        after = f"{date:%d/%m/%Y} {start_time:%H:%M}–{end_time:%H:%M}"
        changes = {"hours": [before, after], "status": [old_status, prestatie.status]}
        if prestatie.kilometres != old_kilometres:
            changes["kilometres"] = [old_kilometres, prestatie.kilometres]
        audit_log(actor=actor, obj=prestatie, action="prestatie.correct",
                  summary=_("Hours corrected: %(note)s") % {"note": prestatie.correction_note}, changes=changes)
        _ask_client_to_confirm(prestatie, corrected=True)
    return prestatie


def _client_may_act(prestatie: Prestatie, actor) -> None:
    if actor is None:
        return  # the signed link from the e-mail
    if actor.is_organiser_staff and actor.organiser_id == prestatie.organiser_id:
        return  # staff act for a client at the desk or on the phone
    if not prestatie.client.contacts.filter(user=actor).exists():
        raise service_error(_("These hours are not yours to confirm."), "not_client")


def prestatie_confirm(*, prestatie: Prestatie, actor, via_link: bool = False) -> Prestatie:
    with transaction.atomic():
        prestatie = _locked(prestatie)
        _client_may_act(prestatie, actor)
        if prestatie.status == PrestatieStatus.CONFIRMED:
            raise service_error(_("These hours were already confirmed."), "already_confirmed")
        if prestatie.status != PrestatieStatus.VALIDATED:
            raise service_error(_("These hours cannot be confirmed now (%(status)s).")
                         % {"status": prestatie.get_status_display()}, "not_confirmable")
        old = _move(prestatie, PrestatieStatus.CONFIRMED)
        prestatie.confirmed_by = actor
        prestatie.confirmed_at = timezone.now()
        prestatie.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        audit_log(actor=actor, on_behalf_of=on_behalf_of(prestatie.client, actor), obj=prestatie,
                  action="prestatie.confirm",
                  summary=_("Hours confirmed by the client") + (" " + _("(e-mail link)") if via_link else ""),
                  changes={"status": [old, prestatie.status]})
        send_on_commit(signals.prestaties_confirmed, sender=Prestatie, prestatie_ids=[prestatie.pk])
    return prestatie


def prestatie_dispute(*, prestatie: Prestatie, reason: str, actor, via_link: bool = False) -> Prestatie:
    if not reason.strip():
        raise service_error(_("Tell us what is not right."), "no_reason", "reason")
    with transaction.atomic():
        prestatie = _locked(prestatie)
        _client_may_act(prestatie, actor)
        if prestatie.status != PrestatieStatus.VALIDATED:
            raise service_error(_("These hours cannot be disputed now (%(status)s).")
                         % {"status": prestatie.get_status_display()}, "not_disputable")
        old = _move(prestatie, PrestatieStatus.DISPUTED)
        prestatie.disputed_at = timezone.now()
        prestatie.dispute_reason = reason.strip()[:500]
        prestatie.save(update_fields=["status", "disputed_at", "dispute_reason"])
        audit_log(actor=actor, on_behalf_of=on_behalf_of(prestatie.client, actor), obj=prestatie,
                  action="prestatie.dispute",
                  summary=_("Hours disputed: %(reason)s") % {"reason": prestatie.dispute_reason},
                  changes={"status": [old, prestatie.status]})
    return prestatie


def prestatie_resolve(*, prestatie: Prestatie, outcome: str, note: str, actor) -> Prestatie:
    """Staff close a dispute: the hours stand ("upheld", confirmed) or did not happen ("cancelled").

    To change the hours instead, staff use `prestatie_correct`, after which the client confirms again.
    """
    if not note.strip():
        raise service_error(_("Write down how the dispute was resolved."), "no_note", "note")
    target = {"upheld": PrestatieStatus.CONFIRMED, "cancelled": PrestatieStatus.CANCELLED}.get(outcome)
    if target is None:
        raise service_error(_("Choose how the dispute ends."), "invalid_outcome", "outcome")
    with transaction.atomic():
        prestatie = _locked(prestatie)
        if prestatie.status != PrestatieStatus.DISPUTED:
            raise service_error(_("Only disputed hours can be resolved."), "not_disputed")
        old = _move(prestatie, target)
        prestatie.resolution_note = note.strip()[:500]
        fields = ["status", "resolution_note"]
        if target == PrestatieStatus.CONFIRMED:
            prestatie.confirmed_by, prestatie.confirmed_at = actor, timezone.now()
            fields += ["confirmed_by", "confirmed_at"]
        prestatie.save(update_fields=fields)
        audit_log(actor=actor, obj=prestatie, action=f"prestatie.resolve_{outcome}",
                  summary=_("Dispute resolved: %(note)s") % {"note": prestatie.resolution_note},
                  changes={"status": [old, prestatie.status]})
        if target == PrestatieStatus.CONFIRMED:
            send_on_commit(signals.prestaties_confirmed, sender=Prestatie, prestatie_ids=[prestatie.pk])
    return prestatie


def prestatie_cancel(*, prestatie: Prestatie, reason: str, actor) -> Prestatie:
    if not reason.strip():
        raise service_error(_("Say why the hours are cancelled."), "no_reason")
    with transaction.atomic():
        prestatie = _locked(prestatie)
        old = _move(prestatie, PrestatieStatus.CANCELLED)
        prestatie.save(update_fields=["status"])
        audit_log(actor=actor, obj=prestatie, action="prestatie.cancel",
                  summary=_("Hours cancelled: %(reason)s") % {"reason": reason.strip()},
                  changes={"status": [old, prestatie.status]})
    return prestatie


def prestatie_correct_kilometres(*, prestatie: Prestatie, kilometres, note: str, actor) -> Prestatie:
    """Staff correct the kilometres of confirmed hours (the travel allowance is the organiser's, not the client's:
    no new confirmation). When the hours were paid out already, the next payout corrects the difference."""
    if not note.strip():
        raise service_error(_("Say why the kilometres are corrected."), "no_note", "note")
    kilometres = _check_kilometres(kilometres)
    with transaction.atomic():
        prestatie = _locked(prestatie)
        if prestatie.status != PrestatieStatus.CONFIRMED:
            raise service_error(_("Only the kilometres of confirmed hours are corrected here; correct other hours with "
                                  "their times."), "not_confirmed")
        if kilometres == prestatie.kilometres:
            raise service_error(_("These are the kilometres already recorded."), "kilometres_unchanged",
                                "kilometres")
        old = prestatie.kilometres
        prestatie.kilometres = kilometres
        prestatie.kilometres_corrected_at = timezone.now()
        prestatie.full_clean()
        prestatie.save(update_fields=["kilometres", "kilometres_corrected_at"])
        audit_log(actor=actor, obj=prestatie, action="prestatie.correct_kilometres",
                  summary=_("Kilometres corrected from %(old)s to %(new)s: %(note)s")
                  % {"old": _km(old), "new": _km(kilometres), "note": note.strip()[:200]},
                  changes={"kilometres": [old, kilometres]})
    return prestatie


# --- the signed e-mail link -------------------------------------------------------------------------------------

def confirmation_token(prestatie: Prestatie) -> str:
    """A link that works once: it carries the validation moment, which changes when the hours change."""
    return signing.dumps({"p": prestatie.pk, "v": prestatie.validated_at.isoformat() if prestatie.validated_at
                          else ""}, salt=CONFIRM_SALT, compress=True)


def prestatie_from_token(token: str) -> Prestatie:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise service_error(_("This link has expired. Log in to confirm your hours."), "link_expired") from None
    except signing.BadSignature:
        raise service_error(_("This link is not valid."), "link_invalid") from None
    prestatie = Prestatie.objects.select_related("worker", "client", "assignment__activity").filter(
        pk=data.get("p")).first()
    if prestatie is None:
        raise service_error(_("This link is not valid."), "link_invalid")
    current = prestatie.validated_at.isoformat() if prestatie.validated_at else ""
    if data.get("v") != current or prestatie.status != PrestatieStatus.VALIDATED:
        raise service_error(_("This link was already used, or the hours changed since. Log in to see them."),
                     "link_used")
    return prestatie


# --- deadlines, run daily by Celery beat: set-based and safe to run twice ----------------------------------------

def _organisers_with(status) -> list:
    from wijkwerken.core.models import Organiser

    return list(Organiser.objects.filter(pk__in=Prestatie.objects.filter(status=status).values("organiser_id")))


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def last_registration_day_due(*, on: datetime.date, working_days: int) -> datetime.date:
    """The latest registration day whose hours are due for automatic validation on `on`."""
    day = on
    while add_working_days(day, working_days) > on:
        day -= datetime.timedelta(days=1)
    return day


def prestaties_auto_validate(*, on: datetime.date | None = None) -> int:
    """Registered hours validate themselves after N working days (weekends and Belgian holidays don't count).
    Unusual hours (with plausibility warnings) wait for a staff member: someone must look at them.

    One UPDATE per organiser; then the clients are asked to confirm. Safe to run twice.
    """
    on = on or today()
    validated = 0
    for organiser in _organisers_with(PrestatieStatus.REGISTERED):
        days = rules_for(organiser=organiser, on=on).auto_validate_working_days
        before = _start_of_day(last_registration_day_due(on=on, working_days=days) + datetime.timedelta(days=1))
        with transaction.atomic():
            due = Prestatie.objects.filter(organiser=organiser, status=PrestatieStatus.REGISTERED,
                                           registered_at__lt=before, warnings=[])
            ids = list(due.select_for_update().values_list("pk", flat=True))
            if not ids:
                continue
            Prestatie.objects.filter(pk__in=ids).update(status=PrestatieStatus.VALIDATED, validated_at=timezone.now())
            audit_log_many(actor=None, action="prestatie.auto_validate", model=Prestatie,
                           rows=[(pk, organiser.pk, _("Hours validated automatically"),
                                  {"status": [PrestatieStatus.REGISTERED, PrestatieStatus.VALIDATED]}) for pk in ids])
            for prestatie in Prestatie.objects.filter(pk__in=ids).select_related("worker", "client"):
                _ask_client_to_confirm(prestatie, corrected=False)
            validated += len(ids)
    return validated


def _confirmable():
    # Corrected hours are never confirmed automatically: the client must say yes.
    return Prestatie.objects.filter(status=PrestatieStatus.VALIDATED, corrected=False, validated_at__isnull=False)


def prestaties_remind_confirmation(*, on: datetime.date | None = None) -> int:
    """Remind clients N days before automatic confirmation; `confirm_reminder_sent_at` makes it once only."""
    on = on or today()
    sent = 0
    for organiser in _organisers_with(PrestatieStatus.VALIDATED):
        rules = rules_for(organiser=organiser, on=on)
        remind_from = rules.auto_confirm_days - rules.confirm_reminder_days
        before = _start_of_day(on - datetime.timedelta(days=remind_from) + datetime.timedelta(days=1))
        due = _confirmable().filter(organiser=organiser, confirm_reminder_sent_at__isnull=True,
                                    validated_at__lt=before).select_related("worker", "client")
        for prestatie in due:
            with transaction.atomic():
                if not Prestatie.objects.filter(pk=prestatie.pk, confirm_reminder_sent_at__isnull=True).update(
                        confirm_reminder_sent_at=timezone.now()):
                    continue
                confirm_on = timezone.localdate(prestatie.validated_at) + datetime.timedelta(
                    days=rules.auto_confirm_days)
                text = _("Reminder: the hours of %(worker)s on %(date)s will be confirmed automatically on %(on)s "
                         "unless you dispute them.") % {"worker": prestatie.worker.first_name,
                                                         "date": prestatie.date.strftime("%d/%m/%Y"),
                                                         "on": confirm_on.strftime("%d/%m/%Y")}
                url = reverse("assignments:prestatie_confirm_link", args=[confirmation_token(prestatie)])
                notifications_send(items=[(c.user, f"prestatie-reminder:{prestatie.pk}", text, url,
                                           ("prestatie.to_confirm", prestatie.pk))
                                          for c in prestatie.client.contacts.select_related("user")],
                                   subject=_("Wijk-werken: hours will be confirmed"))
                sent += 1
    return sent


def prestaties_auto_confirm(*, on: datetime.date | None = None) -> int:
    """Validated hours without a reaction are confirmed after N days: one UPDATE per organiser. Safe to run twice."""
    on = on or today()
    confirmed = 0
    for organiser in _organisers_with(PrestatieStatus.VALIDATED):
        days = rules_for(organiser=organiser, on=on).auto_confirm_days
        before = _start_of_day(on - datetime.timedelta(days=days) + datetime.timedelta(days=1))
        with transaction.atomic():
            ids = list(_confirmable().select_for_update().filter(organiser=organiser, validated_at__lt=before)
                       .values_list("pk", flat=True))
            if not ids:
                continue
            Prestatie.objects.filter(pk__in=ids).update(status=PrestatieStatus.CONFIRMED, confirmed_at=timezone.now())
            audit_log_many(actor=None, action="prestatie.auto_confirm", model=Prestatie,
                           rows=[(pk, organiser.pk, _("Hours confirmed automatically"),
                                  {"status": [PrestatieStatus.VALIDATED, PrestatieStatus.CONFIRMED]}) for pk in ids])
            send_on_commit(signals.prestaties_confirmed, sender=Prestatie, prestatie_ids=list(ids))
            confirmed += len(ids)
    return confirmed
