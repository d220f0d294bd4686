"""Coaching hears from workers through Django signals: a trajectory that ends asks the coach at once."""

import pytest

from wijkwerken.core.dates import today
from wijkwerken.core.models import Notification
from workers import services as worker_services

pytestmark = pytest.mark.django_db


def test_ending_a_trajectory_asks_the_coach_for_the_closing_at_once(
    worker, coach, bemiddelaar, django_capture_on_commit_callbacks
):
    trajectory = worker.trajectories.get()
    with django_capture_on_commit_callbacks(execute=True):
        worker_services.trajectory_end(trajectory=trajectory, ended_on=today(), outflow_reason="werk",
                                       actor=bemiddelaar)
    notification = Notification.objects.get(recipient=coach, key=f"coaching-closing:{trajectory.pk}")
    assert str(worker) in notification.text
    # The daily run does not ask again.
    from coaching.services.reminders import reminders_run

    reminders_run(today=today())
    assert Notification.objects.filter(recipient=coach, key__startswith="coaching-closing:").count() == 1
