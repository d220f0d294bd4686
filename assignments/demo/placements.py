"""Demo assignments (placements) and a few hundred prestaties in every state over the last months.

Called from `assignments.demo.seed`. Past requests are written directly (the request form refuses past dates);
everything else goes through the services, so the caps, trajectories and the audit log are real.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import today
from workers.models import Trajectory, TrajectoryStatus

from ..models import Assignment, Client, ClientStatus, HelpRequest, Prestatie, RequestStatus, ScheduleKind
from ..selectors import activities_allowed_for
from ..services import (
    assignment_create,
    prestatie_cancel,
    prestatie_confirm,
    prestatie_correct,
    prestatie_dispute,
    prestatie_register,
    prestatie_resolve,
    prestatie_validate,
)

DEMO_WORKER_EMAIL = "wijkwerker@demo.wijkwerken.be"
DEMO_CLIENT_EMAIL = "gebruiker@demo.wijkwerken.be"
WEEKS_BACK = 10


def seed_placements(organiser, stdout) -> None:
    if Assignment.objects.filter(organiser=organiser).exists():
        stdout.write("  assignments: already there")
        return
    staff = User.objects.filter(organiser=organiser, role=Role.BEMIDDELAAR).first()
    if staff is None:
        return
    pairs = _worker_client_pairs(organiser)
    assignments = [a for a in (_past_assignment(worker, client, staff, index)
                               for index, (worker, client) in enumerate(pairs)) if a is not None]
    prestaties = sum(_hours_for(assignment, staff, index) for index, assignment in enumerate(assignments))
    future = _assign_open_requests(organiser, staff)
    stdout.write(f"  assignments: {len(assignments)} running with {prestaties} prestaties, {future} upcoming")


def _worker_client_pairs(organiser):
    """Workers in a running trajectory, each with a client of the organiser; the demo accounts first."""
    trajectories = (Trajectory.objects.filter(organiser=organiser, status=TrajectoryStatus.ACTIVE)
                    .select_related("worker", "worker__user").order_by("start_date"))
    workers = sorted({t.worker for t in trajectories}, key=lambda w: (getattr(w.user, "email", "") != DEMO_WORKER_EMAIL,
                                                                       w.pk))
    clients = list(Client.objects.filter(organiser=organiser, status=ClientStatus.ACTIVE)
                   .order_by("-contacts__user__email", "pk").distinct())
    demo_client = Client.objects.filter(contacts__user__email=DEMO_CLIENT_EMAIL).first()
    if demo_client in clients:
        clients.remove(demo_client)
        clients.insert(0, demo_client)
    return list(zip(workers, clients * 3, strict=False))[:14]


def _past_assignment(worker, client, staff, index):
    trajectory = worker.trajectories.filter(status=TrajectoryStatus.ACTIVE).first()
    start = max(trajectory.start_date, today() - datetime.timedelta(weeks=WEEKS_BACK))
    end = min(trajectory.end_date, today() + datetime.timedelta(weeks=8))
    allowed = [a for a in activities_allowed_for(client=client, on=start) if not a.ex_pwa_only or worker.ex_pwa]
    if not allowed or end <= start:
        return None
    activity = allowed[index % len(allowed)]
    weekdays = [index % 5, (index + 2) % 5]
    help_request = HelpRequest(
        organiser=client.organiser, client=client, activity=activity, municipality=client.municipality,
        description=f"{activity.name} (vaste afspraak)", street=client.street, postcode=client.postcode,
        city=client.city, schedule=ScheduleKind.RECURRING, start_date=start, end_date=end, weekdays=weekdays,
        time_from=datetime.time(9), time_until=datetime.time(11, 30), hours_per_week=Decimal("5"),
        status=RequestStatus.IN_PROGRESS, created_by=staff,
    )
    help_request.full_clean()
    help_request.save()
    try:
        return assignment_create(help_request=help_request, worker=worker, actor=staff, start_date=start, end_date=end)
    except ValidationError:
        return None


def _hours_for(assignment, staff, index) -> int:
    """One prestatie per planned day in the past, moved along the three steps by age."""
    contact = assignment.client.contacts.select_related("user").first()
    client_user = contact.user if contact else staff
    worker_user = assignment.worker.user or staff
    made = 0
    day = assignment.start_date
    while day < today():
        if day.weekday() in assignment.weekdays:
            minutes = (150, 120, 95, 61)[(day.toordinal() + index) % 4]
            end = (datetime.datetime.combine(day, datetime.time(9)) + datetime.timedelta(minutes=minutes)).time()
            try:
                prestatie = prestatie_register(assignment=assignment, date=day, start_time=datetime.time(9),
                                               end_time=end, actor=worker_user)
            except ValidationError:
                day += datetime.timedelta(days=1)
                continue
            made += 1
            _move_along(prestatie, age=(today() - day).days, staff=staff, client_user=client_user, serial=made)
        day += datetime.timedelta(days=1)
    return made


def _move_along(prestatie: Prestatie, *, age: int, staff, client_user, serial: int) -> None:
    if age <= 7:
        return  # recent: still registered, waiting in the validation queue
    if serial % 17 == 0:
        prestatie_cancel(prestatie=prestatie, reason="Dubbel ingegeven", actor=staff)
        return
    if serial % 13 == 0:
        prestatie_correct(prestatie=prestatie, start_time=datetime.time(9), end_time=datetime.time(10, 30),
                          note="Volgens de gebruiker 1 u 30 gewerkt", actor=staff)
        if age > 20:
            prestatie_confirm(prestatie=prestatie, actor=client_user)
        return
    prestatie_validate(prestatie=prestatie, actor=staff)
    if age <= 10:
        return  # validated, waiting for the client
    if serial % 11 == 0:
        prestatie_dispute(prestatie=prestatie, reason="De wijk-werker is vroeger vertrokken.", actor=client_user)
        if serial % 22 == 0:
            prestatie_resolve(prestatie=prestatie, outcome="upheld",
                              note="Gebeld met beide partijen: de uren kloppen.", actor=staff)
        return
    prestatie_confirm(prestatie=prestatie, actor=client_user)


def _assign_open_requests(organiser, staff) -> int:
    """The requests the client demo marked "toegewezen" get a worker whose trajectory covers them."""
    made = 0
    trajectories = list(Trajectory.objects.filter(organiser=organiser, status=TrajectoryStatus.ACTIVE)
                        .select_related("worker"))
    for help_request in HelpRequest.objects.filter(organiser=organiser, status=RequestStatus.ASSIGNED,
                                              assignments__isnull=True).select_related("activity"):
        for trajectory in trajectories:
            if trajectory.start_date <= help_request.start_date and trajectory.end_date >= help_request.end_date:
                try:
                    assignment_create(help_request=help_request, worker=trajectory.worker, actor=staff)
                except ValidationError:
                    continue
                made += 1
                break
    return made
