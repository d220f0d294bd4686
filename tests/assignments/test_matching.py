import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from assignments.models import Assignment, HelpRequest, Prestatie, RequestStatus, ScheduleKind, WorkerExclusion
from assignments.selectors.matching import (
    BAD,
    GOOD,
    WARN,
    candidates_for,
    planned_minutes_per_month,
    requested_slots,
)
from assignments.services import worker_exclusion_add, worker_exclusion_remove
from tests.assignments.factories import ActivityFactory, ClientFactory, HelpRequestFactory, MainActivityFactory
from tests.conftest import GENT
from tests.core.factories import municipality_for
from tests.workers.factories import WorkerFactory
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today
from wijkwerken.core.models import AuditEntry
from workers.models import Availability, Trajectory, WorkerActivity
from workers.services import trajectory_start

pytestmark = pytest.mark.django_db

GARDEN = "Klein tuinonderhoud"
CARE = "Ondersteuning en hulp bij begeleiding van personen"
WEEKDAYS_ALL = [(day, part) for day in range(7) for part in ("morning", "afternoon", "evening")]


@pytest.fixture(autouse=True)
def _english():
    """Service-level chips are compared in the msgid language; pages still render in Dutch per request."""
    with translation.override("en"):
        yield


@pytest.fixture
def garden(organiser):
    return ActivityFactory(organiser=organiser, main_activity=MainActivityFactory(name=GARDEN), name="Gras maaien")


@pytest.fixture
def job(organiser, leuven, garden):
    """A one-off garden job in Leuven on a Wednesday morning two weeks from now."""
    day = today() + datetime.timedelta(days=14)
    day += datetime.timedelta(days=(2 - day.weekday()) % 7)
    client = ClientFactory(municipality=leuven)
    return HelpRequestFactory(client=client, activity=garden, start_date=day, end_date=day,
                              time_from=datetime.time(9), time_until=datetime.time(11))


def make_worker(organiser, municipality, *, slots=WEEKDAYS_ALL, skills=(), interests=(), trajectory=True,
                months_ago=1, **kwargs):
    kwargs.setdefault("max_distance_km", 10)
    worker = WorkerFactory(organiser=organiser, municipality=municipality, **kwargs)
    Availability.objects.bulk_create([Availability(worker=worker, weekday=d, part=p) for d, p in slots])
    WorkerActivity.objects.bulk_create(
        [WorkerActivity(worker=worker, activity=code, kind="skill") for code in skills]
        + [WorkerActivity(worker=worker, activity=code, kind="interest") for code in interests])
    if trajectory:
        trajectory_start(worker=worker, start_date=today() - datetime.timedelta(days=30 * months_ago), actor=None)
    return worker


def by_worker(candidates):
    return {c.worker.pk: c for c in candidates}


def chip(candidate, kind=None, contains=""):
    found = [c for c in candidate.chips if (kind is None or c.kind == kind) and contains in c.label]
    return found[0] if found else None


def worked_before(worker, help_request, *, minutes=120, status="bevestigd", date=None):
    assignment = Assignment.objects.create(
        organiser=help_request.organiser, request=help_request, worker=worker, client=help_request.client,
        activity=help_request.activity, municipality=help_request.municipality, schedule="once",
        start_date=help_request.start_date, end_date=help_request.start_date, status="beeindigd",
        end_reason="Klus af")
    date = date or help_request.start_date
    Prestatie.objects.create(organiser=help_request.organiser, assignment=assignment, worker=worker,
                             client=help_request.client, date=date, start_time=datetime.time(0),
                             end_time=datetime.time(minutes // 60, minutes % 60), minutes=minutes,
                             cheques=max(1, -(-minutes // 60)), status=status)
    return assignment


def test_day_parts_and_planned_hours(job):
    assert requested_slots(job) == {(2, "morning")}
    job.time_from, job.time_until = datetime.time(11, 30), datetime.time(13)
    assert requested_slots(job) == {(2, "morning"), (2, "afternoon")}
    job.time_from, job.time_until = datetime.time(10), datetime.time(12)
    assert requested_slots(job) == {(2, "morning")}
    job.time_from, job.time_until = datetime.time(18), datetime.time(20)
    assert requested_slots(job) == {(2, "evening")}
    job.time_from = job.time_until = None
    assert requested_slots(job) == {(2, "*")}
    job.schedule, job.weekdays, job.hours_per_week = ScheduleKind.RECURRING, [0, 3], Decimal("4")
    job.time_from, job.time_until = datetime.time(13), datetime.time(15)
    assert requested_slots(job) == {(0, "afternoon"), (3, "afternoon")}
    assert planned_minutes_per_month(job) == int(Decimal("4") * Decimal("4.33") * 60)


def test_chips_for_a_good_candidate(organiser, leuven, job, bemiddelaar):
    worker = make_worker(organiser, leuven, skills=["klein-tuinonderhoud"], certificates=["chainsaw"])
    (candidate,) = candidates_for(help_request=job, user=bemiddelaar)
    assert candidate.worker == worker
    kinds = {c.label: c.kind for c in candidate.chips}
    assert kinds["Same municipality"] == GOOD
    assert kinds["Available"] == GOOD
    assert kinds["Skill"] == GOOD
    assert chip(candidate, GOOD, "Trajectory until")
    assert chip(candidate, GOOD, "left")  # hours left
    assert chip(candidate, GOOD, "chainsaw")
    assert not candidate.continuity
    assert candidate.score == 30 + 20 + 20 + 15 + 10 + 5


def test_availability_partial_and_none(organiser, leuven, job, bemiddelaar):
    job.schedule, job.weekdays, job.hours_per_week = ScheduleKind.RECURRING, [2, 4], Decimal("2")
    job.end_date = job.start_date + datetime.timedelta(days=30)
    job.save()
    partly = make_worker(organiser, leuven, slots=[(2, "morning")])
    never = make_worker(organiser, leuven, slots=[(0, "evening")])
    empty = make_worker(organiser, leuven, slots=[])
    found = by_worker(candidates_for(help_request=job, user=bemiddelaar))
    assert chip(found[partly.pk], WARN, "Partly available")
    assert "Friday" in chip(found[partly.pk], WARN, "Partly available").explanation
    assert chip(found[never.pk], BAD, "Not available")
    assert chip(found[empty.pk], WARN, "No availability given")
    only = candidates_for(help_request=job, user=bemiddelaar, filters={"available"})
    assert only == []


def test_distance_against_the_worker_limit(organiser, leuven, herent, bertem, job, bemiddelaar):
    near = make_worker(organiser, herent, max_distance_km=15)
    too_far = make_worker(organiser, bertem, max_distance_km=2)
    found = by_worker(candidates_for(help_request=job, user=bemiddelaar))
    near_chip = chip(found[near.pk], GOOD, "km")
    assert near_chip and "Herent" in near_chip.explanation and "15 km" in near_chip.explanation
    assert 2 < found[near.pk].distance < 10
    assert chip(found[too_far.pk], WARN, "km") and not found[too_far.pk].within_distance
    nearby = candidates_for(help_request=job, user=bemiddelaar, filters={"nearby"})
    assert [c.worker for c in nearby] == [near]
    by_distance = candidates_for(help_request=job, user=bemiddelaar, sort="distance")
    assert [c.worker for c in by_distance] == [near, too_far]


def test_skill_interest_and_nothing(organiser, leuven, job, bemiddelaar):
    skilled = make_worker(organiser, leuven, skills=["klein-tuinonderhoud"])
    keen = make_worker(organiser, leuven, interests=["klein-tuinonderhoud"])
    other = make_worker(organiser, leuven, skills=["logistieke-taken"])
    found = candidates_for(help_request=job, user=bemiddelaar)
    assert [c.worker for c in found] == [skilled, keen, other]
    assert chip(found[1], GOOD, "Interest") and chip(found[2], WARN, "No experience")
    skilled_first = candidates_for(help_request=job, user=bemiddelaar, filters={"skilled"})
    assert [c.worker for c in skilled_first] == [skilled, keen]


def test_childcare_certificate_for_a_school(organiser, leuven, bemiddelaar):
    care = ActivityFactory(organiser=organiser, category="onderwijs", main_activity=MainActivityFactory(name=CARE),
                           name="Toezicht op de speelplaats")
    school = ClientFactory(municipality=leuven, category="onderwijs")
    job = HelpRequestFactory(client=school, activity=care)
    with_cert = make_worker(organiser, leuven, certificates=["childcare"])
    without = make_worker(organiser, leuven)
    found = by_worker(candidates_for(help_request=job, user=bemiddelaar))
    assert chip(found[with_cert.pk], GOOD, "childcare")
    assert chip(found[without.pk], WARN, "childcare")


def test_trajectory_ending_before_the_request_is_a_warning_and_none_excludes(organiser, leuven, job, bemiddelaar):
    job.schedule, job.weekdays, job.hours_per_week = ScheduleKind.RECURRING, [2], Decimal("2")
    job.end_date = job.start_date + datetime.timedelta(days=365)
    job.save()
    short = make_worker(organiser, leuven)
    no_trajectory = make_worker(organiser, leuven, trajectory=False)
    ended = make_worker(organiser, leuven)
    trajectory = Trajectory.objects.get(worker=ended)
    Trajectory.objects.filter(pk=trajectory.pk).update(status="ended", ended_on=today(), outflow_reason="werk")
    found = by_worker(candidates_for(help_request=job, user=bemiddelaar))
    assert set(found) == {short.pk}
    warning = chip(found[short.pk], WARN, "Trajectory ends")
    assert warning and Trajectory.objects.get(worker=short).end_date.strftime("%d/%m/%Y") in warning.label
    assert no_trajectory.pk not in found


def test_continuity_ranks_first(organiser, leuven, bertem, job, bemiddelaar, garden):
    best = make_worker(organiser, leuven, skills=["klein-tuinonderhoud"])
    familiar = make_worker(organiser, bertem, slots=[], max_distance_km=1)
    earlier = HelpRequestFactory(client=job.client, activity=garden, start_date=today(), end_date=today())
    worked_before(familiar, earlier, minutes=90)
    found = candidates_for(help_request=job, user=bemiddelaar)
    assert [c.worker for c in found] == [familiar, best]
    assert found[0].continuity and found[0].score < found[1].score
    star = chip(found[0], GOOD, "Worked here before")
    assert "1 u 30" in star.explanation


def test_exclusions_are_never_shown(organiser, leuven, job, bemiddelaar, garden):
    excluded = make_worker(organiser, leuven, skills=["klein-tuinonderhoud"])
    earlier = HelpRequestFactory(client=job.client, activity=garden, start_date=today(), end_date=today())
    worked_before(excluded, earlier)  # even with continuity
    kept = make_worker(organiser, leuven)
    exclusion = worker_exclusion_add(worker=excluded, client=job.client, reason="Conflict", actor=bemiddelaar)
    for filters in (set(), {"no_hours"}):
        assert [c.worker for c in candidates_for(help_request=job, user=bemiddelaar, filters=filters)] == [kept]
    assert AuditEntry.objects.filter(action="exclusion.add").exists()
    with pytest.raises(ValidationError) as error:
        worker_exclusion_add(worker=excluded, client=job.client, reason="Nog eens", actor=bemiddelaar)
    assert error.value.code == "already_excluded"
    worker_exclusion_remove(exclusion=exclusion, actor=bemiddelaar)
    assert not WorkerExclusion.objects.exists()
    assert {c.worker for c in candidates_for(help_request=job, user=bemiddelaar)} == {excluded, kept}
    assert AuditEntry.objects.filter(action="exclusion.remove").exists()


def test_exclusion_needs_a_reason(organiser, leuven, job, bemiddelaar):
    worker = make_worker(organiser, leuven)
    with pytest.raises(ValidationError) as error:
        worker_exclusion_add(worker=worker, client=job.client, reason=" ", actor=bemiddelaar)
    assert error.value.error_dict["reason"][0].code == "no_reason"


def test_ex_pwa_only_activity_shows_only_ex_pwa_workers(organiser, leuven, job, bemiddelaar):
    regular = make_worker(organiser, leuven)
    ex_pwa = make_worker(organiser, leuven, ex_pwa=True)
    assert {c.worker for c in candidates_for(help_request=job, user=bemiddelaar)} == {regular, ex_pwa}
    job.activity.ex_pwa_only = True
    job.activity.save()
    found = candidates_for(help_request=job, user=bemiddelaar)
    assert [c.worker for c in found] == [ex_pwa]
    assert chip(found[0], GOOD, "ex-PWA")
    # The trajectory has no end: said in words, not as the year 9999.
    trajectory = next(c for c in found[0].chips if c.icon == "🗓")
    assert trajectory.kind == GOOD and "9999" not in trajectory.label and found[0].covers_period


def test_caps_hide_workers_without_hours_and_warn_when_short(organiser, leuven, job, bemiddelaar, garden):
    full = make_worker(organiser, leuven)
    short = make_worker(organiser, leuven)
    fresh = make_worker(organiser, leuven)
    earlier = HelpRequestFactory(client=ClientFactory(municipality=leuven), activity=garden,
                                 start_date=today(), end_date=today())
    for _ in range(3):
        worked_before(full, earlier, minutes=20 * 60, date=job.start_date)
    worked_before(short, earlier, minutes=20 * 60, date=job.start_date)
    worked_before(short, earlier, minutes=20 * 60, date=job.start_date)
    worked_before(short, earlier, minutes=19 * 60 + 30, date=job.start_date)  # 30 minutes left, 2 h planned
    found = by_worker(candidates_for(help_request=job, user=bemiddelaar))
    assert set(found) == {short.pk, fresh.pk}
    assert chip(found[short.pk], WARN, "needed").label == "0 u 30 left, 2 u 00 needed"
    assert found[short.pk].hours_left_minutes == 30
    with_full = by_worker(candidates_for(help_request=job, user=bemiddelaar, filters={"no_hours"}))
    assert chip(with_full[full.pk], BAD, "No hours left")
    by_hours = candidates_for(help_request=job, user=bemiddelaar, sort="hours")
    assert by_hours[0].worker == fresh


def test_other_organisers_workers_are_not_candidates(organiser, leuven, other_organiser, job, bemiddelaar):
    gent = municipality_for(other_organiser, GENT)
    make_worker(other_organiser, gent)
    assert candidates_for(help_request=job, user=bemiddelaar) == []


def _population(organiser, municipalities, job, garden, count):
    earlier = HelpRequestFactory(client=job.client, activity=garden, start_date=today(), end_date=today())
    for n in range(count):
        worker = make_worker(organiser, municipalities[n % len(municipalities)],
                             skills=["klein-tuinonderhoud"] if n % 2 else [], interests=["logistieke-taken"],
                             certificates=["chainsaw"] if n % 3 else [], ex_pwa=n % 7 == 0)
        if n % 4 == 0:
            worked_before(worker, earlier)
        if n % 9 == 0:
            WorkerExclusion.objects.create(worker=worker, client=job.client, reason="Test")


@pytest.mark.parametrize("count", [5, 50])
def test_query_count_does_not_grow_with_the_number_of_workers(
        organiser, leuven, herent, bertem, job, garden, bemiddelaar, django_assert_max_num_queries, count):
    _population(organiser, [leuven, herent, bertem], job, garden, count)
    job = HelpRequest.objects.select_related("client", "activity__main_activity", "municipality").get(pk=job.pk)
    with django_assert_max_num_queries(7):
        found = candidates_for(help_request=job, user=bemiddelaar, filters={"no_hours"})
    assert found.total == count - len(range(0, count, 9))
    assert len(found) == min(found.total, 25)  # the database ranks them all; only the first page is explained
    with CaptureQueriesContext(connection) as queries:
        candidates_for(help_request=job, user=bemiddelaar, sort="distance")
    assert len(queries) <= 7


# --- screens ---------------------------------------------------------------------------------------------------

def test_request_page_loads_candidates_and_assigns(client, organiser, leuven, job, bemiddelaar):
    worker = make_worker(organiser, leuven, skills=["klein-tuinonderhoud"])
    client.force_login(bemiddelaar)
    page = client.get(reverse("assignments:request_detail", args=[job.pk])).content.decode()
    url = reverse("assignments:request_candidates", args=[job.pk])
    assert url in page
    partial = client.get(url, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html and escape(worker.full_name) in html  # a name may hold an apostrophe
    assert "Zelfde gemeente" in html and "Waarom deze volgorde?" in html
    assign_url = reverse("assignments:request_assign", args=[job.pk, worker.pk])
    assert assign_url in html
    form = client.get(assign_url)
    assert form.context["form"].initial["end_date"] == job.end_date
    response = client.post(assign_url, {"start_date": job.start_date.isoformat(),
                                        "end_date": job.end_date.isoformat()})
    assert response.status_code == 302 and response.url == reverse("assignments:request_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == RequestStatus.ASSIGNED
    assert Assignment.objects.get(request=job).worker == worker
    # Already assigned: listed apart, no longer a candidate.
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Al toegewezen" in html and reverse("assignments:request_assign", args=[job.pk, worker.pk]) not in html


def test_assign_form_caps_the_end_at_the_trajectory_and_shows_errors_in_dutch(client, organiser, leuven, job,
                                                                               bemiddelaar):
    job.schedule, job.weekdays, job.hours_per_week = ScheduleKind.RECURRING, [2], Decimal("2")
    job.end_date = job.start_date + datetime.timedelta(days=365)
    job.save()
    worker = make_worker(organiser, leuven)
    last_day = Trajectory.objects.get(worker=worker).end_date
    client.force_login(bemiddelaar)
    url = reverse("assignments:request_assign", args=[job.pk, worker.pk])
    response = client.get(url)
    assert response.context["form"].initial["end_date"] == last_day and response.context["capped"]
    response = client.post(url, {"start_date": job.start_date.isoformat(), "end_date": job.end_date.isoformat()})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["end_date"]] == ["past_trajectory"]
    assert "kan niet langer duren" in response.content.decode() or "eindigt op" in response.content.decode()
    response = client.post(url, {"start_date": job.start_date.isoformat(),
                                 "end_date": (job.start_date - datetime.timedelta(days=1)).isoformat()})
    assert [e.code for e in response.context["form"].errors.as_data()["end_date"]] == ["period_order"]
    assert not Assignment.objects.exists()


def test_sort_and_filters_by_get_parameters(client, organiser, leuven, herent, job, bemiddelaar):
    make_worker(organiser, leuven)
    far = make_worker(organiser, herent, max_distance_km=1)
    client.force_login(bemiddelaar)
    url = reverse("assignments:request_candidates", args=[job.pk])
    response = client.get(url, {"nearby": "1", "sort": "distance"})
    assert response.status_code == 200 and "<html" in response.content.decode()
    assert far not in [c.worker for c in response.context["candidates"]]
    assert response.context["sort"] == "distance"


def test_another_organisers_request_is_404(client, organiser, other_organiser, job, make_user, leuven):
    outsider = make_user(Role.BEMIDDELAAR, organiser=other_organiser)
    worker = make_worker(organiser, leuven)
    client.force_login(outsider)
    assert client.get(reverse("assignments:request_candidates", args=[job.pk])).status_code == 404
    assign = reverse("assignments:request_assign", args=[job.pk, worker.pk])
    assert client.post(assign, {"start_date": job.start_date.isoformat(),
                                "end_date": job.end_date.isoformat()}).status_code == 404
    assert not Assignment.objects.exists()


def test_clients_cannot_see_candidates(client, organiser, leuven, job, make_user):
    user = make_user(Role.GEBRUIKER)
    client.force_login(user)
    assert client.get(reverse("assignments:request_candidates", args=[job.pk])).status_code == 403


def test_exclusion_screen_adds_and_removes(client, organiser, leuven, job, bemiddelaar):
    worker = make_worker(organiser, leuven)
    client.force_login(bemiddelaar)
    url = reverse("assignments:client_exclusions", args=[job.client.pk])
    response = client.post(url, {"worker": worker.pk, "reason": ""})
    assert response.status_code == 200 and not WorkerExclusion.objects.exists()
    response = client.post(url, {"worker": worker.pk, "reason": "Familie"})
    assert response.status_code == 302
    exclusion = WorkerExclusion.objects.get()
    assert exclusion.created_by == bemiddelaar
    assert candidates_for(help_request=job, user=bemiddelaar) == []
    client.post(reverse("assignments:client_exclusion_remove", args=[job.client.pk, exclusion.pk]))
    assert not WorkerExclusion.objects.exists()


def test_an_excluded_worker_cannot_be_assigned(client, organiser, leuven, job, bemiddelaar):
    worker = make_worker(organiser, leuven)
    worker_exclusion_add(worker=worker, client=job.client, reason="Conflict", actor=bemiddelaar)
    client.force_login(bemiddelaar)
    url = reverse("assignments:request_assign", args=[job.pk, worker.pk])
    response = client.post(url, {"start_date": job.start_date.isoformat(), "end_date": job.end_date.isoformat()})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["excluded"]
    assert "uitsluiting" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_candidates_partial_needs_the_same_queries_for_3_and_30_workers(client, organiser, leuven, herent, job,
                                                                            garden, bemiddelaar):
    client.force_login(bemiddelaar)
    url = reverse("assignments:request_candidates", args=[job.pk])
    _population(organiser, [leuven, herent], job, garden, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"limit": 100}, headers={"HX-Request": "true"}).status_code == 200
    _population(organiser, [leuven, herent], job, garden, 30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"limit": 100}, headers={"HX-Request": "true"})
    assert len(response.context["candidates"]) > 20
    assert len(many) == len(few)
