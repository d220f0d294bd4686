"""Demo incidents and no-shows: an accident the bemiddelaar still has to declare, one declared in time, damage
reported by the client, and a client who cancelled at the door. Everything goes through the services."""

import datetime

from django.utils import timezone

from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import today

from ..models import Assignment, Incident, IncidentKind, NoShowKind
from ..services import incident_mark_declared, incident_report, no_show_record
from .placements import DEMO_WORKER_EMAIL


def _moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed_incidents(organiser, stdout) -> None:
    if Incident.objects.filter(organiser=organiser).exists():
        stdout.write("  incidents: already there")
        return
    staff = User.objects.filter(organiser=organiser, role=Role.BEMIDDELAAR).first()
    assignments = list(Assignment.objects.filter(organiser=organiser, start_date__lte=today() - datetime.timedelta(
        days=21)).select_related("worker__user", "client").order_by(
        "-worker__user__email", "pk"))
    own = next((a for a in assignments if a.worker.user and a.worker.user.email == DEMO_WORKER_EMAIL), None)
    if staff is None or own is None:
        return
    others = [a for a in assignments if a.pk != own.pk]
    made = 0
    # The demo worker slipped on a wet floor two days ago: the deadline to declare it is still running.
    incident_report(assignment=own, kind=IncidentKind.ACCIDENT, occurred_at=_moment(today() - datetime.timedelta(
        days=2), 10, 15), place=f"{own.request.street}, {own.request.city}", injured=str(own.worker) + " (enkel)",
        description="Uitgegleden op de natte keukenvloer, enkel verzwikt.", actor=own.worker.user)
    made += 1
    if others:
        declared = incident_report(
            assignment=others[0], kind=IncidentKind.ACCIDENT, occurred_at=_moment(today() - datetime.timedelta(
                days=20), 14, 0), place=others[0].request.city, injured=f"{others[0].worker} (hand)",
            description="Snijwonde aan de hand bij het snoeien.", actor=staff)
        incident_mark_declared(incident=declared, declared_on=today() - datetime.timedelta(days=17), actor=staff,
                               declaration_reference="ONG-2026-0412")
        made += 1
    contact = own.client.contacts.select_related("user").first()
    if contact is not None:
        incident_report(assignment=own, kind=IncidentKind.DAMAGE, occurred_at=_moment(
            today() - datetime.timedelta(days=9), 11, 0), place=own.request.city,
            description="Een bloempot op het terras gebroken.", actor=contact.user)
        made += 1
    day = today() - datetime.timedelta(days=1)
    while own.is_planned_on(day) or own.prestaties.filter(date=day).exists():
        day -= datetime.timedelta(days=1)
    no_show_record(assignment=own, kind=NoShowKind.CLIENT_CANCELLED, date=day, actor=staff,
                   note="De gebruiker was ziek en stuurde de wijk-werker weg.")
    stdout.write(f"  incidents: {made}, no-shows: 1")
