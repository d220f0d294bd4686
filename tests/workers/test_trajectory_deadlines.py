import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from tests.workers.factories import WorkerFactory
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import AuditEntry, Notification
from workers import services
from workers.models import FollowUp, Trajectory
from workers.services.trajectory_deadlines import trajectory_deadlines_run
from workers.tasks import run_trajectory_deadlines

pytestmark = pytest.mark.django_db

D = datetime.date


def state():
    """Everything the clock may change, to compare two runs."""
    return (
        list(Trajectory.objects.order_by("pk").values()),
        list(FollowUp.objects.order_by("pk").values()),
        Notification.objects.count(),
        AuditEntry.objects.count(),
        len(mail.outbox),
    )


@pytest.fixture
def people(make_user, organiser, leuven):
    coach = make_user(Role.WERKCOACH)
    login = make_user(Role.WIJKWERKER, municipality=leuven)
    return coach, login


def run(day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return trajectory_deadlines_run(today=day)


def test_the_clock_ends_a_trajectory_on_its_end_date(worker, start, people, django_capture_on_commit_callbacks):
    trajectory = start(worker, D(2026, 1, 31))
    assert trajectory.end_date == D(2026, 7, 30)
    assert run(D(2026, 7, 29), django_capture_on_commit_callbacks)["ended"] == 0
    result = run(D(2026, 7, 30), django_capture_on_commit_callbacks)
    assert result["ended"] == 1
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.ended_on, trajectory.outflow_reason) == (
        "ended",
        D(2026, 7, 30),
        "einde_termijn",
    )
    assert list(trajectory.follow_ups.values_list("months_after", "due_on")) == [
        (3, D(2026, 10, 30)),
        (6, D(2027, 1, 30)),
    ]
    entry = AuditEntry.objects.for_object(worker).get(action="trajectory.end")
    assert entry.actor is None and entry.organiser == worker.organiser
    assert Notification.objects.filter(recipient=worker.bemiddelaar, key=f"trajectory-ended:{trajectory.pk}").exists()


def test_running_twice_changes_nothing_the_second_time(
    worker, start, people, organiser, leuven, django_capture_on_commit_callbacks
):
    coach, login = people
    services.worker_update(worker=worker, actor=worker.bemiddelaar, coach=coach)
    services.worker_account_link(worker=worker, user=login, actor=worker.bemiddelaar)
    ending = start(worker, D(2026, 1, 1))
    ended = start(WorkerFactory(organiser=organiser, municipality=leuven), D(2025, 12, 1))
    evaluated = start(WorkerFactory(organiser=organiser, municipality=leuven), D(2026, 1, 3))
    day = D(2026, 6, 2)
    first = run(day, django_capture_on_commit_callbacks)
    assert first == {"ended": 1, "warned": 2, "evaluations": 0, "follow_ups": 0}
    assert Trajectory.objects.get(pk=ended.pk).status == "ended"
    # bemiddelaar, coach and the worker's own login are warned, in the app and by e-mail
    recipients = set(
        Notification.objects.filter(key__startswith=f"trajectory-ending:{ending.pk}:").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {worker.bemiddelaar_id, coach.pk, login.pk}
    assert {m.to[0] for m in mail.outbox} >= {coach.email, login.email}
    before = state()
    second = run(day, django_capture_on_commit_callbacks)
    assert second == {"ended": 0, "warned": 0, "evaluations": 0, "follow_ups": 0}
    assert state() == before
    assert Trajectory.objects.get(pk=evaluated.pk).end_warning_sent_for == D(2026, 7, 2)


def test_a_moved_end_date_is_warned_again(worker, start, django_capture_on_commit_callbacks):
    trajectory = start(worker, D(2026, 1, 1))
    run(D(2026, 6, 5), django_capture_on_commit_callbacks)
    services.trajectory_extend(trajectory=trajectory, new_end_date=D(2026, 7, 15), reason="x", actor=worker.bemiddelaar)
    assert run(D(2026, 6, 20), django_capture_on_commit_callbacks)["warned"] == 1
    assert Notification.objects.filter(recipient=worker.bemiddelaar).count() == 2


def test_warning_days_come_from_the_rules(organiser, worker, start, django_capture_on_commit_callbacks):
    from tests.core.factories import RuleSetFactory

    RuleSetFactory(organiser=organiser, valid_from=D(2026, 1, 1), trajectory_end_warning_days=10)
    start(worker, D(2026, 1, 1))  # ends 30/06
    assert run(D(2026, 6, 19), django_capture_on_commit_callbacks)["warned"] == 0
    assert run(D(2026, 6, 20), django_capture_on_commit_callbacks)["warned"] == 1


def test_year_end_evaluation_reminder_end_and_follow_ups(worker, start, django_capture_on_commit_callbacks):
    trajectory = start(worker, D(2026, 7, 1))
    assert (trajectory.end_date, trajectory.evaluation_due_on) == (D(2026, 12, 31), D(2026, 12, 31))
    assert run(D(2026, 12, 23), django_capture_on_commit_callbacks)["evaluations"] == 0
    assert run(D(2026, 12, 24), django_capture_on_commit_callbacks)["evaluations"] == 1
    assert run(D(2026, 12, 25), django_capture_on_commit_callbacks)["evaluations"] == 0
    assert run(D(2026, 12, 31), django_capture_on_commit_callbacks)["ended"] == 1
    assert run(D(2027, 1, 1), django_capture_on_commit_callbacks) == {
        "ended": 0,
        "warned": 0,
        "evaluations": 0,
        "follow_ups": 0,
    }
    assert list(FollowUp.objects.values_list("months_after", "due_on")) == [(3, D(2027, 3, 31)), (6, D(2027, 6, 30))]
    assert run(D(2027, 3, 23), django_capture_on_commit_callbacks)["follow_ups"] == 0
    assert run(D(2027, 3, 24), django_capture_on_commit_callbacks)["follow_ups"] == 1
    assert FollowUp.objects.get(months_after=3).reminded_at is not None
    assert FollowUp.objects.get(months_after=6).reminded_at is None
    assert run(D(2027, 3, 25), django_capture_on_commit_callbacks)["follow_ups"] == 0


def test_other_organisers_workers_get_the_rules_of_their_own_organiser(
    other_organiser, worker, start, django_capture_on_commit_callbacks
):
    from wijkwerken.core.models import Municipality

    gent = Municipality.objects.get(nis_code="44021")
    stranger = WorkerFactory(organiser=other_organiser, municipality=gent)
    start(stranger, D(2026, 1, 1))
    start(worker, D(2026, 1, 1))
    assert run(D(2026, 6, 15), django_capture_on_commit_callbacks)["warned"] == 2


@time_machine.travel(datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC))  # 02:30 on the DST switch day
def test_the_beat_task_uses_the_local_date_at_the_dst_switch(worker, start, django_capture_on_commit_callbacks):
    trajectory = start(worker, D(2026, 4, 26))
    assert trajectory.end_date == D(2026, 10, 25)
    with django_capture_on_commit_callbacks(execute=True):
        result = run_trajectory_deadlines.delay().get()
    assert result["ended"] == 1
    trajectory.refresh_from_db()
    assert trajectory.ended_on == D(2026, 10, 25)


@time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC))  # already 1 January in Brussels
def test_new_year_in_brussels(worker, start, django_capture_on_commit_callbacks):
    trajectory = start(worker, D(2026, 7, 2))
    assert trajectory.end_date == D(2027, 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_trajectory_deadlines.delay().get()["ended"] == 1


def test_the_clock_runs_daily_from_the_beat_schedule():
    from django.conf import settings

    from wijkwerken.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["workers-trajectory-deadlines"]
    assert entry["task"] == run_trajectory_deadlines.name == "workers.tasks.run_trajectory_deadlines"
    assert run_trajectory_deadlines.name in app.tasks


def test_an_ex_pwa_trajectory_never_ends_by_itself(organiser, leuven, start, django_capture_on_commit_callbacks):
    """The law gives ex-PWA workers no end: the daily run reminds the evaluation but never ends nor warns."""
    ex_pwa = WorkerFactory(organiser=organiser, municipality=leuven, ex_pwa=True)
    trajectory = start(ex_pwa, D(2026, 1, 31))
    assert trajectory.max_end_date is None and trajectory.end_date == D(2026, 7, 30)
    for day in (D(2026, 7, 25), D(2026, 7, 30), D(2027, 3, 1)):
        result = run(day, django_capture_on_commit_callbacks)
        assert (result["ended"], result["warned"]) == (0, 0)
    trajectory.refresh_from_db()
    assert trajectory.status == "active" and trajectory.evaluation_reminded_for == D(2026, 7, 30)
    assert not Notification.objects.filter(key__startswith="trajectory-end").exists()
    assert trajectory.covers(D(2030, 1, 1)) and trajectory.last_day > D(2100, 1, 1)
    assert list(Trajectory.objects.covering(D(2030, 1, 1))) == [trajectory]
    assert not Trajectory.objects.ending_within(today=D(2026, 7, 25), days=30).exists()


def test_a_trajectory_entered_with_its_end_past_is_ended_as_it_is_written(worker, bemiddelaar):
    """Before, it stayed "actief" past its end until the nightly run."""
    with time_machine.travel(datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC), tick=False):
        trajectory = services.trajectory_start(worker=worker, start_date=D(2025, 3, 1), actor=bemiddelaar)
    assert (trajectory.status, trajectory.ended_on, trajectory.outflow_reason) == (
        "ended", D(2025, 8, 31), "einde_termijn")
    assert trajectory.follow_ups.count() == 2
    assert AuditEntry.objects.for_object(worker).filter(action="trajectory.end").count() == 1


def test_a_trajectory_entered_afterwards_may_bring_its_extension(worker, bemiddelaar):
    with time_machine.travel(datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC), tick=False):
        trajectory = services.trajectory_start(worker=worker, start_date=D(2026, 3, 1), end_date=D(2027, 2, 28),
                                               actor=bemiddelaar)
        assert trajectory.status == "active" and trajectory.end_date == D(2027, 2, 28)
        extension = trajectory.extensions.get()
        assert (extension.previous_end_date, extension.new_end_date) == (D(2026, 8, 31), D(2027, 2, 28))
        other = WorkerFactory(organiser=worker.organiser, municipality=worker.municipality)
        for end_date, code in ((D(2027, 3, 1), "beyond_cap"), (D(2026, 8, 1), "end_before_planned")):
            with pytest.raises(ValidationError) as error:
                services.trajectory_start(worker=other, start_date=D(2026, 3, 1), end_date=end_date,
                                          actor=bemiddelaar)
            assert error.value.error_dict["end_date"][0].code == code
        assert not other.trajectories.exists()


def test_an_evaluation_reminder_resolves_itself_once_the_evaluation_is_done(worker, start, bemiddelaar,
                                                                             django_capture_on_commit_callbacks):
    from wijkwerken.core.notifications import new_notifications

    trajectory = start(worker, D(2026, 1, 1))
    run(trajectory.evaluation_due_on - datetime.timedelta(days=3), django_capture_on_commit_callbacks)
    reminder = Notification.objects.get(recipient=bemiddelaar, key__startswith="evaluation:")
    assert (reminder.about_kind, reminder.about_id) == ("trajectory.evaluation_due", trajectory.pk)
    assert reminder in new_notifications(bemiddelaar)
    services.trajectory_evaluate(trajectory=trajectory, evaluated_on=trajectory.evaluation_due_on, note="Goed",
                                 actor=bemiddelaar)
    assert reminder not in new_notifications(bemiddelaar)
