"""The confidential case file: who writes, the 24-hour correction rule at its boundary, addenda, the append-only
database, every read logged, the beheerder's access with a reason, the shared summary."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from coaching import services
from coaching.models import CoachingNote, GoalAction, NoteAccessGrant, NoteAddendum, NoteRevision, SharedSummary
from tests.assignments.fixtures import make_assignment
from tests.coaching.factories import coached_worker, note
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today
from wijkwerken.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def _code(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.error_list[0].code


def test_the_current_coach_writes_a_note_with_agreed_actions(worker, coach):
    written = note(worker, coach, actions=[
        {"description": "Busabonnement aanvragen", "owner": "wijkwerker", "due_on": today() + datetime.timedelta(7)}
    ])
    assert written.author == coach and written.organiser_id == worker.organiser_id
    action = GoalAction.objects.get(note=written)
    assert action.worker == worker and action.status == "open"
    entry = AuditEntry.objects.get(action="coaching_note.create")
    assert written.text not in entry.summary and written.text not in str(entry.changes)
    assert written.text not in str(written)


@pytest.mark.parametrize("who", ["other_coach", "bemiddelaar", "worker_login"])
def test_a_note_for_a_worker_outside_the_caseload_is_refused(worker, other_coach, bemiddelaar, who):
    actor = {"other_coach": other_coach, "bemiddelaar": bemiddelaar, "worker_login": worker.user}[who]
    with pytest.raises(ValidationError) as error:
        note(worker, actor)
    assert _code(error.value) == "not_in_caseload"
    assert not CoachingNote.objects.exists()


def test_a_note_in_the_future_is_refused(worker, coach):
    with pytest.raises(ValidationError) as error:
        note(worker, coach, day=today() + datetime.timedelta(days=1))
    assert _code(error.value) == "future"
    assert not CoachingNote.objects.exists()


def test_the_24_hour_rule_at_its_boundary(worker, coach):
    # Written the evening before summer time starts: 24 hours later is 21:15 by the Brussels clock, not 20:15.
    written_at = datetime.datetime(2026, 3, 28, 20, 15, tzinfo=BRUSSELS).astimezone(datetime.UTC)
    with time_machine.travel(written_at, tick=False):
        written = note(worker, coach, text="Eerste versie", day=datetime.date(2026, 3, 28))
    with time_machine.travel(datetime.datetime(2026, 3, 29, 20, 15, tzinfo=BRUSSELS), tick=False):
        assert written.can_correct(coach)  # only 23 hours have passed
    with time_machine.travel(written_at + datetime.timedelta(hours=24, seconds=-1), tick=False):
        services.note_correct(note=written, text="Verbeterde versie", actor=coach)
    written.refresh_from_db()
    assert written.text == "Verbeterde versie" and written.corrected_at is not None
    assert NoteRevision.objects.get(note=written).text == "Eerste versie"
    with time_machine.travel(written_at + datetime.timedelta(hours=24), tick=False), \
            pytest.raises(ValidationError) as error:
        services.note_correct(note=written, text="Te laat", actor=coach)
    assert _code(error.value) == "correction_window_closed"
    written.refresh_from_db()
    assert written.text == "Verbeterde versie"
    entry = AuditEntry.objects.get(action="coaching_note.correct")
    assert "Verbeterde" not in str(entry.changes) and "Eerste" not in str(entry.changes)


def test_only_the_author_corrects(organiser, leuven, bemiddelaar, coach, other_coach):
    worker = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=other_coach)
    written = note(worker, other_coach, text="Tekst van de eerste coach")
    services.coach_assign(worker=worker, coach=coach, actor=bemiddelaar)
    with pytest.raises(ValidationError) as error:
        services.note_correct(note=written, text="Overschreven", actor=coach)
    assert _code(error.value) == "not_author"
    written.refresh_from_db()
    assert written.text == "Tekst van de eerste coach"


def test_the_correction_view_after_24_hours_shows_a_clear_message_and_changes_nothing(client, worker, coach):
    with time_machine.travel(datetime.datetime(2026, 2, 27, 10, 0, tzinfo=BRUSSELS), tick=False):
        written = note(worker, coach, text="Origineel", day=datetime.date(2026, 2, 27))
    client.force_login(coach)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, 0, tzinfo=BRUSSELS), tick=False):
        response = client.post(reverse("coaching:note_correct", args=[written.pk]), {
            "kind": "gesprek", "date": "2026-02-27", "duration_minutes": 30, "text": "Later gewijzigd"})
    assert response.status_code == 400
    assert "binnen 24 uur" in response.content.decode()
    written.refresh_from_db()
    assert written.text == "Origineel"


def test_after_the_window_only_an_addendum_by_the_current_coach(organiser, leuven, bemiddelaar, coach, other_coach):
    worker = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=other_coach)
    written = note(worker, other_coach)
    services.coach_assign(worker=worker, coach=coach, actor=bemiddelaar)
    with pytest.raises(ValidationError) as error:
        services.note_addendum_add(note=written, text="Van de vorige coach", actor=other_coach)
    assert _code(error.value) == "not_in_caseload"
    addendum = services.note_addendum_add(note=written, text="Aanvulling van de nieuwe coach", actor=coach)
    assert list(written.addenda.all()) == [addendum]


def test_the_case_file_cannot_be_deleted_or_its_addenda_changed(worker, coach):
    written = note(worker, coach)
    addendum = services.note_addendum_add(note=written, text="Aanvulling", actor=coach)
    with pytest.raises(DatabaseError), transaction.atomic():
        CoachingNote.objects.filter(pk=written.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        NoteAddendum.objects.filter(pk=addendum.pk).update(text="Gewist")
    assert CoachingNote.objects.filter(pk=written.pk).exists()
    assert NoteAddendum.objects.get(pk=addendum.pk).text == "Aanvulling"


def test_every_read_writes_one_audit_entry_list_and_detail(client, worker, coach):
    notes = [note(worker, coach, text=f"Notitie {i}") for i in range(3)]
    client.force_login(coach)
    response = client.get(reverse("coaching:note_list", args=[worker.pk]))
    assert response.status_code == 200
    reads = list(AuditEntry.objects.filter(action="coaching_note.read"))
    assert len(reads) == 3
    assert {e.object_id for e in reads} == {str(n.pk) for n in notes}
    assert {e.actor_id for e in reads} == {coach.pk}
    client.get(reverse("coaching:note_detail", args=[notes[0].pk]))
    reads = AuditEntry.objects.filter(action="coaching_note.read")
    assert reads.count() == 4
    assert reads.first().object_id == str(notes[0].pk)
    # The coach sees who read which note.
    page = client.get(reverse("coaching:read_log", args=[worker.pk])).content.decode()
    assert page.count(coach.get_full_name()) >= 4


def test_the_file_overview_shows_no_note_text_and_logs_no_read(client, worker, coach):
    written = note(worker, coach, text="Niet op het overzicht")
    client.force_login(coach)
    body = client.get(reverse("coaching:worker_file", args=[worker.pk])).content.decode()
    assert written.text not in body
    assert not AuditEntry.objects.filter(action="coaching_note.read").exists()


def test_someone_elses_note_is_a_404(client, organiser, leuven, bemiddelaar, coach, other_coach):
    stranger = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=other_coach)
    hidden = note(stranger, other_coach)
    client.force_login(coach)
    assert client.get(reverse("coaching:note_detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("coaching:note_list", args=[stranger.pk])).status_code == 404


def test_a_beheerder_reads_only_with_a_grant_that_is_itself_logged(client, worker, coach, make_user):
    beheerder = make_user(Role.BEHEERDER)
    written = note(worker, coach, text="Alleen met toestemming")
    client.force_login(beheerder)
    assert client.get(reverse("coaching:note_detail", args=[written.pk])).status_code == 404
    with pytest.raises(ValidationError) as error:
        services.note_access_grant(worker=worker, user=beheerder, reason="  ", actor=coach)
    assert _code(error.value) == "reason_required"
    grant = services.note_access_grant(worker=worker, user=beheerder, reason="Klacht", actor=coach)
    entry = AuditEntry.objects.get(action="coaching.note_access_grant")
    assert entry.changes["reason"] == "Klacht" and entry.actor == coach
    assert Notification.objects.filter(recipient=beheerder, key=f"coaching-access:{grant.pk}").exists()
    response = client.get(reverse("coaching:note_detail", args=[written.pk]))
    assert response.status_code == 200 and "Alleen met toestemming" in response.content.decode()
    assert AuditEntry.objects.filter(action="coaching_note.read", actor=beheerder).count() == 1
    # Read-only: no writing in the file.
    assert client.get(reverse("coaching:note_create", args=[worker.pk])).status_code == 404
    services.note_access_revoke(grant=grant, actor=coach)
    assert client.get(reverse("coaching:note_detail", args=[written.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="coaching.note_access_revoke").exists()


def test_only_a_beheerder_of_the_organiser_can_be_given_access(worker, coach, bemiddelaar):
    with pytest.raises(ValidationError) as error:
        services.note_access_grant(worker=worker, user=bemiddelaar, reason="Waarom niet", actor=coach)
    assert _code(error.value) == "not_a_beheerder"
    assert not NoteAccessGrant.objects.exists()


def test_the_shared_summary_is_what_the_bemiddelaar_sees(client, worker, coach, bemiddelaar):
    note(worker, coach, text="Geheime notitie")
    services.shared_summary_write(worker=worker, text="Klaar voor meer uren.", actor=coach)
    services.shared_summary_write(worker=worker, text="Klaar voor een opleiding.", actor=coach)
    assert SharedSummary.objects.filter(worker=worker).count() == 2
    client.force_login(bemiddelaar)
    body = client.get(reverse("coaching:worker_panel", args=[worker.pk])).content.decode()
    assert "Klaar voor een opleiding." in body and "Klaar voor meer uren." not in body
    assert "Geheime notitie" not in body
    assert Notification.objects.filter(recipient=bemiddelaar, key__startswith="coaching-summary:").count() == 2


def test_a_workplace_visit_is_a_note_about_one_of_the_workers_assignments(organiser, leuven, bemiddelaar, worker,
                                                                           coach):
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=today(), end=today())
    other = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=coach)
    foreign = make_assignment(organiser, leuven, bemiddelaar, other, start=today(), end=today())
    data = {"date": today(), "duration_minutes": 40, "text": "Bezoek", "contact_person_said": "Tevreden",
            "worker_said": "Graag meer uren"}
    with pytest.raises(ValidationError) as error:
        services.visit_record(worker=worker, assignment=foreign, actor=coach, **data)
    assert _code(error.value) == "foreign_assignment"
    visit = services.visit_record(worker=worker, assignment=assignment, actor=coach, **data)
    assert visit.kind == "werkplekbezoek" and visit.assignment == assignment
    assert CoachingNote.objects.count() == 1
