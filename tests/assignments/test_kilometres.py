"""Kilometres of the round trip: given with the hours (the form proposes the distance), validated by staff, and
corrected after confirmation."""

import datetime
from datetime import time
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assignments.models import Prestatie, PrestatieStatus
from assignments.selectors.prestaties import proposed_kilometres
from assignments.services import prestatie_correct, prestatie_correct_kilometres, prestatie_register
from tests.assignments.fixtures import at, make_assignment, make_worker
from tests.core.factories import municipality_for
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def work(organiser, leuven, herent, bemiddelaar):
    """A worker living in Herent who works in Leuven."""
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        worker = make_worker(organiser, herent, bemiddelaar, trajectory_start=D(2026, 3, 2))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2), end=D(2026, 4, 30))
    return worker, assignment


def test_the_form_proposes_twice_the_distance_between_home_and_work_place(client, work):
    worker, assignment = work
    proposal = proposed_kilometres(assignment)
    assert proposal is not None and Decimal("4") <= proposal <= Decimal("16")  # Herent–Leuven, there and back
    client.force_login(worker.user)
    with time_machine.travel(at(2026, 3, 10), tick=False):
        page = client.get(f"/opdrachten/{assignment.pk}/uren/").content.decode()
    assert f'name="kilometres" value="{proposal}"' in page
    assert "Voorstel" in page and "Herent" in page and "meer dan 10 km" in page


def test_no_proposal_within_one_municipality(organiser, leuven, bemiddelaar):
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2), end=D(2026, 4, 30))
    assert proposed_kilometres(assignment) is None


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_the_worker_gives_the_kilometres_with_the_hours(client, work):
    worker, assignment = work
    client.force_login(worker.user)
    response = client.post(f"/opdrachten/{assignment.pk}/uren/", {
        "date": "2026-03-09", "start_time": "09:00", "end_time": "10:00", "kilometres": "23,5"})
    assert response.status_code == 302
    prestatie = Prestatie.objects.get()
    assert prestatie.kilometres == Decimal("23.5")
    assert AuditEntry.objects.get(action="prestatie.register").changes == {"kilometres": "23.5"}


@time_machine.travel(at(2026, 3, 10), tick=False)
@pytest.mark.parametrize(("kilometres", "message"), [
    ("-3", "De kilometers kunnen niet negatief zijn."),
    ("250", "Vul de kilometers heen en terug in: tussen 0 en 200."),
    ("12,55", "Vul de kilometers in met hoogstens één cijfer na de komma."),
    ("twaalf", "Vul de kilometers in als getal, bv. 12,5."),
])
def test_bad_kilometres_are_refused_in_dutch_and_nothing_is_saved(client, work, kilometres, message):
    worker, assignment = work
    client.force_login(worker.user)
    response = client.post(f"/opdrachten/{assignment.pk}/uren/", {
        "date": "2026-03-09", "start_time": "09:00", "end_time": "10:00", "kilometres": kilometres})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Prestatie.objects.exists()


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_the_services_refuse_what_the_database_refuses(work):
    worker, assignment = work
    for kilometres, code in ((Decimal("-1"), "kilometres_negative"), (Decimal("200.1"), "kilometres_too_high"),
                             ("x", "kilometres_invalid")):
        with pytest.raises(ValidationError) as error:
            prestatie_register(assignment=assignment, date=D(2026, 3, 9), start_time=time(9), end_time=time(10),
                               actor=worker.user, kilometres=kilometres)
        assert error.value.error_dict["kilometres"][0].code == code
    from django.db import IntegrityError, transaction
    prestatie = prestatie_register(assignment=assignment, date=D(2026, 3, 9), start_time=time(9), end_time=time(10),
                                   actor=worker.user, kilometres=Decimal("200"))
    with pytest.raises(IntegrityError, match="prestatie_kilometres_sane"), transaction.atomic():
        Prestatie.objects.filter(pk=prestatie.pk).update(kilometres=Decimal("-1"))


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_staff_correct_the_kilometres_with_the_hours(work, bemiddelaar):
    worker, assignment = work
    prestatie = prestatie_register(assignment=assignment, date=D(2026, 3, 9), start_time=time(9), end_time=time(10),
                                   actor=worker.user, kilometres=Decimal("8"))
    prestatie = prestatie_correct(prestatie=prestatie, start_time=time(9), end_time=time(10), note="Omweg",
                                  kilometres=Decimal("12"), actor=bemiddelaar)
    assert prestatie.kilometres == Decimal("12") and prestatie.kilometres_corrected_at is None
    assert AuditEntry.objects.get(action="prestatie.correct").changes["kilometres"] == ["8.0", "12.0"]


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_kilometres_of_confirmed_hours_are_corrected_on_the_prestatie_page(client, work, bemiddelaar):
    worker, assignment = work
    prestatie = prestatie_register(assignment=assignment, date=D(2026, 3, 9), start_time=time(9), end_time=time(10),
                                   actor=worker.user, kilometres=Decimal("8"))
    Prestatie.objects.filter(pk=prestatie.pk).update(status=PrestatieStatus.CONFIRMED)
    client.force_login(bemiddelaar)
    url = f"/prestaties/{prestatie.pk}/"
    page = client.get(url).content.decode()
    assert 'value="kilometres"' in page
    bad = client.post(url, {"action": "kilometres", "kilometres": "8", "note": "Omweg"})
    assert "Dit zijn de kilometers die al genoteerd zijn." in bad.content.decode()
    response = client.post(url, {"action": "kilometres", "kilometres": "14,5", "note": "Omweg door wegenwerken"})
    assert response.status_code == 302
    prestatie.refresh_from_db()
    assert prestatie.kilometres == Decimal("14.5") and prestatie.kilometres_corrected_at is not None
    entry = AuditEntry.objects.get(action="prestatie.correct_kilometres")
    assert entry.summary == "Kilometers verbeterd van 8,0 km naar 14,5 km: Omweg door wegenwerken"


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_kilometres_of_unconfirmed_hours_are_not_corrected_that_way(work, bemiddelaar):
    worker, assignment = work
    prestatie = prestatie_register(assignment=assignment, date=D(2026, 3, 9), start_time=time(9), end_time=time(10),
                                   actor=worker.user)
    with pytest.raises(ValidationError) as error:
        prestatie_correct_kilometres(prestatie=prestatie, kilometres=Decimal("12"), note="x", actor=bemiddelaar)
    assert error.value.code == "not_confirmed"
    with pytest.raises(ValidationError):
        prestatie_correct_kilometres(prestatie=prestatie, kilometres=Decimal("12"), note=" ", actor=bemiddelaar)


def test_centres_unknown_give_no_proposal(work):
    _worker, assignment = work
    municipality_for(assignment.organiser, "24038")
    assignment.worker.municipality.latitude = None
    assert proposed_kilometres(assignment) is None
