"""Writes on incidents and no-shows: reported by the worker, the client or staff; accidents declared by staff."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import ORGANISER_STAFF_ROLES, Role
from wijkwerken.core.audit import audit_log
from wijkwerken.core.dates import add_working_days, today
from wijkwerken.core.errors import service_error
from wijkwerken.core.notifications import notifications_send

from ..models import (
    INCIDENT_DECLARATION_WORKING_DAYS,
    Assignment,
    Incident,
    IncidentKind,
    NoShow,
    NoShowKind,
    PrestatieStatus,
)
from ..selectors.clients import on_behalf_of


def _participant_role(assignment: Assignment, actor) -> str:
    """The actor's part in the assignment ("worker", "client" or "staff"), or a refusal."""
    if actor.role in ORGANISER_STAFF_ROLES and actor.organiser_id == assignment.organiser_id:
        return "staff"
    if actor.role == Role.WIJKWERKER and assignment.worker.user_id == actor.pk:
        return "worker"
    if actor.role == Role.GEBRUIKER and assignment.client.contacts.filter(user=actor).exists():
        return "client"
    raise service_error(_("This assignment is not yours."), "not_participant")


def _tell_staff(*, organiser_id: int, key: str, text: str, url: str, subject: str) -> None:
    from wijkwerken.accounts.models import User

    staff = User.objects.filter(organiser_id=organiser_id, role=Role.BEMIDDELAAR, is_active=True)
    notifications_send(items=[(user, key, text, url) for user in staff], subject=subject)


def incident_report(*, assignment: Assignment, kind: str, occurred_at: datetime.datetime, place: str,
                    description: str, actor, injured: str = "") -> Incident:
    """Record an incident. An accident gets its declaration deadline (INCIDENT_DECLARATION_WORKING_DAYS working
    days after the day it happened) and the bemiddelaars are told at once."""
    if occurred_at > timezone.now():
        raise service_error(_("An incident can only be reported once it has happened."), "in_future",
                            "occurred_at")
    if not description.strip():
        raise service_error(_("Describe what happened."), "no_description", "description")
    if not place.strip():
        raise service_error(_("Say where it happened."), "no_place", "place")
    if kind == IncidentKind.ACCIDENT and not injured.strip():
        raise service_error(_("Say who was hurt in the accident."), "no_injured", "injured")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().select_related("worker", "client").get(pk=assignment.pk)
        role = _participant_role(assignment, actor)
        day = timezone.localtime(occurred_at).date()
        if day < assignment.start_date:
            raise service_error(_("The assignment only started on %(date)s.")
                                % {"date": assignment.start_date.strftime("%d/%m/%Y")}, "before_assignment",
                                "occurred_at")
        incident = Incident(
            organiser_id=assignment.organiser_id, assignment=assignment, worker=assignment.worker,
            client=assignment.client, kind=kind, occurred_at=occurred_at, place=place.strip(),
            description=description.strip(), injured=injured.strip(), reported_by=actor,
            declaration_deadline=(add_working_days(day, INCIDENT_DECLARATION_WORKING_DAYS)
                                  if kind == IncidentKind.ACCIDENT else None),
        )
        incident.full_clean()
        incident.save()
        audit_log(actor=actor, on_behalf_of=on_behalf_of(assignment.client, actor) if role == "staff" else None,
                  obj=incident, action="incident.report",
                  summary=_("Incident reported: %(kind)s on %(date)s") % {
                      "kind": incident.get_kind_display(), "date": day.strftime("%d/%m/%Y")},
                  changes={"assignment": str(assignment.pk)})
        if role != "staff":
            text = (_("Accident on %(date)s (%(worker)s at %(client)s): declare it to the insurer by %(deadline)s.")
                    if kind == IncidentKind.ACCIDENT else
                    _("Incident on %(date)s (%(worker)s at %(client)s): %(kind)s."))
            text %= {"date": day.strftime("%d/%m/%Y"), "worker": assignment.worker, "client": assignment.client,
                     "kind": incident.get_kind_display(),
                     "deadline": incident.declaration_deadline.strftime("%d/%m/%Y")
                     if incident.declaration_deadline else ""}
            _tell_staff(organiser_id=assignment.organiser_id, key=f"incident:{incident.pk}", text=text,
                        url=reverse("assignments:incident_detail", args=[incident.pk]),
                        subject=_("Wijk-werken: an incident was reported"))
    return incident


def incident_mark_declared(*, incident: Incident, declared_on: datetime.date, actor,
                           declaration_reference: str = "") -> Incident:
    """Staff mark an accident as declared to the insurer: it leaves the list of deadlines."""
    if declared_on > today():
        raise service_error(_("The declaration date cannot be in the future."), "in_future", "declared_on")
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.kind != IncidentKind.ACCIDENT:
            raise service_error(_("Only accidents are declared to the insurer."), "not_accident")
        if incident.declared_on is not None:
            raise service_error(_("This accident was already declared on %(date)s.")
                                % {"date": incident.declared_on.strftime("%d/%m/%Y")}, "already_declared")
        if declared_on < timezone.localtime(incident.occurred_at).date():
            raise service_error(_("The declaration cannot be before the accident."), "before_accident",
                                "declared_on")
        incident.declared_on = declared_on
        incident.declaration_reference = declaration_reference.strip()
        incident.declared_by = actor
        incident.full_clean()
        incident.save(update_fields=["declared_on", "declaration_reference", "declared_by"])
        late = declared_on > incident.declaration_deadline
        audit_log(actor=actor, obj=incident, action="incident.declare",
                  summary=(_("Accident declared to the insurer on %(date)s (after the deadline)") if late
                           else _("Accident declared to the insurer on %(date)s"))
                  % {"date": declared_on.strftime("%d/%m/%Y")},
                  changes={"declared_on": declared_on, "declaration_reference": incident.declaration_reference})
    return incident


def no_show_record(*, assignment: Assignment, kind: str, date: datetime.date, actor, note: str = "") -> NoShow:
    """Record that the job did not happen on `date`: staff record either kind, the client only a worker who did
    not come."""
    if date > today():
        raise service_error(_("A no-show can only be recorded once the day has come."), "in_future", "date")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().select_related("worker", "client").get(pk=assignment.pk)
        role = _participant_role(assignment, actor)
        if role == "worker" or (role == "client" and kind != NoShowKind.WORKER_ABSENT):
            raise service_error(_("Only the wijk-werkorganisatie records this."), "not_allowed", "kind")
        if not (assignment.start_date <= date <= assignment.end_date):
            raise service_error(_("%(date)s is outside the assignment (%(start)s – %(end)s).")
                                % {"date": date.strftime("%d/%m/%Y"),
                                   "start": assignment.start_date.strftime("%d/%m/%Y"),
                                   "end": assignment.end_date.strftime("%d/%m/%Y")}, "outside_assignment", "date")
        if NoShow.objects.filter(assignment=assignment, date=date).exists():
            raise service_error(_("A no-show on %(date)s is already recorded for this assignment.")
                                % {"date": date.strftime("%d/%m/%Y")}, "duplicate", "date")
        if assignment.prestaties.filter(date=date).exclude(status=PrestatieStatus.CANCELLED).exists():
            raise service_error(_("Hours are registered on %(date)s for this assignment: cancel them first.")
                                % {"date": date.strftime("%d/%m/%Y")}, "hours_registered", "date")
        no_show = NoShow(organiser_id=assignment.organiser_id, assignment=assignment, worker=assignment.worker,
                         client=assignment.client, kind=kind, date=date, note=note.strip(), reported_by=actor)
        no_show.full_clean()
        no_show.save()
        audit_log(actor=actor, on_behalf_of=on_behalf_of(assignment.client, actor) if role == "staff" else None,
                  obj=assignment, action="assignment.no_show",
                  summary=_("%(what)s on %(date)s") % {"what": no_show.get_kind_display().capitalize(),
                                                       "date": date.strftime("%d/%m/%Y")},
                  changes={"note": no_show.note} if no_show.note else None)
        if role == "client":
            _tell_staff(organiser_id=assignment.organiser_id, key=f"no-show:{no_show.pk}",
                        text=_("%(client)s reports that %(worker)s did not come on %(date)s.")
                        % {"client": assignment.client, "worker": assignment.worker,
                           "date": date.strftime("%d/%m/%Y")},
                        url=reverse("assignments:assignment_detail", args=[assignment.pk]),
                        subject=_("Wijk-werken: a wijk-werker did not come"))
    return no_show
