import datetime
from datetime import time

import pytest
import time_machine

from assignments.models import PrestatieStatus
from assignments.services import prestatie_register, prestatie_validate
from tests.accounts.factories import UserFactory
from tests.assignments.fixtures import at, make_assignment, make_worker
from wijkwerken.accounts.models import Role

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def work(organiser, leuven, bemiddelaar):
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2), end=D(2026, 4, 30),
                                     weekdays=(0, 2))
    return worker, assignment


def _register(assignment, day=None):
    return prestatie_register(assignment=assignment, date=day or D(2026, 3, 9), start_time=time(9), end_time=time(11),
                              actor=assignment.worker.user)


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_worker_registers_through_the_form_and_sees_the_week(client, work):
    worker, assignment = work
    client.force_login(worker.user)
    response = client.post(f"/opdrachten/{assignment.pk}/uren/",
                           {"date": "2026-03-09", "start_time": "09:00", "end_time": "10:01"})
    assert response.status_code == 302 and "/mijn/week/" in response["Location"]
    week = client.get("/mijn/week/?week=2026-03-09").content.decode()
    assert "09:00–10:01" in week and "Geregistreerd" in week


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_bad_hours_get_a_dutch_message_and_nothing_is_saved(client, work):
    worker, assignment = work
    client.force_login(worker.user)
    response = client.post(f"/opdrachten/{assignment.pk}/uren/",
                           {"date": "2026-03-09", "start_time": "11:00", "end_time": "09:00"})
    assert response.status_code == 200
    assert "Het einde moet na het begin liggen" in response.content.decode()
    assert not assignment.prestaties.exists()


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_every_mistake_in_the_hours_is_said_at_once_next_to_its_field(client, work):
    worker, assignment = work
    client.force_login(worker.user)
    response = client.post(f"/opdrachten/{assignment.pk}/uren/",
                           {"date": "2026-03-12", "start_time": "11:00", "end_time": "09:00", "kilometres": "0"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["end_time"] == ["Het einde moet na het begin liggen (uren na middernacht zijn een nieuwe "
                                       "prestatie op de volgende dag)."]
    assert form.errors["date"] == ["Uren kunnen pas geregistreerd worden als ze gewerkt zijn."]
    assert not assignment.prestaties.exists()


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_another_worker_cannot_register_on_this_assignment(client, work, organiser, leuven, bemiddelaar):
    _worker, assignment = work
    other = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 1))
    client.force_login(other.user)
    assert client.get(f"/opdrachten/{assignment.pk}/uren/").status_code == 404


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_bulk_validation_from_the_queue(client, work, bemiddelaar):
    _worker, assignment = work
    first, second = _register(assignment, D(2026, 3, 2)), _register(assignment, D(2026, 3, 4))
    client.force_login(bemiddelaar)
    response = client.post("/prestaties/", {"prestatie": [first.pk, second.pk]}, follow=True)
    assert "2 prestaties gevalideerd." in response.content.decode()
    first.refresh_from_db()
    assert first.status == PrestatieStatus.VALIDATED


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_other_organisers_staff_see_a_404(client, work, other_organiser):
    _worker, assignment = work
    prestatie = _register(assignment)
    stranger = UserFactory(role=Role.BEMIDDELAAR, organiser=other_organiser)
    client.force_login(stranger)
    assert client.get(f"/prestaties/{prestatie.pk}/").status_code == 404
    assert client.get(f"/opdrachten/{assignment.pk}/").status_code == 404
    assert f'value="{prestatie.pk}"' not in client.get("/prestaties/").content.decode()


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_client_confirms_only_its_own_hours(client, work, bemiddelaar, leuven):
    from tests.assignments.factories import client_with_login

    _worker, assignment = work
    prestatie = prestatie_validate(prestatie=_register(assignment), actor=bemiddelaar)
    _other, stranger = client_with_login(leuven)
    client.force_login(stranger)
    assert client.post(f"/prestaties/{prestatie.pk}/bevestigen/").status_code == 404
    owner = assignment.client.contacts.get().user
    client.force_login(owner)
    assert "09:00–11:00" in client.get("/mijn/prestaties/").content.decode()
    client.post(f"/prestaties/{prestatie.pk}/bevestigen/")
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.CONFIRMED


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_link_opened_by_someone_else_logged_in_changes_nothing(client, work, bemiddelaar, leuven):
    from assignments.services import confirmation_token
    from tests.assignments.factories import client_with_login

    _worker, assignment = work
    prestatie = prestatie_validate(prestatie=_register(assignment), actor=bemiddelaar)
    _other, stranger = client_with_login(leuven)
    client.force_login(stranger)
    response = client.post(f"/prestaties/bevestig/{confirmation_token(prestatie)}/", {"action": "confirm"})
    assert response.status_code == 400
    assert "Deze uren kunt u niet bevestigen" in response.content.decode()
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.VALIDATED


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_municipal_staff_see_no_hours(client, work, gemeente_user):
    _worker, assignment = work
    prestatie = _register(assignment)
    client.force_login(gemeente_user)
    assert client.get(f"/prestaties/{prestatie.pk}/").status_code == 403
    assert client.get("/mijn/prestaties/").status_code == 403


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_ical_export_of_a_weekly_assignment(client, work, bemiddelaar):
    worker, assignment = work
    client.force_login(bemiddelaar)
    response = client.get(f"/opdrachten/wijkwerker/{worker.pk}/kalender.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and f"UID:assignment-{assignment.pk}@" in body
    assert "DTSTART;TZID=Europe/Brussels:20260302T090000" in body
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260430T215959Z;BYDAY=MO,WE" in body  # icalendar's canonical part order
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    client.force_login(worker.user)
    assert "BEGIN:VCALENDAR" in client.get("/mijn/kalender.ics").content.decode()


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_hours_panel_on_the_worker_page(client, work, bemiddelaar, werkcoach):
    worker, assignment = work
    _register(assignment)
    client.force_login(werkcoach)
    body = client.get(f"/opdrachten/wijkwerker/{worker.pk}/uren/").content.decode()
    assert "2 u 00" in body and "Uren onder de maxima" in body


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_worker_sees_own_hours_panel(client, work):
    worker, assignment = work
    _register(assignment)
    client.force_login(worker.user)
    body = client.get("/mijn/uren/").content.decode()
    assert "2 u 00" in body and "58 u 00" in body  # used and left this month


def _listed_with_hours_left(client, hours, *workers) -> set[int]:
    """Which of `workers` the worker list shows when filtered on at least `hours` left."""
    response = client.get(f"/wijkwerkers/?hours_left={hours}")
    assert response.status_code == 200
    page = response.content.decode()
    return {worker.pk for worker in workers if f'href="/wijkwerkers/{worker.pk}/"' in page}


@time_machine.travel(at(2026, 3, 31, 18), tick=False)
def test_worker_list_filters_on_hours_left_this_month(client, work, organiser, leuven, bemiddelaar):
    from assignments.models import Prestatie
    from wijkwerken.core.rules import cheques_for_minutes

    busy, assignment = work
    free = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
    Prestatie.objects.bulk_create([
        Prestatie(organiser=organiser, assignment=assignment, worker=busy, client=assignment.client,
                  date=D(2026, 3, day), start_time=time(8), end_time=time(10), minutes=120,
                  cheques=cheques_for_minutes(120)) for day in range(1, 30)
    ])  # 58 h used in March: 2 h left
    client.force_login(bemiddelaar)
    assert _listed_with_hours_left(client, 3, busy, free) == {free.pk}
    assert _listed_with_hours_left(client, 2, busy, free) == {free.pk, busy.pk}
    assert _listed_with_hours_left(client, 60, busy, free) == {free.pk}
    assert _listed_with_hours_left(client, 61, busy, free) == set()  # more than the month's cap: nobody


@time_machine.travel(at(2026, 12, 15, 18), tick=False)
def test_worker_list_hours_left_counts_the_year_cap(client, work, organiser, leuven, bemiddelaar):
    """January to November at 56 h 40 each (37,400 of the year's 37,800 minutes): 6 h 40 left this year although
    December is empty. Each of those months is above a twelfth of the year's limit, so the filter adds the year up."""
    from assignments.models import Prestatie, WorkerMonth
    from wijkwerken.core.rules import cheques_for_minutes

    busy, assignment = work
    free = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 1, 5))
    Prestatie.objects.bulk_create([
        Prestatie(organiser=organiser, assignment=assignment, worker=busy, client=assignment.client,
                  date=D(2026, month, day), start_time=time(8), end_time=time(11, 20), minutes=200,
                  cheques=cheques_for_minutes(200)) for month in range(1, 12) for day in range(1, 18)
    ])
    assert sum(WorkerMonth.objects.filter(worker=busy).values_list("minutes", flat=True)) == 37_400
    client.force_login(bemiddelaar)
    assert _listed_with_hours_left(client, 6, busy, free) == {free.pk, busy.pk}  # 6 h 40 left
    assert _listed_with_hours_left(client, 7, busy, free) == {free.pk}
    assert _listed_with_hours_left(client, 60, busy, free) == {free.pk}


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_staff_correct_and_resolve_on_the_prestatie_page(client, work, bemiddelaar):
    from assignments.services import prestatie_dispute

    _worker, assignment = work
    prestatie = prestatie_validate(prestatie=_register(assignment), actor=bemiddelaar)
    client.force_login(bemiddelaar)
    url = f"/prestaties/{prestatie.pk}/"
    response = client.post(url, {"action": "correct", "date": "2026-03-09", "start_time": "09:00",
                                 "end_time": "10:00", "note": ""})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()
    response = client.post(url, {"action": "correct", "date": "2026-03-09", "start_time": "09:00",
                                 "end_time": "10:00", "note": "Volgens de gebruiker"})
    assert response.status_code == 302
    prestatie.refresh_from_db()
    assert (prestatie.minutes, prestatie.corrected) == (60, True)
    prestatie_dispute(prestatie=prestatie, reason="Toch niet", actor=assignment.client.contacts.get().user)
    response = client.post(url, {"action": "resolve", "outcome": "upheld", "note": "Gebeld"})
    assert response.status_code == 302
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.CONFIRMED


@time_machine.travel(at(2026, 4, 10), tick=False)
def test_the_hours_panel_counts_the_month_of_the_day_being_registered(client, work):
    """Before, the gauges showed this month while the worker registered hours for an earlier month."""
    worker, assignment = work
    _register(assignment, D(2026, 3, 9))  # 2 hours in March, none in April
    client.force_login(worker.user)
    march = client.get(f"/opdrachten/{assignment.pk}/uren/?date=2026-03-11")
    assert march.context["caps"].on == D(2026, 3, 11) and march.context["caps"].month_minutes == 120
    assert "Maart 2026" in march.content.decode()
    april = client.get(f"/opdrachten/{assignment.pk}/uren/")
    assert april.context["caps"].month_minutes == 0
    # A refused registration shows the gauges of the month it was for.
    refused = client.post(f"/opdrachten/{assignment.pk}/uren/",
                          {"date": "2026-03-09", "start_time": "10:00", "end_time": "11:00"})
    assert refused.status_code == 200 and refused.context["caps"].on == D(2026, 3, 9)
    panel = client.get("/mijn/uren/?date=2026-03-02")
    assert panel.context["caps"].month_minutes == 120


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_counts_are_singular_and_plural(client, work):
    """Before, one started hour was announced as "(1 cheques)"."""
    worker, assignment = work
    client.force_login(worker.user)
    response = client.post(f"/opdrachten/{assignment.pk}/uren/",
                           {"date": "2026-03-09", "start_time": "09:00", "end_time": "10:00"}, follow=True)
    assert "(1 cheque)." in response.content.decode()
    response = client.post(f"/opdrachten/{assignment.pk}/uren/",
                           {"date": "2026-03-04", "start_time": "09:00", "end_time": "10:30"}, follow=True)
    assert "(2 cheques)." in response.content.decode()


@time_machine.travel(at(2026, 3, 10), tick=False)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "0001-01-07", "2026-02-30", "٢٠٢٦-٠٣-٠٩"])
def test_a_week_or_day_at_the_ends_of_the_calendar_shows_this_week(client, work, day):
    """?week=9999-12-31 used to overflow while building the week (a 500); any such date now shows this week."""
    worker, assignment = work
    client.force_login(worker.user)
    week = client.get(f"/mijn/week/?week={day}")
    assert week.status_code == 200 and week.context["monday"] == D(2026, 3, 9)
    assert client.get(f"/opdrachten/{assignment.pk}/uren/?date={day}").status_code == 200
    assert client.get(f"/mijn/uren/?date={day}").status_code == 200
