"""What waits on the start pages from this app (see wijkwerken.core.worklist): hours to validate or confirm,
disputes, requests, registrations and clients to activate, the worker's next jobs and hours to register.
Every count is one aggregate query."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today
from wijkwerken.core.disclosure import persons_count
from wijkwerken.core.notifications import notification_kinds
from wijkwerken.core.worklist import WorkItem, audit_links, start_charts, work_items

from .charts import caps_chart, hours_per_month_chart
from .models import (
    AssignmentStatus,
    ClientRegistration,
    ClientStatus,
    Prestatie,
    PrestatieStatus,
    RegistrationStatus,
    RequestStatus,
)
from .selectors import (
    assignments_for,
    clients_for,
    help_requests_for,
    hour_caps,
    hours_per_month,
    prestaties_for,
    registrations_for,
    worker_of_user,
)
from .selectors.prestaties import format_minutes

STAFF = (Role.BEMIDDELAAR, Role.BEHEERDER)

# How far ahead the worker's next jobs, and how far back the days still to register, are looked for.
NEXT_JOBS_DAYS = 14
REGISTER_BACK_DAYS = 14

audit_links({
    "assignments.prestatie": "assignments:prestatie_detail",
    "assignments.helprequest": "assignments:request_detail",
    "assignments.client": "assignments:client_detail",
    "assignments.assignment": "assignments:assignment_detail",
    "assignments.clientregistration": "assignments:registration_detail",
}, roles=(Role.BEHEERDER, Role.BEMIDDELAAR, Role.WERKCOACH))

# A request to confirm hours, or a reminder of it, is true while the hours still wait for the client.
notification_kinds({
    "prestatie.to_confirm": lambda: Prestatie.objects.filter(status=PrestatieStatus.VALIDATED).values("pk"),
    "registration.to_check": lambda: ClientRegistration.objects.filter(status=RegistrationStatus.REVIEW).values("pk"),
})


def _count_by_status(queryset, statuses) -> dict:
    """How many rows of `queryset` are in each of `statuses`: only those rows are read (through an index on the
    status), never every row of the organiser as `Count(filter=...)` over the whole queryset would."""
    counts = dict(queryset.filter(status__in=list(statuses)).order_by().values("status")
                  .annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in statuses}


@work_items(*STAFF)
def staff_queues(user):
    queue = reverse("assignments:prestatie_queue")
    hours = _count_by_status(prestaties_for(user).select_related(None),
                             (PrestatieStatus.REGISTERED, PrestatieStatus.DISPUTED))
    to_validate, disputed = hours[PrestatieStatus.REGISTERED], hours[PrestatieStatus.DISPUTED]
    new_requests = help_requests_for(user).select_related(None).filter(status=RequestStatus.NEW).count()
    to_check = registrations_for(user).select_related(None).filter(status=RegistrationStatus.REVIEW).count()
    to_activate = clients_for(user).select_related(None).filter(
        status__in=[ClientStatus.APPLIED, ClientStatus.AGREEMENT_SIGNED]).count()
    return [
        WorkItem(ngettext("prestatie to validate", "prestaties to validate", to_validate), to_validate,
                 f"{queue}?lijst=valideren", order=10),
        WorkItem(ngettext("dispute", "disputes", disputed), disputed, f"{queue}?lijst=betwist", order=11,
                 urgent=bool(disputed)),
        WorkItem(ngettext("new request", "new requests", new_requests), new_requests,
                 f"{reverse('assignments:request_queue')}?status={RequestStatus.NEW}", order=20),
        WorkItem(ngettext("online registration to check", "online registrations to check", to_check), to_check,
                 reverse("assignments:registration_list"), order=21),
        WorkItem(ngettext("client to activate", "clients to activate", to_activate), to_activate,
                 f"{reverse('assignments:client_list')}?status={ClientStatus.APPLIED}", order=22),
    ]


@work_items(Role.BEHEERDER)
def organisation_clients(user):
    active = clients_for(user).select_related(None).filter(status=ClientStatus.ACTIVE).count()
    return [WorkItem(ngettext("active client", "active clients", active), active,
                     f"{reverse('assignments:client_list')}?status={ClientStatus.ACTIVE}", order=1, figure=True)]


@work_items(Role.GEBRUIKER)
def client_hours(user):
    to_confirm = prestaties_for(user).order_by().aggregate(
        n=Count("pk", filter=Q(status=PrestatieStatus.VALIDATED), distinct=True))["n"]
    return [WorkItem(ngettext("prestatie to confirm", "prestaties to confirm", to_confirm), to_confirm,
                     reverse("assignments:my_hours"), order=10,
                     hint=_("Check the hours and confirm them, or say what is not right.") if to_confirm else "")]


def _planned_on(assignment, day: datetime.date) -> bool:
    if not assignment.start_date <= day <= assignment.end_date:
        return False
    if assignment.schedule == "once":
        return day == assignment.start_date
    return day.weekday() in (assignment.weekdays or [])


def _job_line(assignment, day: datetime.date) -> str:
    when = day.strftime("%d/%m")
    if assignment.time_from and assignment.time_until:
        when += f" {assignment.time_from:%H:%M}–{assignment.time_until:%H:%M}"
    place = f"{assignment.request.street}, {assignment.request.postcode} {assignment.request.city}"
    return f"{when} · {assignment.activity.name} · {assignment.client.name} · {place}"


@work_items(Role.WIJKWERKER)
def worker_jobs(user):
    worker = worker_of_user(user)
    if worker is None:
        return []
    now = today()
    since = now - datetime.timedelta(days=REGISTER_BACK_DAYS)
    until = now + datetime.timedelta(days=NEXT_JOBS_DAYS)
    assignments = list(assignments_for(user).select_related("request").filter(
        status=AssignmentStatus.ACTIVE, start_date__lte=until, end_date__gte=since))
    registered = set(prestaties_for(user).filter(date__range=(since, now)).exclude(
        status=PrestatieStatus.CANCELLED).values_list("assignment_id", "date"))
    upcoming, to_register = [], 0
    for offset in range((until - since).days + 1):
        day = since + datetime.timedelta(days=offset)
        for assignment in assignments:
            if not _planned_on(assignment, day):
                continue
            if day < now and (assignment.pk, day) not in registered:
                to_register += 1
            elif day >= now:
                upcoming.append((day, assignment))
    upcoming.sort(key=lambda pair: (pair[0], pair[1].time_from or datetime.time.min))
    week = reverse("assignments:my_week")
    caps = hour_caps(worker=worker, on=now)
    return [
        WorkItem(ngettext("job in the next two weeks", "jobs in the next two weeks", len(upcoming)), len(upcoming),
                 week, order=10, details=tuple((_job_line(assignment, day),
                                                reverse("assignments:my_assignment", args=[assignment.pk]))
                                               for day, assignment in upcoming[:3])),
        WorkItem(ngettext("day with hours still to register", "days with hours still to register", to_register),
                 to_register, f"{week}?week={since.isoformat()}", order=11, urgent=bool(to_register),
                 hint=_("Register your hours on the day of the job.") if to_register else ""),
        WorkItem(_("hours left this month (%(hours)s)") % {"hours": format_minutes(caps.left_minutes)},
                 caps.left_minutes // 60, week, order=12, figure=True),
    ]


@work_items(Role.GEMEENTE)
def municipality_year(user):
    """The year so far in the municipality, in figures without personal data (fewer than five persons: "< 5")."""
    on = today()
    hours = sum(hours_per_month(user, year=on.year))
    clients = clients_for(user).select_related(None).filter(status=ClientStatus.ACTIVE).count()
    requests = help_requests_for(user).select_related(None).filter(
        Q(created_at__year=on.year) | Q(status__in=[RequestStatus.NEW, RequestStatus.IN_PROGRESS])
    ).order_by().aggregate(
        year=Count("pk", filter=Q(created_at__year=on.year)),
        open=Count("pk", filter=Q(status__in=[RequestStatus.NEW, RequestStatus.IN_PROGRESS])))
    queue = reverse("assignments:request_queue")
    return [
        WorkItem(_("hours worked in %(year)s") % {"year": on.year}, int(hours), reverse("reports:report_overview"),
                 order=1, figure=True),
        WorkItem(ngettext("active client", "active clients", clients), persons_count(clients, mask=True),
                 reverse("reports:report_overview"), order=2, figure=True),
        WorkItem(ngettext("request for help in %(year)s", "requests for help in %(year)s", requests["year"])
                 % {"year": on.year}, requests["year"], f"{queue}?status=", order=3, figure=True),
        WorkItem(ngettext("open request", "open requests", requests["open"]), requests["open"], queue, order=4,
                 figure=True),
    ]


@start_charts(Role.GEMEENTE)
def municipality_hours_chart(user):
    return hours_per_month_chart(user, on=today(), place=_("in %(name)s") % {"name": user.municipality})


@start_charts(Role.BEHEERDER)
def organisation_hours_chart(user):
    return hours_per_month_chart(user, on=today(), place=_("of %(name)s") % {"name": user.organiser})


@start_charts(Role.WIJKWERKER)
def worker_caps_chart(user):
    worker = worker_of_user(user)
    if worker is None:
        return None
    return caps_chart(user, caps=hour_caps(worker=worker, on=today()))
