import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from tests.core.factories import RuleSetFactory
from tests.workers.factories import WorkerFactory, national_number
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import AuditEntry
from workers import services
from workers.models import Availability, FollowUp, Trajectory, TrajectoryStatus, Worker, WorkerActivity

pytestmark = pytest.mark.django_db

D = datetime.date


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


# --- registry ---------------------------------------------------------------------------------------------------


def test_worker_create_stores_normalised_identity_and_derived_municipality(organiser, worker_data, bemiddelaar, leuven):
    worker_data["national_number"] = "85.07.30-033.28"
    worker_data["iban"] = "be71096123456769"
    worker = services.worker_create(
        organiser=organiser,
        actor=bemiddelaar,
        skills=["klein-tuinonderhoud"],
        interests=["logistieke-taken"],
        availability=["0-morning", "2-evening"],
        **worker_data,
    )
    worker.refresh_from_db()
    assert worker.national_number == "85073003328"
    assert worker.iban == "BE71 0961 2345 6769"
    assert worker.municipality == leuven
    assert set(worker.activities.values_list("activity", "kind")) == {
        ("klein-tuinonderhoud", "skill"),
        ("logistieke-taken", "interest"),
    }
    assert set(worker.availability.values_list("weekday", "part")) == {(0, "morning"), (2, "evening")}
    entry = AuditEntry.objects.for_object(worker).get()
    assert entry.action == "worker.create" and entry.actor == bemiddelaar and entry.organiser == organiser


def test_worker_born_after_2000_is_accepted(organiser, worker_data, bemiddelaar):
    worker_data["national_number"] = national_number(3, born=D(2004, 2, 29))
    worker = services.worker_create(organiser=organiser, actor=bemiddelaar, **worker_data)
    assert worker.national_number.startswith("040229")


def test_bis_number_is_accepted(organiser, worker_data, bemiddelaar):
    from stdnum.be import bis

    # A BIS number has the birth month raised by 20 or 40; the check digits are found with stdnum.
    base = "854730001"
    number = next(base + f"{c:02d}" for c in range(100) if bis.is_valid(base + f"{c:02d}"))
    worker_data["national_number"] = number
    assert services.worker_create(organiser=organiser, actor=bemiddelaar, **worker_data).national_number == number


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("national_number", "85.07.30-033.29", "invalid_national_number"),
        ("postcode", "1000", "not_flemish"),  # Brussels
        ("postcode", "4000", "not_flemish"),  # Liège
        ("postcode", "9000", "outside_organiser"),  # Gent: Flemish, but not ours
        ("iban", "BE71 0961 2345 6768", "invalid_iban"),
    ],
)
def test_bad_registration_input_saves_nothing(organiser, worker_data, bemiddelaar, field, value, code, other_organiser):
    worker_data[field] = value
    with pytest.raises(ValidationError) as error:
        services.worker_create(organiser=organiser, actor=bemiddelaar, **worker_data)
    assert code in codes(error.value)
    assert not Worker.objects.exists()
    assert not AuditEntry.objects.filter(action="worker.create").exists()


def test_the_same_person_cannot_be_registered_twice(organiser, worker_data, bemiddelaar):
    services.worker_create(organiser=organiser, actor=bemiddelaar, **worker_data)
    with pytest.raises(ValidationError) as error:
        services.worker_create(organiser=organiser, actor=bemiddelaar, **worker_data)
    assert codes(error.value) == {"duplicate_national_number"}
    assert Worker.objects.count() == 1


def test_unknown_skill_is_refused(organiser, worker_data, bemiddelaar):
    with pytest.raises(ValidationError) as error:
        services.worker_create(organiser=organiser, actor=bemiddelaar, skills=["raketbouw"], **worker_data)
    assert codes(error.value) == {"unknown_activity"}
    assert not Worker.objects.exists()


def test_worker_update_audits_changes_without_the_number(worker, bemiddelaar, herent):
    services.worker_update(
        worker=worker,
        actor=bemiddelaar,
        postcode="3020",
        city="Herent",
        national_number=national_number(500),
        availability=["4-afternoon"],
    )
    worker.refresh_from_db()
    assert worker.municipality == herent
    entry = AuditEntry.objects.for_object(worker).get(action="worker.update")
    assert entry.changes["national_number"] == ["•", "•"]
    assert entry.changes["municipality"] == ["Leuven", "Herent"]
    assert entry.changes["availability"] == [[], ["4-afternoon"]]
    assert list(Availability.objects.filter(worker=worker).values_list("weekday", "part")) == [(4, "afternoon")]


def test_worker_update_without_changes_writes_no_audit(worker, bemiddelaar):
    services.worker_update(worker=worker, actor=bemiddelaar, first_name=worker.first_name)
    assert not AuditEntry.objects.for_object(worker).exists()
    assert not WorkerActivity.objects.exists()


def test_coach_must_be_a_werkcoach_of_the_organiser(worker, bemiddelaar, other_organiser):
    from tests.accounts.factories import UserFactory

    stranger = UserFactory(role=Role.WERKCOACH, organiser=other_organiser)
    with pytest.raises(ValidationError) as error:
        services.worker_update(worker=worker, actor=bemiddelaar, coach=stranger)
    assert codes(error.value) == {"foreign_staff"}


def test_worker_account_create_makes_a_wijkwerker_login_and_mails_it(
    worker, bemiddelaar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.worker_account_create(worker=worker, email="Worker@Example.test", actor=bemiddelaar)
    worker.refresh_from_db()
    assert worker.user == user
    assert user.role == Role.WIJKWERKER and user.organiser == worker.organiser and not user.has_usable_password()
    assert mail.outbox[0].to == ["worker@example.test"]
    with pytest.raises(ValidationError) as error:
        services.worker_account_create(worker=worker, email="other@example.test", actor=bemiddelaar)
    assert codes(error.value) == {"has_login"}


# --- trajectory -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start_date", "planned_end", "cap", "evaluation"),
    [
        (D(2026, 1, 1), D(2026, 6, 30), D(2026, 12, 31), D(2026, 6, 30)),
        (D(2026, 1, 31), D(2026, 7, 30), D(2027, 1, 30), D(2026, 7, 30)),
        (D(2028, 2, 29), D(2028, 8, 28), D(2029, 2, 27), D(2028, 8, 28)),  # leap day; 2029 has no 29 February
        (D(2026, 8, 31), D(2027, 2, 27), D(2027, 8, 30), D(2027, 2, 27)),  # clamped at the end of February
        (D(2026, 12, 31), D(2027, 6, 29), D(2027, 12, 30), D(2027, 6, 29)),
        (D(2026, 3, 29), D(2026, 9, 28), D(2027, 3, 28), D(2026, 9, 28)),  # the day of the DST switch
    ],
)
def test_trajectory_start_dates_follow_the_rules(worker, start, bemiddelaar, start_date, planned_end, cap, evaluation):
    trajectory = start(worker, start_date)
    assert (trajectory.planned_end_date, trajectory.end_date) == (planned_end, planned_end)
    assert trajectory.max_end_date == cap
    assert trajectory.evaluation_due_on == evaluation
    assert trajectory.status == TrajectoryStatus.ACTIVE
    entry = AuditEntry.objects.for_object(worker).get(action="trajectory.start")
    assert entry.changes["trajectory"] == trajectory.pk


def test_planned_length_comes_from_the_rules_valid_on_the_start_date(organiser, worker, start):
    RuleSetFactory(organiser=organiser, valid_from=D(2026, 6, 1), trajectory_planned_months=4)
    assert start(worker, D(2026, 5, 31)).planned_end_date == D(2026, 11, 29)
    worker2 = WorkerFactory(organiser=organiser, municipality=worker.municipality)
    assert start(worker2, D(2026, 6, 1)).planned_end_date == D(2026, 9, 30)


def test_ex_pwa_worker_has_no_cap(organiser, leuven, start, bemiddelaar):
    worker = WorkerFactory(organiser=organiser, municipality=leuven, ex_pwa=True)
    trajectory = start(worker, D(2026, 1, 1))
    assert trajectory.max_end_date is None
    services.trajectory_extend(trajectory=trajectory, new_end_date=D(2029, 12, 31), reason="PWA", actor=bemiddelaar)
    trajectory.refresh_from_db()
    assert trajectory.end_date == D(2029, 12, 31)


def test_extension_up_to_the_cap_and_not_beyond(worker, start, bemiddelaar):
    trajectory = start(worker, D(2026, 1, 31))
    services.trajectory_extend(
        trajectory=trajectory, new_end_date=D(2027, 1, 30), reason="Goed bezig", actor=bemiddelaar
    )
    trajectory.refresh_from_db()
    assert trajectory.end_date == D(2027, 1, 30)
    assert trajectory.extensions.get().previous_end_date == D(2026, 7, 30)
    with pytest.raises(ValidationError) as error:
        services.trajectory_extend(trajectory=trajectory, new_end_date=D(2027, 1, 31), reason="x", actor=bemiddelaar)
    assert codes(error.value) == {"beyond_cap"}
    with pytest.raises(ValidationError) as error:
        services.trajectory_extend(trajectory=trajectory, new_end_date=D(2026, 12, 1), reason="x", actor=bemiddelaar)
    assert codes(error.value) == {"extension_not_later"}
    trajectory.refresh_from_db()
    assert trajectory.end_date == D(2027, 1, 30)
    assert AuditEntry.objects.for_object(worker).filter(action="trajectory.extend").count() == 1


def test_removing_ex_pwa_is_refused_when_the_trajectory_is_past_the_cap(organiser, leuven, start, bemiddelaar):
    worker = WorkerFactory(organiser=organiser, municipality=leuven, ex_pwa=True)
    trajectory = start(worker, D(2026, 1, 1))
    services.trajectory_extend(trajectory=trajectory, new_end_date=D(2027, 6, 30), reason="PWA", actor=bemiddelaar)
    with pytest.raises(ValidationError) as error:
        services.worker_update(worker=worker, actor=bemiddelaar, ex_pwa=False)
    assert codes(error.value) == {"beyond_cap"}
    worker.refresh_from_db()
    assert worker.ex_pwa


def test_setting_ex_pwa_lifts_the_cap(worker, start, bemiddelaar):
    trajectory = start(worker, D(2026, 1, 1))
    services.worker_update(worker=worker, actor=bemiddelaar, ex_pwa=True)
    trajectory.refresh_from_db()
    assert trajectory.max_end_date is None


def test_overlapping_trajectories_are_refused(worker, start, bemiddelaar):
    trajectory = start(worker, D(2026, 1, 1))
    with pytest.raises(ValidationError) as error:
        start(worker, D(2026, 3, 1))
    assert codes(error.value) == {"overlapping_trajectory"}
    services.trajectory_end(trajectory=trajectory, ended_on=D(2026, 4, 15), outflow_reason="werk", actor=bemiddelaar)
    with pytest.raises(ValidationError) as error:
        start(worker, D(2026, 4, 15))
    assert codes(error.value) == {"overlapping_trajectory"}
    second = start(worker, D(2026, 4, 16))
    assert worker.trajectories.count() == 2
    assert second.is_active and not Trajectory.objects.get(pk=trajectory.pk).is_active


def test_suspension_across_a_month_end_moves_end_cap_and_evaluation(worker, start, bemiddelaar):
    trajectory = start(worker, D(2026, 1, 1))
    suspension = services.trajectory_suspend(
        trajectory=trajectory, start_date=D(2026, 1, 25), end_date=D(2026, 2, 5), reason="Ziekte", actor=bemiddelaar
    )
    assert suspension.days == 12
    trajectory.refresh_from_db()
    assert trajectory.end_date == D(2026, 7, 12)
    assert trajectory.max_end_date == D(2027, 1, 12)
    assert trajectory.evaluation_due_on == D(2026, 7, 12)
    entry = AuditEntry.objects.for_object(worker).get(action="trajectory.suspend")
    assert entry.changes["end_date"] == ["2026-06-30", "2026-07-12"]


@pytest.mark.parametrize(
    ("start_date", "end_date", "code"),
    [
        (D(2025, 12, 20), D(2026, 1, 10), "outside_trajectory"),
        (D(2026, 7, 3), D(2026, 7, 10), "outside_trajectory"),
        (D(2026, 3, 10), D(2026, 3, 1), "end_before_start"),
        (D(2026, 2, 28), D(2026, 3, 3), "overlapping_suspension"),
    ],
)
def test_bad_suspensions_change_nothing(worker, start, bemiddelaar, start_date, end_date, code):
    trajectory = start(worker, D(2026, 1, 1))
    services.trajectory_suspend(
        trajectory=trajectory, start_date=D(2026, 3, 1), end_date=D(2026, 3, 2), reason="Ziekte", actor=bemiddelaar
    )
    with pytest.raises(ValidationError) as error:
        services.trajectory_suspend(
            trajectory=trajectory, start_date=start_date, end_date=end_date, reason="x", actor=bemiddelaar
        )
    assert codes(error.value) == {code}
    trajectory.refresh_from_db()
    assert trajectory.end_date == D(2026, 7, 2)
    assert trajectory.suspensions.count() == 1


def test_end_with_outflow_reason_plans_follow_ups(worker, start, bemiddelaar):
    trajectory = start(worker, D(2026, 1, 1))
    services.trajectory_end(
        trajectory=trajectory, ended_on=D(2026, 5, 31), outflow_reason="werk", note="Vast contract", actor=bemiddelaar
    )
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.ended_on, trajectory.outflow_reason) == ("ended", D(2026, 5, 31), "werk")
    assert list(trajectory.follow_ups.values_list("months_after", "due_on")) == [
        (3, D(2026, 8, 31)),
        (6, D(2026, 11, 30)),
    ]
    assert AuditEntry.objects.for_object(worker).filter(action="trajectory.end").count() == 1


@pytest.mark.parametrize(
    ("ended_on", "reason", "code"),
    [
        (D(2025, 12, 31), "werk", "end_before_start"),
        (D(2026, 7, 1), "werk", "after_end_date"),
        (D(2026, 3, 1), "pensioen", "invalid_reason"),
    ],
)
def test_bad_ends_change_nothing(worker, start, bemiddelaar, ended_on, reason, code):
    trajectory = start(worker, D(2026, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.trajectory_end(trajectory=trajectory, ended_on=ended_on, outflow_reason=reason, actor=bemiddelaar)
    assert codes(error.value) == {code}
    trajectory.refresh_from_db()
    assert trajectory.is_active and not FollowUp.objects.exists()


def test_an_ended_trajectory_cannot_change(worker, start, bemiddelaar):
    trajectory = start(worker, D(2026, 1, 1))
    services.trajectory_end(trajectory=trajectory, ended_on=D(2026, 2, 1), outflow_reason="ziekte", actor=bemiddelaar)
    for call in (
        lambda: services.trajectory_end(
            trajectory=trajectory, ended_on=D(2026, 2, 2), outflow_reason="werk", actor=bemiddelaar
        ),
        lambda: services.trajectory_extend(
            trajectory=trajectory, new_end_date=D(2026, 9, 1), reason="x", actor=bemiddelaar
        ),
        lambda: services.trajectory_suspend(
            trajectory=trajectory, start_date=D(2026, 1, 5), end_date=D(2026, 1, 6), reason="x", actor=bemiddelaar
        ),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert codes(error.value) == {"not_active"}


def test_evaluation_moves_the_next_evaluation(worker, start, bemiddelaar):
    trajectory = start(worker, D(2026, 1, 1))
    services.trajectory_evaluate(trajectory=trajectory, evaluated_on=D(2026, 6, 25), note="Goed", actor=bemiddelaar)
    trajectory.refresh_from_db()
    assert trajectory.last_evaluated_on == D(2026, 6, 25)
    assert trajectory.evaluation_due_on == D(2026, 12, 25)


def test_follow_up_record(worker, start, bemiddelaar):
    trajectory = start(worker, D(2026, 1, 1))
    services.trajectory_end(
        trajectory=trajectory, ended_on=D(2026, 3, 31), outflow_reason="opleiding", actor=bemiddelaar
    )
    follow_up = trajectory.follow_ups.get(months_after=3)
    with pytest.raises(ValidationError) as error:
        services.follow_up_record(follow_up=follow_up, done_on=D(2026, 3, 1), situation="werk", actor=bemiddelaar)
    assert codes(error.value) == {"before_end"}
    services.follow_up_record(
        follow_up=follow_up, done_on=D(2026, 7, 1), situation="werk", note="Aan het werk", actor=bemiddelaar
    )
    follow_up.refresh_from_db()
    assert (follow_up.done_on, follow_up.situation) == (D(2026, 7, 1), "werk")


def test_trajectory_on_gives_the_covering_trajectory(worker, start, bemiddelaar):
    from workers.selectors import trajectory_on

    trajectory = start(worker, D(2026, 1, 1))
    assert trajectory_on(worker=worker, day=D(2026, 6, 30)) == trajectory
    assert trajectory_on(worker=worker, day=D(2026, 7, 1)) is None
    services.trajectory_end(trajectory=trajectory, ended_on=D(2026, 3, 1), outflow_reason="werk", actor=bemiddelaar)
    assert trajectory_on(worker=worker, day=D(2026, 3, 1)) == trajectory
    assert trajectory_on(worker=worker, day=D(2026, 3, 2)) is None


# --- interim work -----------------------------------------------------------------------------------------------


def test_interim_work_over_ten_days_in_28_warns(worker, bemiddelaar):
    from workers.selectors import interim_warning

    services.interim_work_record(
        worker=worker, start_date=D(2026, 1, 26), end_date=D(2026, 2, 4), employer="Randstad", actor=bemiddelaar
    )
    assert interim_warning(worker) is None  # 10 days: allowed
    services.interim_work_record(
        worker=worker, start_date=D(2026, 2, 20), end_date=D(2026, 2, 20), employer="Randstad", actor=bemiddelaar
    )
    warning = interim_warning(worker)
    assert warning is not None and warning.days == 11 and warning.max_days == 10
    assert warning.window_end == D(2026, 2, 20) and warning.window_start == D(2026, 1, 24)
    with pytest.raises(ValidationError) as error:
        services.interim_work_record(
            worker=worker, start_date=D(2026, 2, 1), end_date=D(2026, 2, 2), employer="x", actor=bemiddelaar
        )
    assert codes(error.value) == {"overlapping_interim"}


def test_interim_days_outside_the_window_do_not_count(worker, bemiddelaar):
    from workers.selectors import interim_warning

    services.interim_work_record(
        worker=worker, start_date=D(2026, 1, 1), end_date=D(2026, 1, 10), employer="A", actor=bemiddelaar
    )
    services.interim_work_record(
        worker=worker, start_date=D(2026, 1, 29), end_date=D(2026, 1, 29), employer="A", actor=bemiddelaar
    )
    assert interim_warning(worker) is None


@time_machine.travel(datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC))
def test_today_at_the_dst_switch_is_the_local_date(worker, start):
    from wijkwerken.core.dates import today

    assert today() == D(2026, 3, 29)
    assert start(worker, today()).end_date == D(2026, 9, 28)
