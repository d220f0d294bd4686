"""The caseload: assigning and handing over, the history of coaches, what needs attention first (with due dates
across month ends and a leap year), filters and counts, and the daily reminders."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching import services
from coaching.models import ActionStatus, CoachPeriod, GoalAction, MeasurementMoment
from coaching.selectors.caseload import AttentionKind, attention_for, measurement_due
from coaching.services.reminders import reminders_run
from tests.coaching.factories import coached_worker, note, scored_measurement
from tests.workers.factories import WorkerFactory
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today
from wijkwerken.core.models import AuditEntry, Notification
from wijkwerken.core.notifications import archived_notifications, new_notifications
from workers import services as worker_services
from workers.models import FollowUp, Trajectory, TrajectoryStatus

pytestmark = pytest.mark.django_db
D = datetime.date


def _trajectory(start, end, status=TrajectoryStatus.ACTIVE, ended_on=None):
    return Trajectory(start_date=start, end_date=end, planned_end_date=end, evaluation_due_on=end, status=status,
                      ended_on=ended_on)


@pytest.mark.parametrize(("last", "due"), [
    (D(2025, 8, 31), D(2026, 2, 28)),  # six months after 31 August: the end of February
    (D(2027, 8, 31), D(2028, 2, 29)),  # in a leap year: 29 February
    (D(2027, 8, 29), D(2028, 2, 29)),
    (D(2028, 2, 29), D(2028, 8, 29)),  # from 29 February
    (D(2026, 3, 31), D(2026, 9, 30)),  # 31 March + 6 months: 30 September
    (D(2026, 7, 31), D(2027, 1, 31)),  # across the year end
])
def test_the_next_measurement_is_due_six_calendar_months_after_the_last(last, due):
    trajectory = _trajectory(D(2025, 1, 1), D(2030, 1, 1))
    result = measurement_due(trajectory=trajectory, measurements=[("intake", last)], interval_months=6,
                             ending_days=30, on=last)
    assert result.moment == MeasurementMoment.PERIODIC and result.due_on == due


def test_intake_first_and_the_end_measurement_when_the_end_comes_near():
    trajectory = _trajectory(D(2026, 1, 31), D(2026, 7, 30))
    intake = measurement_due(trajectory=trajectory, measurements=[], interval_months=6, ending_days=30,
                             on=D(2026, 2, 1))
    assert (intake.moment, intake.due_on) == (MeasurementMoment.INTAKE, D(2026, 1, 31))
    done = [("intake", D(2026, 2, 3))]
    assert measurement_due(trajectory=trajectory, measurements=done, interval_months=6, ending_days=30,
                           on=D(2026, 6, 29)).moment == MeasurementMoment.PERIODIC
    end = measurement_due(trajectory=trajectory, measurements=done, interval_months=6, ending_days=30,
                          on=D(2026, 6, 30))
    assert (end.moment, end.due_on) == (MeasurementMoment.END, D(2026, 7, 30))
    assert measurement_due(trajectory=trajectory, measurements=[*done, ("einde", D(2026, 7, 20))],
                           interval_months=6, ending_days=30, on=D(2026, 7, 21)) is None


@pytest.mark.parametrize(("ended_on", "three", "six"), [
    (D(2027, 11, 30), D(2028, 2, 29), D(2028, 5, 30)),  # a leap year February
    (D(2026, 11, 30), D(2027, 2, 28), D(2027, 5, 30)),
    (D(2026, 8, 31), D(2026, 11, 30), D(2027, 2, 28)),  # month ends and the year end
])
def test_follow_ups_show_on_the_caseload_when_due(organiser, leuven, bemiddelaar, coach, ended_on, three, six):
    with time_machine.travel(datetime.datetime.combine(ended_on, datetime.time(12)), tick=False):
        worker = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=coach, started_days_ago=90)
        worker_services.trajectory_end(trajectory=worker.trajectories.get(), ended_on=ended_on,
                                       outflow_reason="werk", actor=bemiddelaar)
    assert sorted(FollowUp.objects.values_list("due_on", flat=True)) == [three, six]
    for day, shown in ((three - datetime.timedelta(days=15), []), (three - datetime.timedelta(days=14), [three]),
                       (six, [three, six])):
        row = attention_for([worker], on=day)[worker.pk]
        assert [a.due_on for a in row.attention if a.kind == AttentionKind.FOLLOW_UP] == shown


def test_assign_and_hand_over_keep_the_history(worker, coach, other_coach, bemiddelaar):
    assert worker.coach == coach
    period = services.coach_assign(worker=worker, coach=other_coach, reason="verlof", actor=bemiddelaar)
    worker.refresh_from_db()
    assert worker.coach == other_coach
    assert period.coach == other_coach and period.ended_on is None and period.reason == "verlof"
    closed = CoachPeriod.objects.get(worker=worker, coach=coach)
    assert closed.ended_on == today()
    assert AuditEntry.objects.filter(action="coaching.coach_assign", object_id=str(worker.pk)).count() == 2
    assert Notification.objects.filter(recipient=coach, key__startswith="coaching-handed-over:").exists()
    assert Notification.objects.filter(recipient=other_coach, key__startswith="coaching-caseload:").exists()
    with pytest.raises(ValidationError):
        services.coach_assign(worker=worker, coach=other_coach, actor=bemiddelaar)


def test_only_a_werkcoach_of_the_organiser_can_be_assigned(worker, bemiddelaar, other_organiser, make_user):
    from tests.accounts.factories import UserFactory

    stranger = UserFactory(role=Role.WERKCOACH, organiser=other_organiser)
    for wrong in (stranger, make_user(Role.BEMIDDELAAR)):
        with pytest.raises(ValidationError):
            services.coach_assign(worker=worker, coach=wrong, actor=bemiddelaar)
    assert CoachPeriod.objects.filter(worker=worker).count() == 1


def test_the_history_follows_a_change_on_the_worker_form(worker, coach, other_coach, bemiddelaar):
    worker_services.worker_update(worker=worker, coach=other_coach, actor=bemiddelaar)
    assert services.coach_periods_sync(today=today()) == {"closed": 1, "opened": 1}
    assert services.coach_periods_sync(today=today()) == {"closed": 0, "opened": 0}
    assert CoachPeriod.objects.get(worker=worker, ended_on__isnull=True).coach == other_coach


def test_what_needs_attention_first(organiser, leuven, bemiddelaar, coach):
    with time_machine.travel(datetime.datetime(2026, 5, 4, 12), tick=False):
        calm = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=coach, started_days_ago=10)
        scored_measurement(calm, coach)
        note(calm, coach)
        worried = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=coach, started_days_ago=50)
        services.check_in_record(worker=worried, mood=4, energy=4, stress=4, connected=4,
                                 taken_on=D(2026, 4, 20), actor=worried.user)
        services.check_in_record(worker=worried, mood=2, energy=4, stress=4, connected=4, actor=worried.user)
        services.goal_action_add(worker=worried, description="Cv maken", owner="wijkwerker",
                                 due_on=D(2026, 5, 1), actor=coach)
        rows = attention_for([calm, worried], on=D(2026, 5, 4))
    assert rows[calm.pk].attention == []
    kinds = [a.kind for a in rows[worried.pk].attention]
    # No "no contact" yet: the coach took the worker on today, which starts the count.
    assert kinds == [AttentionKind.WELLBEING, AttentionKind.ACTION, AttentionKind.MEASUREMENT]
    assert rows[worried.pk].sort_key() < rows[calm.pk].sort_key()


def test_no_contact_after_the_configured_weeks(organiser, leuven, bemiddelaar, coach, beheerder):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 12), tick=False):
        worker = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=coach, started_days_ago=0)
        scored_measurement(worker, coach)
        note(worker, coach)
    contact = [AttentionKind.NO_CONTACT]

    def kinds(day):
        return [a.kind for a in attention_for([worker], on=day)[worker.pk].attention if a.kind in contact]

    assert kinds(D(2026, 2, 1)) == [] and kinds(D(2026, 2, 2)) == contact  # four weeks after 5 January
    services.coaching_settings_update(organiser=organiser, no_contact_weeks=6, actor=beheerder)
    assert kinds(D(2026, 2, 2)) == [] and kinds(D(2026, 2, 16)) == contact


def test_an_ended_trajectory_asks_for_the_final_measurement_and_the_summary(worker, coach, bemiddelaar):
    scored_measurement(worker, coach)
    worker_services.trajectory_end(trajectory=worker.trajectories.get(), ended_on=today(), outflow_reason="werk",
                                   actor=bemiddelaar)
    item = attention_for([worker], on=today())[worker.pk].attention[0]
    assert item.kind == AttentionKind.CLOSING
    scored_measurement(worker, coach, moment="einde")
    services.portfolio_issue(worker=worker, closing_summary="Klaar voor werk.", actor=coach)
    assert AttentionKind.CLOSING not in [a.kind for a in attention_for([worker], on=today())[worker.pk].attention]


def test_the_caseload_page_filters_and_counts(client, organiser, leuven, herent, bemiddelaar, coach, other_coach):
    sara = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=coach, first_name="Sara",
                          last_name="Peeters")
    scored_measurement(sara, coach)
    note(sara, coach)
    coached_worker(organiser, herent, bemiddelaar=bemiddelaar, coach=coach, first_name="Jan", last_name="Maes")
    coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=other_coach, first_name="Els", last_name="Anders")
    client.force_login(coach)
    body = client.get(reverse("coaching:caseload")).content.decode()
    assert "Sara Peeters" in body and "Jan Maes" in body and "Els Anders" not in body
    body = client.get(reverse("coaching:caseload"), {"attention": "meting"}).content.decode()
    assert "Jan Maes" in body and "Sara Peeters" not in body
    body = client.get(reverse("coaching:caseload"), {"municipality": leuven.pk}).content.decode()
    assert "Sara Peeters" in body and "Jan Maes" not in body
    body = client.get(reverse("coaching:caseload"), {"name": "maes"}).content.decode()
    assert "Jan Maes" in body and "Sara Peeters" not in body
    response = client.get(reverse("coaching:caseload"), HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "coaching/_caseload.html"
    assert [c for c in response.context["counts"] if c[0] == "meting"][0][2] == 1
    assert client.get(reverse("coaching:caseload"), {"attention": "onzin"}).status_code == 200


def test_the_werkcoach_start_page_includes_the_caseload(client, coach):
    client.force_login(coach)
    body = client.get(reverse("core:home")).content.decode()
    assert f'hx-get="{reverse("coaching:caseload")}"' in body


def test_bulk_assignment_through_the_view(client, organiser, leuven, bemiddelaar, coach):
    workers = [WorkerFactory(organiser=organiser, municipality=leuven, last_name=f"Caseloadtest{n}") for n in range(3)]
    client.force_login(bemiddelaar)
    url = reverse("coaching:assign")
    response = client.post(url, {"workers": [w.pk for w in workers[:2]], "coach": coach.pk, "reason": "start"})
    assert response.status_code == 302
    assert {w.pk for w in coach.coached_workers.all()} == {w.pk for w in workers[:2]}
    response = client.post(url, {"workers": [], "coach": coach.pk})
    assert response.status_code == 400
    response = client.post(url, {"workers": [workers[2].pk], "coach": bemiddelaar.pk})
    assert response.status_code == 400
    assert not coach.coached_workers.filter(pk=workers[2].pk).exists()
    body = client.get(url, {"coach": "geen"}).content.decode()
    assert workers[2].last_name in body and workers[0].last_name not in body


def test_daily_reminders_once_per_thing_and_due_date(organiser, leuven, bemiddelaar, coach):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12), tick=False):
        worker = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=coach, started_days_ago=0)
        services.goal_action_add(worker=worker, description="Cv maken", owner="wijkwerker", due_on=D(2026, 3, 9),
                                 actor=coach)
    with time_machine.travel(datetime.datetime(2026, 3, 31, 7), tick=False):
        first = reminders_run(today=D(2026, 3, 31))
        second = reminders_run(today=D(2026, 3, 31))
    assert first["caseload"] == 2  # the intake measurement and no contact in four weeks
    assert first["actions"] == 2  # the coach and the worker about the worker's action
    assert second["caseload"] == 0 and second["actions"] == 0
    keys = set(Notification.objects.filter(recipient=coach).values_list("key", flat=True))
    assert f"coaching-measurement:{worker.trajectories.get().pk}:intake:2026-03-02" in keys
    assert f"coaching-contact:{worker.pk}:2026-03-30" in keys
    assert Notification.objects.filter(recipient=worker.user, key__startswith="coaching-my-action:").count() == 1
    # Once the action is done, both messages about it are no longer new: they go to the archive by themselves.
    about_action = Notification.objects.filter(key__contains="action:")
    assert about_action.count() == 2
    with time_machine.travel(datetime.datetime(2026, 3, 31, 8), tick=False):
        assert all(n in new_notifications(n.recipient) for n in about_action)
        services.goal_action_set_status(action=GoalAction.objects.get(worker=worker), status=ActionStatus.DONE,
                                        actor=coach)
        assert not any(n in new_notifications(n.recipient) for n in about_action)
        assert all(n in archived_notifications(n.recipient) for n in about_action)
