"""Wellbeing check-ins: by the worker on the phone or by the coach with them; a low score or a drop of two points
flags the worker and tells the coach."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching import services
from coaching.models import CheckIn
from coaching.selectors.caseload import AttentionKind, attention_for
from coaching.selectors.wellbeing import wellbeing_chart
from tests.coaching.factories import coached_worker
from wijkwerken.core.dates import today
from wijkwerken.core.models import Notification

pytestmark = pytest.mark.django_db
GOOD = {"mood": 4, "energy": 4, "stress": 4, "connected": 4}


def _flags(worker):
    return [a for a in attention_for([worker], on=today())[worker.pk].attention if a.kind == AttentionKind.WELLBEING]


def test_a_drop_of_two_points_flags_and_tells_the_coach(worker, coach):
    services.check_in_record(worker=worker, taken_on=today() - datetime.timedelta(days=7), actor=worker.user, **GOOD)
    assert not _flags(worker)
    check_in = services.check_in_record(worker=worker, actor=worker.user, **{**GOOD, "energy": 3})
    assert not _flags(worker)  # one point is no drop
    assert not Notification.objects.filter(recipient=coach, key=f"coaching-wellbeing:{check_in.pk}").exists()
    CheckIn.objects.filter(pk=check_in.pk).update(taken_on=today() - datetime.timedelta(days=3))
    dropped = services.check_in_record(worker=worker, actor=worker.user, **{**GOOD, "connected": 2})
    assert "gedaald" in _flags(worker)[0].text or "dropped" in _flags(worker)[0].text
    assert Notification.objects.filter(recipient=coach, key=f"coaching-wellbeing:{dropped.pk}").exists()


def test_a_low_score_flags_even_without_an_earlier_check_in(worker, coach):
    services.check_in_record(worker=worker, actor=worker.user, **{**GOOD, "mood": 1})
    assert len(_flags(worker)) == 1


def test_a_check_in_for_another_worker_is_refused(organiser, leuven, bemiddelaar, worker, coach, other_coach):
    other = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=other_coach)
    for actor in (worker.user, coach, bemiddelaar):
        with pytest.raises(ValidationError) as error:
            services.check_in_record(worker=other, actor=actor, **GOOD)
        assert error.value.error_list[0].code == "not_your_worker"
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("bad", [{"mood": 0}, {"mood": 6}, {"stress": "5"}, {"energy": True}])
def test_a_score_outside_1_to_5_is_refused(worker, bad):
    with pytest.raises(ValidationError):
        services.check_in_record(worker=worker, actor=worker.user, **{**GOOD, **bad})
    assert not CheckIn.objects.exists()


def test_the_coach_fills_in_a_check_in_with_the_worker(worker, coach):
    check_in = services.check_in_record(worker=worker, actor=coach, **GOOD)
    assert check_in.entered_by == coach and not check_in.by_worker
    with pytest.raises(ValidationError):
        services.check_in_record(worker=worker, actor=worker.user, **GOOD)  # one a day


def test_the_worker_checks_in_on_their_page(client, worker):
    client.force_login(worker.user)
    url = reverse("coaching:my_check_in")
    response = client.post(url, {"mood": "7", "energy": "3", "stress": "3", "connected": "3"})
    assert response.status_code == 400 and not CheckIn.objects.exists()
    response = client.post(url, {"mood": "4", "energy": "3", "stress": "3", "connected": "5",
                                 "sentence": "Drukke week."})
    assert response.status_code == 302
    assert CheckIn.objects.get().sentence == "Drukke week."


def test_the_line_chart_has_one_line_per_scale(worker):
    for days in (14, 7, 0):
        services.check_in_record(worker=worker, taken_on=today() - datetime.timedelta(days=days),
                                 actor=worker.user, **GOOD)
    chart = wellbeing_chart(worker)
    assert str(chart.svg).count("<polyline") == 4
