import datetime
from datetime import time

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from assignments.models import Assignment, AssignmentStatus, Prestatie, PrestatieStatus
from assignments.selectors import hour_caps
from assignments.services import (
    assignment_create,
    assignment_end,
    assignment_hand_over,
    assignments_end_after_trajectory,
    confirmation_token,
    prestatie_confirm,
    prestatie_correct,
    prestatie_dispute,
    prestatie_from_token,
    prestatie_register,
    prestatie_resolve,
    prestatie_validate,
    prestaties_auto_confirm,
    prestaties_auto_validate,
    prestaties_remind_confirmation,
)
from tests.assignments.fixtures import at, make_assignment, make_worker
from wijkwerken.core.models import AuditEntry
from wijkwerken.core.rules import cheques_for_minutes

pytestmark = pytest.mark.django_db

D = datetime.date


def code_of(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.code


@pytest.fixture
def setup(organiser, leuven, bemiddelaar):
    with time_machine.travel(at(2026, 1, 5, 8), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 1, 5))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 1, 5),
                                     end=D(2026, 6, 30))
    return worker, assignment


def register(assignment, day, start, end, actor=None):
    return prestatie_register(assignment=assignment, date=day, start_time=start, end_time=end,
                              actor=actor or assignment.worker.user)


@pytest.mark.parametrize("minutes,cheques", [(1, 1), (59, 1), (60, 1), (61, 2), (120, 2), (121, 3), (24 * 60, 24)])
def test_one_cheque_per_started_hour(minutes, cheques):
    assert cheques_for_minutes(minutes) == cheques


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_registration_counts_started_hours_and_is_audited(setup):
    worker, assignment = setup
    prestatie = register(assignment, D(2026, 3, 9), time(9), time(10, 1))
    assert (prestatie.minutes, prestatie.cheques, prestatie.status) == (61, 2, PrestatieStatus.REGISTERED)
    assert AuditEntry.objects.for_object(prestatie).get().actor == worker.user


@time_machine.travel(at(2026, 3, 10), tick=False)
@pytest.mark.parametrize("day,start,end,code", [
    (D(2026, 3, 9), time(12), time(11), "end_before_start"),
    (D(2026, 3, 9), time(12), time(12), "end_before_start"),
    (D(2026, 3, 11), time(9), time(10), "in_future"),
    (D(2026, 1, 4), time(9), time(10), "outside_assignment"),
    (D(2026, 7, 1), time(9), time(10), "in_future"),
])
def test_bad_registrations_are_refused_without_side_effects(setup, day, start, end, code):
    _worker, assignment = setup
    with pytest.raises(ValidationError) as error:
        register(assignment, day, start, end)
    assert code_of(error.value) == code
    assert not Prestatie.objects.exists()


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_overlapping_times_for_the_same_worker_are_refused(setup, organiser, leuven, bemiddelaar):
    worker, assignment = setup
    other = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 1), end=D(2026, 3, 31))
    register(assignment, D(2026, 3, 9), time(9), time(11))
    with pytest.raises(ValidationError) as error:
        register(other, D(2026, 3, 9), time(10, 30), time(12))
    assert code_of(error.value) == "overlap"
    register(other, D(2026, 3, 9), time(11), time(12))  # touching is fine
    assert Prestatie.objects.count() == 2


@time_machine.travel(at(2026, 8, 10), tick=False)
def test_no_hours_outside_the_trajectory(organiser, leuven, bemiddelaar):
    with time_machine.travel(at(2026, 1, 5), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 1, 5))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 1, 5), end=D(2026, 7, 4))
    # The six-month trajectory ended on 4 July; an assignment cannot be stretched past it either.
    with pytest.raises(ValidationError) as error:
        register(assignment, D(2026, 7, 6), time(9), time(10))
    assert code_of(error.value) == "outside_assignment"
    Assignment.objects.filter(pk=assignment.pk).update(end_date=D(2026, 7, 31))
    assignment.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        register(assignment, D(2026, 7, 6), time(9), time(10))
    assert code_of(error.value) == "outside_trajectory"


@time_machine.travel(at(2026, 3, 31, 20), tick=False)
def test_month_cap_refuses_with_the_numbers(setup):
    _worker, assignment = setup
    for day in range(2, 21):  # 19 days × 3 h = 57 h in March
        register(assignment, D(2026, 3, day), time(9), time(12))
    with pytest.raises(ValidationError) as error:
        register(assignment, D(2026, 3, 31), time(9), time(13))  # 57 + 4 = 61 > 60
    assert code_of(error.value) == "month_cap"
    message = " ".join(error.value.messages)
    assert "61 u 00" in message and "60" in message and "3 u 00" in message
    register(assignment, D(2026, 3, 31), time(9), time(12))  # exactly 60 h is allowed
    assert hour_caps(worker=assignment.worker, on=D(2026, 3, 31)).month_left_minutes == 0


@time_machine.travel(at(2026, 4, 1, 9), tick=False)
def test_month_cap_starts_again_on_the_first(setup):
    _worker, assignment = setup
    Prestatie.objects.bulk_create([
        Prestatie(organiser=assignment.organiser, assignment=assignment, worker=assignment.worker,
                  client=assignment.client, date=D(2026, 3, d), start_time=time(8), end_time=time(11), minutes=180,
                  cheques=3) for d in range(1, 21)
    ])
    assert hour_caps(worker=assignment.worker, on=D(2026, 3, 31)).month_minutes == 60 * 60
    assert hour_caps(worker=assignment.worker, on=D(2026, 4, 1)).month_minutes == 0
    register(assignment, D(2026, 4, 1), time(8), time(8, 30))


def test_year_cap_at_the_year_boundary(organiser, leuven, bemiddelaar):
    with time_machine.travel(at(2026, 8, 1), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 8, 1), ex_pwa=True)
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 8, 1), end=D(2027, 1, 31))
    # 629 h already in 2026 (recorded directly to set the scene), spread so no month passes 60 h.
    rows, minutes_left = [], 629 * 60
    for month in range(1, 13):
        for day in range(1, 21):
            if minutes_left <= 0:
                break
            chunk = min(180, minutes_left)
            end = (datetime.datetime(2026, 1, 1, 8) + datetime.timedelta(minutes=chunk)).time()
            rows.append(Prestatie(organiser=organiser, assignment=assignment, worker=worker, client=assignment.client,
                                  date=D(2026, month, day), start_time=time(8), end_time=end, minutes=chunk,
                                  cheques=cheques_for_minutes(chunk)))
            minutes_left -= chunk
    Prestatie.objects.bulk_create(rows)
    with time_machine.travel(at(2026, 12, 31, 18), tick=False):
        with pytest.raises(ValidationError) as error:
            register(assignment, D(2026, 12, 31), time(14), time(15, 1))
        assert code_of(error.value) == "year_cap"
        register(assignment, D(2026, 12, 31), time(14), time(15))  # exactly 630 h
    with time_machine.travel(at(2027, 1, 1, 12), tick=False):
        assert hour_caps(worker=worker, on=D(2027, 1, 1)).year_minutes == 0
        register(assignment, D(2027, 1, 1), time(9), time(12))


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_three_steps_and_the_audit_trail(setup, bemiddelaar, django_capture_on_commit_callbacks):
    _worker, assignment = setup
    client_user = assignment.client.contacts.get().user
    prestatie = register(assignment, D(2026, 3, 9), time(9), time(11))
    with django_capture_on_commit_callbacks(execute=True):
        prestatie = prestatie_validate(prestatie=prestatie, actor=bemiddelaar)
    assert mail.outbox[-1].to == [client_user.email]
    assert "/prestaties/bevestig/" in mail.outbox[-1].body
    prestatie = prestatie_confirm(prestatie=prestatie, actor=client_user)
    assert prestatie.status == PrestatieStatus.CONFIRMED
    actions = list(AuditEntry.objects.for_object(prestatie).order_by("id").values_list("action", flat=True))
    assert actions == ["prestatie.register", "prestatie.validate", "prestatie.confirm"]
    with pytest.raises(ValidationError) as error:
        prestatie_confirm(prestatie=prestatie, actor=client_user)
    assert error.value.code == "already_confirmed"


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_another_client_cannot_confirm(setup, bemiddelaar, leuven):
    from tests.assignments.factories import client_with_login

    _worker, assignment = setup
    prestatie = prestatie_validate(prestatie=register(assignment, D(2026, 3, 9), time(9), time(11)), actor=bemiddelaar)
    _other_client, stranger = client_with_login(leuven)
    with pytest.raises(ValidationError) as error:
        prestatie_confirm(prestatie=prestatie, actor=stranger)
    assert error.value.code == "not_client"
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.VALIDATED


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_confirmation_link_works_once(setup, bemiddelaar):
    _worker, assignment = setup
    prestatie = prestatie_validate(prestatie=register(assignment, D(2026, 3, 9), time(9), time(11)), actor=bemiddelaar)
    token = confirmation_token(prestatie)
    assert prestatie_from_token(token) == prestatie
    prestatie_confirm(prestatie=prestatie_from_token(token), actor=None, via_link=True)
    with pytest.raises(ValidationError) as error:
        prestatie_from_token(token)
    assert error.value.code == "link_used"
    with pytest.raises(ValidationError) as error:
        prestatie_from_token(token[:-2] + "xx")
    assert error.value.code == "link_invalid"


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_correction_needs_explicit_confirmation_and_invalidates_old_links(setup, bemiddelaar):
    _worker, assignment = setup
    prestatie = prestatie_validate(prestatie=register(assignment, D(2026, 3, 9), time(9), time(12)), actor=bemiddelaar)
    old_token = confirmation_token(prestatie)
    with time_machine.travel(at(2026, 3, 10, 13), tick=False):
        prestatie = prestatie_correct(prestatie=prestatie, start_time=time(9), end_time=time(10, 30),
                                      note="Gebruiker meldt 1,5 uur", actor=bemiddelaar)
    assert (prestatie.minutes, prestatie.cheques, prestatie.corrected) == (90, 2, True)
    with pytest.raises(ValidationError):
        prestatie_from_token(old_token)
    # Never confirmed automatically, however long the client waits.
    assert prestaties_auto_confirm(on=D(2026, 5, 1)) == 0
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.VALIDATED
    entry = AuditEntry.objects.for_object(prestatie).get(action="prestatie.correct")
    assert entry.changes["hours"] == ["09/03/2026 09:00–12:00", "09/03/2026 09:00–10:30"]


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_dispute_and_resolution(setup, bemiddelaar):
    _worker, assignment = setup
    client_user = assignment.client.contacts.get().user
    prestatie = prestatie_validate(prestatie=register(assignment, D(2026, 3, 9), time(9), time(11)), actor=bemiddelaar)
    with pytest.raises(ValidationError):
        prestatie_dispute(prestatie=prestatie, reason="  ", actor=client_user)
    prestatie = prestatie_dispute(prestatie=prestatie, reason="Pas om 10 u begonnen", actor=client_user)
    assert prestatie.status == PrestatieStatus.DISPUTED
    prestatie = prestatie_resolve(prestatie=prestatie, outcome="upheld", note="Gebeld: klopt", actor=bemiddelaar)
    assert prestatie.status == PrestatieStatus.CONFIRMED and prestatie.resolution_note == "Gebeld: klopt"


def test_auto_validation_after_working_days_skips_weekend_and_holiday(organiser, leuven, bemiddelaar):
    with time_machine.travel(at(2026, 7, 1), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 7, 1))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 7, 1), end=D(2026, 8, 31))
    # Registered on Thursday 16 July 2026. Five working days: Fri 17, Mon 20, (Tue 21 is the national holiday),
    # Wed 22, Thu 23, Fri 24 → validated automatically on Friday 24 July, not before.
    with time_machine.travel(at(2026, 7, 16, 18), tick=False):
        prestatie = register(assignment, D(2026, 7, 16), time(9), time(11))
    assert prestaties_auto_validate(on=D(2026, 7, 23)) == 0
    assert prestaties_auto_validate(on=D(2026, 7, 24)) == 1
    assert prestaties_auto_validate(on=D(2026, 7, 24)) == 0  # a second run changes nothing
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.VALIDATED and prestatie.validated_by is None
    assert AuditEntry.objects.filter(action="prestatie.auto_validate", object_id=str(prestatie.pk)).count() == 1


def test_reminder_then_auto_confirmation(organiser, leuven, bemiddelaar, django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 10, 1), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 10, 1))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 10, 1), end=D(2026, 12, 31))
    # Validated on Friday 23 October, the night the clocks go back: 7 days → confirmed on 30 October,
    # with a reminder 2 days before (28 October).
    with time_machine.travel(at(2026, 10, 23, 23, 30), tick=False):
        prestatie = prestatie_validate(prestatie=register(assignment, D(2026, 10, 23), time(9), time(11)),
                                       actor=bemiddelaar)
    assert prestaties_remind_confirmation(on=D(2026, 10, 27)) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert prestaties_remind_confirmation(on=D(2026, 10, 28)) == 1
        assert prestaties_remind_confirmation(on=D(2026, 10, 29)) == 0
    assert len(mail.outbox) == 1
    assert prestaties_auto_confirm(on=D(2026, 10, 29)) == 0
    assert prestaties_auto_confirm(on=D(2026, 10, 30)) == 1
    assert prestaties_auto_confirm(on=D(2026, 10, 30)) == 0
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.CONFIRMED and prestatie.confirmed_by is None


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_assignment_cannot_outlast_the_trajectory(setup, organiser, leuven, bemiddelaar):
    worker, _assignment = setup
    with pytest.raises(ValidationError) as error:
        make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 16), end=D(2026, 12, 31))
    assert code_of(error.value) == "past_trajectory"


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_ex_pwa_only_activity_needs_an_ex_pwa_worker(setup, bemiddelaar):
    from assignments.models import Activity

    worker, assignment = setup
    Activity.objects.filter(pk=assignment.activity_id).update(ex_pwa_only=True)
    request = assignment.request
    assignment_end(assignment=assignment, reason="test", actor=bemiddelaar)
    with pytest.raises(ValidationError) as error:
        assignment_create(help_request=request, worker=worker, actor=bemiddelaar)
    assert code_of(error.value) == "ex_pwa_only"


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_hand_over_ends_the_old_assignment(setup, organiser, leuven, bemiddelaar):
    _worker, assignment = setup
    other = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 1))
    new = assignment_hand_over(assignment=assignment, worker=other, start_date=D(2026, 3, 16), actor=bemiddelaar)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ENDED
    assert assignment.end_reason.startswith("Overgedragen aan")
    assert new.handed_over_from == assignment and new.start_date == D(2026, 3, 16)


def test_assignments_end_when_the_trajectory_ends(organiser, leuven, bemiddelaar):
    with time_machine.travel(at(2026, 1, 5), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 1, 5))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 1, 5), end=D(2026, 7, 4))
    from workers.services.trajectory_deadlines import trajectory_deadlines_run

    trajectory_deadlines_run(today=D(2026, 7, 5))  # the trajectory ends with "einde termijn"
    assert assignments_end_after_trajectory(on=D(2026, 7, 5)) == 1
    assert assignments_end_after_trajectory(on=D(2026, 7, 5)) == 0
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ENDED
    assert AuditEntry.objects.filter(action="assignment.beeindigd", object_id=str(assignment.pk)).count() == 1


def test_an_ex_pwa_workers_assignment_outlives_the_nominal_end_of_the_trajectory(organiser, leuven, bemiddelaar):
    """The daily job ended an ex-PWA worker's assignments once the trajectory's nominal end date passed."""
    with time_machine.travel(at(2026, 1, 5), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 1, 5), ex_pwa=True)
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 1, 5), end=D(2026, 12, 31))
    assert worker.trajectories.get().end_date == D(2026, 7, 4)
    assert assignments_end_after_trajectory(on=D(2026, 9, 1)) == 0
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
