"""Plausible hours: outside the schedule or a long day asks the registrar to confirm, and staff see the warning."""

import datetime
from datetime import time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assignments.models import HoursWarning, Prestatie
from assignments.selectors.prestaties import hours_plausibility
from assignments.services import UnconfirmedWarnings, prestatie_correct, prestatie_register
from tests.assignments.fixtures import at, make_assignment, make_worker
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY, TUESDAY = D(2026, 3, 9), D(2026, 3, 10)


@pytest.fixture
def work(organiser, leuven, bemiddelaar):
    """Monday and Wednesday, 09:00–12:00."""
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2), end=D(2026, 4, 30),
                                     weekdays=(0, 2))
    return worker, assignment


def codes(assignment, day, start, end):
    return hours_plausibility(assignment=assignment, day=day, start=start, end=end).codes


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_planned_hours_and_small_shifts_are_plausible(work):
    _worker, assignment = work
    assert codes(assignment, MONDAY, time(9), time(12)) == []
    assert codes(assignment, MONDAY, time(8, 30), time(12, 30)) == []  # within the 30 minutes' tolerance


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_unplanned_day_times_and_long_day_are_flagged(work):
    _worker, assignment = work
    assert codes(assignment, TUESDAY, time(9), time(12)) == [HoursWarning.NOT_PLANNED_DAY]
    assert codes(assignment, MONDAY, time(8, 29), time(12)) == [HoursWarning.OUTSIDE_TIMES]
    assert codes(assignment, MONDAY, time(9), time(12, 31)) == [HoursWarning.OUTSIDE_TIMES]
    # The example: 06:00–23:00 on a day with nothing planned (17 cheques).
    assert codes(assignment, TUESDAY, time(6), time(23)) == [
        HoursWarning.NOT_PLANNED_DAY, HoursWarning.OUTSIDE_TIMES, HoursWarning.LONG_DAY]
    # Exactly 10 hours is not long; the threshold is more than 10 hours on one day, all prestaties together.
    assert HoursWarning.LONG_DAY not in codes(assignment, MONDAY, time(8), time(18))
    assert HoursWarning.LONG_DAY in codes(assignment, MONDAY, time(8), time(18, 1))


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_long_day_counts_the_other_hours_of_that_day(work):
    worker, assignment = work
    prestatie_register(assignment=assignment, date=MONDAY, start_time=time(6), end_time=time(12),
                       actor=worker.user, warnings_confirmed=True)
    assert HoursWarning.LONG_DAY in codes(assignment, MONDAY, time(13), time(17, 30))


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_unconfirmed_warning_saves_nothing_confirmed_warning_is_stored(work):
    worker, assignment = work
    with pytest.raises(UnconfirmedWarnings) as raised:
        prestatie_register(assignment=assignment, date=TUESDAY, start_time=time(6), end_time=time(23),
                           actor=worker.user, warnings_confirmed=False)
    assert {e.code for e in raised.value.error_list} == {"unconfirmed_warnings"}
    assert len(raised.value.messages) == 3
    assert not Prestatie.objects.exists()
    prestatie = prestatie_register(assignment=assignment, date=TUESDAY, start_time=time(6), end_time=time(23),
                                   actor=worker.user, warnings_confirmed=True)
    assert prestatie.warnings == ["niet_gepland", "buiten_uren", "lange_dag"]
    assert AuditEntry.objects.get(action="prestatie.register").changes["warnings"]


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_hard_errors_come_before_the_warning(work):
    """A day outside the assignment is refused, not merely warned about."""
    worker, assignment = work
    with pytest.raises(ValidationError) as raised:
        prestatie_register(assignment=assignment, date=D(2026, 3, 1), start_time=time(9), end_time=time(10),
                           actor=worker.user, warnings_confirmed=False)
    assert not isinstance(raised.value, UnconfirmedWarnings)
    assert raised.value.error_dict["date"][0].code == "outside_assignment"


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_staff_correction_recomputes_the_warnings(work, bemiddelaar):
    worker, assignment = work
    prestatie = prestatie_register(assignment=assignment, date=TUESDAY, start_time=time(9), end_time=time(12),
                                   actor=worker.user)
    assert prestatie.warnings == ["niet_gepland"]
    prestatie = prestatie_correct(prestatie=prestatie, date=MONDAY, start_time=time(9), end_time=time(12),
                                  note="Was maandag", actor=bemiddelaar)
    assert prestatie.warnings == []


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_the_form_asks_to_confirm_then_saves_and_staff_see_the_warning(client, work, bemiddelaar):
    worker, assignment = work
    client.force_login(worker.user)
    url = f"/opdrachten/{assignment.pk}/uren/"
    data = {"date": "2026-03-10", "start_time": "06:00", "end_time": "23:00"}
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="hours-warnings"' in page and 'name="warnings_confirmed"' in page
    assert not Prestatie.objects.exists()
    response = client.post(url, {**data, "warnings_confirmed": "on"})
    assert response.status_code == 302
    prestatie = Prestatie.objects.get()
    assert prestatie.warnings == ["niet_gepland", "buiten_uren", "lange_dag"]

    client.force_login(bemiddelaar)
    queue = client.get("/prestaties/").content.decode()
    assert 'data-testid="prestatie-warnings"' in queue
    detail = client.get(f"/prestaties/{prestatie.pk}/").content.decode()
    assert 'data-testid="prestatie-warnings"' in detail


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_staff_registering_for_the_worker_are_asked_too(client, work, bemiddelaar):
    _worker, assignment = work
    client.force_login(bemiddelaar)
    url = f"/opdrachten/{assignment.pk}/uren/"
    data = {"date": "2026-03-10", "start_time": "09:00", "end_time": "12:00"}
    response = client.post(url, data)
    assert response.status_code == 200 and 'data-testid="hours-warnings"' in response.content.decode()
    assert client.post(url, {**data, "warnings_confirmed": "on"}).status_code == 302
    assert Prestatie.objects.get().warnings == ["niet_gepland"]


@time_machine.travel(at(2026, 3, 11), tick=False)
def test_plausible_hours_save_at_once(client, work):
    worker, assignment = work
    client.force_login(worker.user)
    response = client.post(f"/opdrachten/{assignment.pk}/uren/",
                           {"date": "2026-03-09", "start_time": "09:00", "end_time": "12:00"})
    assert response.status_code == 302
    assert Prestatie.objects.get().warnings == []


def test_unusual_hours_wait_for_a_person_not_the_automatic_validation(work):
    from assignments.models import PrestatieStatus
    from assignments.services import prestaties_auto_validate

    worker, assignment = work
    with time_machine.travel(at(2026, 3, 11), tick=False):
        usual = prestatie_register(assignment=assignment, date=MONDAY, start_time=time(9), end_time=time(12),
                                   actor=worker.user)
        unusual = prestatie_register(assignment=assignment, date=TUESDAY, start_time=time(9), end_time=time(12),
                                     actor=worker.user)
    with time_machine.travel(at(2026, 4, 1), tick=False):
        assert prestaties_auto_validate() == 1
    usual.refresh_from_db()
    unusual.refresh_from_db()
    assert (usual.status, unusual.status) == (PrestatieStatus.VALIDATED, PrestatieStatus.REGISTERED)
