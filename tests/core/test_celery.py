"""Celery wiring: a real worker consumes a task from the real Redis broker."""

import pytest
from celery._state import _set_task_join_will_block
from celery.contrib.testing.worker import start_worker
from django.core import mail

from wijkwerken.celery import app
from wijkwerken.core.tasks import clear_expired_sessions, send_email


@pytest.fixture
def redis_worker(settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    app.conf.task_always_eager = False
    app.loader.import_module("celery.contrib.testing.tasks")
    try:
        with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True
        # The worker's pool leaves a process-wide flag saying "this process runs tasks", after which every eager
        # task's result.get() in a later test on this pytest worker raises "Never call result.get() within a task".
        _set_task_join_will_block(False)


def test_task_runs_through_a_real_worker_on_redis(redis_worker):
    result = send_email.delay("Onderwerp", "Inhoud", ["iemand@example.test"])
    assert result.get(timeout=20) == 1
    assert mail.outbox[-1].subject == "Onderwerp"


def test_configuration_is_json_with_time_limits(settings):
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT > app.conf.task_soft_time_limit
    assert "clear-expired-sessions" in app.conf.beat_schedule


@pytest.mark.django_db
def test_clear_expired_sessions_is_safe_to_run_twice():
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - datetime.timedelta(days=1))
    Session.objects.create(session_key="new", session_data="", expire_date=timezone.now() + datetime.timedelta(days=1))
    assert clear_expired_sessions() == 1
    assert clear_expired_sessions() == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


def test_every_scheduled_job_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"{name}: {entry['task']} is not a task"
