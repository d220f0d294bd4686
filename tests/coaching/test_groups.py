"""Peer groups: sessions, invitations (never another organiser's worker), answers on the phone, attendance (it
counts as contact), the group note."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coaching import services
from coaching.models import GroupSession, SessionInvitation
from coaching.selectors.caseload import attention_for
from tests.coaching.factories import coached_worker
from tests.workers.factories import WorkerFactory
from wijkwerken.core.dates import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(organiser, coach):
    group = services.peer_group_create(organiser=organiser, name="Samen sterk", facilitator=coach, actor=coach)
    return services.group_session_plan(group=group, topic="Solliciteren", place="Leuven", facilitator=coach,
                                       starts_at=timezone.now() + datetime.timedelta(days=2), actor=coach)


def test_an_invitation_for_another_organisers_worker_changes_nothing(session, worker, coach, other_organiser):
    stranger = WorkerFactory(organiser=other_organiser)
    with pytest.raises(ValidationError) as error:
        services.group_session_invite(session=session, workers=[worker, stranger], actor=coach)
    assert error.value.error_dict["workers"][0].code == "foreign_worker"
    assert not SessionInvitation.objects.exists()


def test_the_invite_view_refuses_another_organisers_worker(client, session, coach, other_organiser):
    stranger = WorkerFactory(organiser=other_organiser)
    client.force_login(coach)
    response = client.post(reverse("coaching:session_invite", args=[session.pk]), {"workers": [stranger.pk]})
    assert response.status_code == 400
    assert not SessionInvitation.objects.exists()


def test_the_worker_answers_and_attendance_counts_as_contact(client, session, worker, coach, organiser, leuven,
                                                             bemiddelaar):
    other = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=coach)
    assert services.group_session_invite(session=session, workers=[worker, other], actor=coach) == 2
    assert services.group_session_invite(session=session, workers=[worker], actor=coach) == 0
    invitation = SessionInvitation.objects.get(worker=worker)
    client.force_login(worker.user)
    page = client.get(reverse("coaching:my_coaching")).content.decode()
    assert "Solliciteren" in page
    client.post(reverse("coaching:my_session_respond", args=[invitation.pk]), {"response": "ja"})
    invitation.refresh_from_db()
    assert invitation.response == "ja" and invitation.responded_at is not None
    foreign = SessionInvitation.objects.get(worker=other)
    assert client.post(reverse("coaching:my_session_respond", args=[foreign.pk]), {"response": "nee"}
                       ).status_code == 404
    with pytest.raises(ValidationError):
        services.session_attendance_record(session=session, present_worker_ids=[worker.pk], actor=coach)
    held_at = timezone.now() - datetime.timedelta(hours=2)
    GroupSession.objects.filter(pk=session.pk).update(starts_at=held_at)
    services.session_attendance_record(session=session, present_worker_ids=[worker.pk], actor=coach)
    session.refresh_from_db()
    assert session.status == "gehouden"
    assert SessionInvitation.objects.get(worker=other).attended is False
    # The day it was held in Belgium: two hours ago is yesterday just after midnight.
    assert attention_for([worker], on=today())[worker.pk].last_contact == timezone.localtime(held_at).date()
    services.session_note_write(session=session, text="Goede sfeer, veel tips gedeeld.", actor=coach)
    session.refresh_from_db()
    assert session.group_note == "Goede sfeer, veel tips gedeeld."


def test_groups_are_for_work_coaches(client, session, bemiddelaar):
    client.force_login(bemiddelaar)
    assert client.get(reverse("coaching:group_list")).status_code == 403
    assert client.get(reverse("coaching:session_detail", args=[session.pk])).status_code == 403


def test_attendance_and_group_note_through_their_views(client, session, worker, coach):
    services.group_session_invite(session=session, workers=[worker], actor=coach)
    client.force_login(coach)
    note_url = reverse("coaching:session_note", args=[session.pk])
    assert client.post(note_url, {"text": "Te vroeg"}).status_code == 400  # the session has not taken place
    GroupSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    assert client.post(note_url, {"text": ""}).status_code == 400
    assert client.post(note_url, {"text": "Veel tips over kinderopvang."}).status_code == 302
    client.post(reverse("coaching:session_attendance", args=[session.pk]), {"present": [worker.pk]})
    assert SessionInvitation.objects.get().attended is True
    session.refresh_from_db()
    assert session.group_note == "Veel tips over kinderopvang." and session.status == "gehouden"
