"""Every coaching form submitted through its view: valid data, and the bad input a real person types (a clear Dutch
message, nothing changed)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching import services
from coaching.models import (
    CheckIn,
    CoachingNote,
    CoachingSettings,
    CoachPeriod,
    GoalAction,
    GroupSession,
    Measurement,
    NoteAccessGrant,
    NoteAddendum,
    PeerGroup,
    Portfolio,
    SharedSummary,
)
from tests.assignments.fixtures import make_assignment
from tests.coaching.factories import note
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today

pytestmark = pytest.mark.django_db


def _body(response):
    return response.content.decode()


def test_note_form_with_agreed_actions(client, worker, coach):
    client.force_login(coach)
    url = reverse("coaching:note_create", args=[worker.pk])
    base = {"kind": "gesprek", "date": today().isoformat(), "duration_minutes": "45", "text": "Goed gesprek.",
            "actie-TOTAL_FORMS": "2", "actie-INITIAL_FORMS": "0", "actie-MIN_NUM_FORMS": "0",
            "actie-MAX_NUM_FORMS": "2"}
    response = client.post(url, {**base, "date": (today() + datetime.timedelta(days=2)).isoformat()})
    assert response.status_code == 400 and "toekomst" in _body(response)
    response = client.post(url, {**base, "duration_minutes": "0"})
    assert response.status_code == 400
    response = client.post(url, {**base, "actie-0-description": "Cv maken", "actie-0-owner": "wijkwerker"})
    assert response.status_code == 400 and "Geef de datum" in _body(response)
    assert not CoachingNote.objects.exists()
    response = client.post(url, {**base, "actie-0-description": "Cv maken", "actie-0-owner": "wijkwerker",
                                 "actie-0-due_on": (today() + datetime.timedelta(days=7)).isoformat()})
    assert response.status_code == 302
    assert GoalAction.objects.get().note == CoachingNote.objects.get()


def test_visit_form(client, organiser, leuven, bemiddelaar, worker, coach):
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=today(), end=today())
    client.force_login(coach)
    url = reverse("coaching:visit_create", args=[worker.pk])
    data = {"assignment": assignment.pk, "date": today().isoformat(), "duration_minutes": "40",
            "contact_person_said": "Tevreden", "worker_said": "Graag", "text": "Bezoek",
            "actie-TOTAL_FORMS": "2", "actie-INITIAL_FORMS": "0"}
    assert client.post(url, {**data, "assignment": "999999"}).status_code == 400
    assert not CoachingNote.objects.exists()
    assert client.post(url, data).status_code == 302
    assert CoachingNote.objects.get().assignment == assignment


def test_addendum_and_correction_forms(client, worker, coach):
    written = note(worker, coach, text="Eerst")
    client.force_login(coach)
    assert client.post(reverse("coaching:note_addendum", args=[written.pk]), {"text": ""}).status_code == 400
    assert not NoteAddendum.objects.exists()
    assert client.post(reverse("coaching:note_addendum", args=[written.pk]), {"text": "Erbij"}).status_code == 302
    url = reverse("coaching:note_correct", args=[written.pk])
    assert client.post(url, {"kind": "gesprek", "date": today().isoformat(), "duration_minutes": "30",
                             "text": ""}).status_code == 400
    assert client.post(url, {"kind": "gesprek", "date": today().isoformat(), "duration_minutes": "30",
                             "text": "Verbeterd"}).status_code == 302
    written.refresh_from_db()
    assert written.text == "Verbeterd"


def test_summary_access_and_settings_forms(client, worker, coach, beheerder, bemiddelaar):
    client.force_login(coach)
    assert client.post(reverse("coaching:summary_edit", args=[worker.pk]), {"text": " "}).status_code == 400
    assert client.post(reverse("coaching:summary_edit", args=[worker.pk]), {"text": "Samenvatting"}
                       ).status_code == 302
    assert SharedSummary.objects.get().text == "Samenvatting"
    url = reverse("coaching:access", args=[worker.pk])
    assert client.post(url, {"user": bemiddelaar.pk, "reason": "x"}).status_code == 400
    assert client.post(url, {"user": beheerder.pk, "reason": ""}).status_code == 400
    assert not NoteAccessGrant.objects.exists()
    assert client.post(url, {"user": beheerder.pk, "reason": "Klacht"}).status_code == 302
    grant = NoteAccessGrant.objects.get()
    assert client.post(reverse("coaching:access_revoke", args=[worker.pk, grant.pk])).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    client.force_login(beheerder)
    url = reverse("coaching:settings_edit")
    assert client.post(url, {"no_contact_weeks": "0", "measurement_interval_months": "6",
                             "ending_soon_days": "30"}).status_code == 400
    assert not CoachingSettings.objects.exists()
    assert client.post(url, {"no_contact_weeks": "6", "measurement_interval_months": "6",
                             "ending_soon_days": "30"}).status_code == 302
    assert CoachingSettings.objects.get().no_contact_weeks == 6


def test_single_assignment_form(client, worker, coach, other_coach, bemiddelaar):
    client.force_login(bemiddelaar)
    url = reverse("coaching:worker_assign", args=[worker.pk])
    assert client.post(url, {"coach": coach.pk}).status_code == 400  # already the coach
    assert client.post(url, {"coach": bemiddelaar.pk}).status_code == 400
    assert client.post(url, {"coach": other_coach.pk, "reason": "Verlof"}).status_code == 302
    worker.refresh_from_db()
    assert worker.coach == other_coach
    assert CoachPeriod.objects.filter(worker=worker).count() == 2


def test_measurement_and_check_in_forms_of_the_coach(client, worker, coach):
    client.force_login(coach)
    url = reverse("coaching:measurement_create", args=[worker.pk])
    assert client.post(url, {"moment": "ooit", "taken_on": today().isoformat()}).status_code == 400
    response = client.post(url, {"moment": "intake", "taken_on": today().isoformat()})
    measurement = Measurement.objects.get()
    assert response.url == reverse("coaching:measurement_score", args=[measurement.pk])
    assert client.post(url, {"moment": "intake", "taken_on": today().isoformat()}).status_code == 400
    assert Measurement.objects.count() == 1
    url = reverse("coaching:check_in_create", args=[worker.pk])
    assert client.post(url, {"mood": "3"}).status_code == 400
    assert client.post(url, {"mood": "3", "energy": "3", "stress": "2", "connected": "4"}).status_code == 302
    assert CheckIn.objects.get().entered_by == coach


def test_goal_review_form(client, worker, coach):
    measurement = services.measurement_start(worker=worker, moment="intake", taken_on=today(), actor=coach)
    goal = services.goal_create(worker=worker, title="Stipt zijn", actor=coach)
    client.force_login(coach)
    url = reverse("coaching:goal_review", args=[measurement.pk, goal.pk])
    client.post(url, {f"goal-{goal.pk}-progress": "snel"})
    assert not goal.reviews.exists()
    client.post(url, {f"goal-{goal.pk}-progress": "op_koers", f"goal-{goal.pk}-comment": "Goed bezig"})
    assert goal.reviews.get().comment == "Goed bezig"


def test_peer_group_and_session_forms(client, coach, make_user, worker):
    client.force_login(coach)
    url = reverse("coaching:group_list")
    assert client.post(url, {"name": "", "facilitator": coach.pk}).status_code == 400
    assert client.post(url, {"name": "Samen sterk", "facilitator": make_user(Role.BEMIDDELAAR).pk}
                       ).status_code == 400
    assert client.post(url, {"name": "Samen sterk", "facilitator": coach.pk}).status_code == 302
    assert client.post(url, {"name": "samen sterk", "facilitator": coach.pk}).status_code == 400
    group = PeerGroup.objects.get()
    url = reverse("coaching:group_detail", args=[group.pk])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {"topic": "Solliciteren", "time": "10:00", "place": "Leuven", "facilitator": coach.pk}
    response = client.post(url, {**data, "date": yesterday.isoformat()})
    assert response.status_code == 400 and "toekomst" in _body(response)
    assert client.post(url, {**data, "date": "31/02/2027"}).status_code == 400
    assert not GroupSession.objects.exists()
    assert client.post(url, {**data, "date": (yesterday + datetime.timedelta(days=8)).isoformat()}).status_code == 302
    session = GroupSession.objects.get()
    assert client.post(reverse("coaching:session_invite", args=[session.pk]), {"workers": [worker.pk]}
                       ).status_code == 302
    assert session.invitations.count() == 1
    assert client.post(reverse("coaching:session_cancel", args=[session.pk])).status_code == 302
    session.refresh_from_db()
    assert session.status == "geannuleerd"


def test_closing_form_issues_the_portfolio(client, worker, coach, django_capture_on_commit_callbacks):
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coaching:closing", args=[worker.pk]),
                               {"closing_summary": "Klaar voor de volgende stap."})
    assert response.status_code == 302
    portfolio = Portfolio.objects.get()
    assert portfolio.pdf and portfolio.signed_by == coach
    response = client.get(reverse("coaching:portfolio_download", args=[portfolio.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
