"""Goals linked to competences, actions with owners and due dates, the review at a measurement."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching import services
from coaching.models import GoalAction, GoalReview
from tests.coaching.factories import scored_measurement
from wijkwerken.core.dates import today

pytestmark = pytest.mark.django_db


def test_goal_actions_and_review_at_a_measurement(worker, coach):
    measurement = scored_measurement(worker, coach)
    punctuality = measurement.framework.competences.get(key="stiptheid")
    goal = services.goal_create(worker=worker, title="Op tijd komen", competence=punctuality, actor=coach)
    action = services.goal_action_add(worker=worker, goal=goal, description="Wekker zetten", owner="wijkwerker",
                                      due_on=today() + datetime.timedelta(days=7), actor=coach)
    services.goal_action_set_status(action=action, status="gedaan", actor=worker.user)
    action.refresh_from_db()
    assert action.status == "gedaan" and action.done_on == today()
    review = services.goal_review(goal=goal, measurement=measurement, progress="bereikt", comment="Altijd stipt",
                                  actor=coach)
    goal.refresh_from_db()
    assert goal.status == "bereikt" and goal.closed_on == measurement.taken_on
    assert review.goal == goal
    with pytest.raises(ValidationError):
        services.goal_review(goal=goal, measurement=measurement, progress="op_koers", actor=coach)
    assert GoalReview.objects.count() == 1


def test_the_worker_only_marks_their_own_actions_done(worker, coach):
    mine = services.goal_action_add(worker=worker, description="Cv", owner="wijkwerker", due_on=today(), actor=coach)
    coachs = services.goal_action_add(worker=worker, description="Bellen", owner="werkcoach", due_on=today(),
                                      actor=coach)
    with pytest.raises(ValidationError):
        services.goal_action_set_status(action=coachs, status="gedaan", actor=worker.user)
    with pytest.raises(ValidationError):
        services.goal_action_set_status(action=mine, status="geschrapt", actor=worker.user)
    assert set(GoalAction.objects.values_list("status", flat=True)) == {"open"}


def test_goals_and_actions_through_the_views(client, worker, coach):
    client.force_login(coach)
    assert client.post(reverse("coaching:goal_create", args=[worker.pk]), {"title": ""}).status_code == 400
    assert client.post(reverse("coaching:goal_create", args=[worker.pk]), {"title": "Zelfstandig werken"}
                       ).status_code == 302
    goal = worker.goals.get()
    url = reverse("coaching:goal_action_create", args=[worker.pk, goal.pk])
    response = client.post(url, {"description": "Planning maken", "owner": "iemand", "due_on": "2026-13-01"})
    assert response.status_code == 400 and not GoalAction.objects.exists()
    response = client.post(url, {"description": "Planning maken", "owner": "wijkwerker",
                                 "due_on": today().isoformat()})
    assert response.status_code == 302
    action = GoalAction.objects.get()
    client.post(reverse("coaching:action_status", args=[action.pk]), {"status": "geschrapt"})
    action.refresh_from_db()
    assert action.status == "geschrapt"
    client.post(reverse("coaching:goal_status", args=[goal.pk]), {"status": "bereikt"})
    goal.refresh_from_db()
    assert goal.status == "bereikt"
    client.force_login(worker.user)
    other = services.goal_action_add(worker=worker, description="Cv", owner="wijkwerker", due_on=today(),
                                     actor=coach)
    assert client.post(reverse("coaching:my_action_done", args=[other.pk])).status_code == 302
    other.refresh_from_db()
    assert other.status == "gedaan"
