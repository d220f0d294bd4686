"""Incidents and no-shows: who may report what, the accident's declaration deadline in working days, the
bemiddelaar's panel, and the counts in the worker's and the client's history."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assignments.models import Incident, IncidentKind, NoShow, NoShowKind
from assignments.selectors.incidents import absence_counts, accidents_to_declare
from assignments.services import incident_mark_declared, incident_report, no_show_record, prestatie_register
from tests.assignments.fixtures import at, make_assignment, make_worker
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def work(organiser, leuven, bemiddelaar):
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2), end=D(2026, 6, 30),
                                     weekdays=(0, 2))
    client_user = assignment.client.contacts.get().user
    return worker, assignment, client_user


def report(assignment, actor, *, kind=IncidentKind.ACCIDENT, when=None, injured="Wout (pols)"):
    return incident_report(assignment=assignment, kind=kind, occurred_at=when or at(2026, 3, 30, 10),
                           place="Keuken", description="Uitgegleden.", injured=injured, actor=actor)


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_accident_deadline_skips_weekends_and_easter_monday(work, bemiddelaar):
    """Monday 30 March 2026 + 7 working days: Easter Monday 6 April is a Belgian holiday → Thursday 9 April."""
    worker, assignment, _client_user = work
    incident = report(assignment, worker.user)
    assert incident.declaration_deadline == D(2026, 4, 9)
    assert AuditEntry.objects.filter(action="incident.report", object_id=str(incident.pk)).exists()
    # The bemiddelaars are told at once.
    assert Notification.objects.filter(recipient=bemiddelaar, key=f"incident:{incident.pk}").exists()


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_other_incidents_have_no_deadline(work):
    worker, assignment, client_user = work
    damage = report(assignment, client_user, kind=IncidentKind.DAMAGE, injured="")
    assert damage.declaration_deadline is None
    with pytest.raises(ValidationError) as raised:
        incident_mark_declared(incident=damage, declared_on=D(2026, 3, 31), actor=worker.user)
    assert raised.value.code == "not_accident"


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_bad_reports_are_refused(work):
    worker, assignment, _client_user = work
    cases = {
        "no_injured": {"injured": ""},
        "in_future": {"when": at(2026, 4, 2, 10)},
        "before_assignment": {"when": at(2026, 3, 1, 10)},
    }
    for code, kwargs in cases.items():
        with pytest.raises(ValidationError) as raised:
            report(assignment, worker.user, **kwargs)
        assert [e.code for errors in raised.value.error_dict.values() for e in errors] == [code]
    assert not Incident.objects.exists()


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_only_participants_report(work, organiser, leuven, bemiddelaar):
    _worker, assignment, _client_user = work
    stranger = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
    with pytest.raises(ValidationError) as raised:
        report(assignment, stranger.user)
    assert raised.value.code == "not_participant"


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_panel_lists_accidents_until_declared(work, bemiddelaar):
    worker, assignment, _client_user = work
    incident = report(assignment, worker.user)
    due = accidents_to_declare(bemiddelaar)
    assert [row.incident for row in due] == [incident]
    assert due[0].working_days_left == 7  # 31/3, 1/4, 2/4, 3/4, 7/4, 8/4, 9/4
    incident_mark_declared(incident=incident, declared_on=D(2026, 3, 31), declaration_reference="X1",
                           actor=bemiddelaar)
    assert accidents_to_declare(bemiddelaar) == []
    with pytest.raises(ValidationError) as raised:
        incident_mark_declared(incident=incident, declared_on=D(2026, 3, 31), actor=bemiddelaar)
    assert raised.value.code == "already_declared"


@time_machine.travel(at(2026, 4, 20), tick=False)
def test_overdue_accident_stays_on_the_panel(work, bemiddelaar):
    worker, assignment, _client_user = work
    report(assignment, worker.user)
    [row] = accidents_to_declare(bemiddelaar)
    assert row.overdue and row.working_days_left is None


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_panel_on_the_start_page(client, work, bemiddelaar):
    worker, assignment, _client_user = work
    client.force_login(bemiddelaar)
    assert 'data-testid="panel-incidents"' not in client.get("/start/incidenten/").content.decode()
    report(assignment, worker.user)
    page = client.get("/start/incidenten/").content.decode()
    assert 'data-testid="panel-incidents"' in page and "09/04/2026" in page


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_no_shows_who_may_record_what(work, bemiddelaar):
    worker, assignment, client_user = work
    no_show = no_show_record(assignment=assignment, kind=NoShowKind.WORKER_ABSENT, date=D(2026, 3, 30),
                             actor=client_user)
    assert no_show.worker == worker
    assert AuditEntry.objects.filter(action="assignment.no_show", object_id=str(assignment.pk)).exists()
    with pytest.raises(ValidationError) as raised:  # the client does not record their own cancellation
        no_show_record(assignment=assignment, kind=NoShowKind.CLIENT_CANCELLED, date=D(2026, 3, 25),
                       actor=client_user)
    assert raised.value.error_dict["kind"][0].code == "not_allowed"
    with pytest.raises(ValidationError) as raised:
        no_show_record(assignment=assignment, kind=NoShowKind.CLIENT_CANCELLED, date=D(2026, 3, 25),
                       actor=worker.user)
    assert raised.value.error_dict["kind"][0].code == "not_allowed"
    no_show_record(assignment=assignment, kind=NoShowKind.CLIENT_CANCELLED, date=D(2026, 3, 25), actor=bemiddelaar)
    counts = absence_counts(worker=worker)
    assert (counts.worker_absent, counts.client_cancelled) == (1, 1)
    assert absence_counts(client=assignment.client).worker_absent == 1


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_bad_no_shows_are_refused(work, bemiddelaar):
    worker, assignment, _client_user = work
    prestatie_register(assignment=assignment, date=D(2026, 3, 23), start_time=datetime.time(9),
                       end_time=datetime.time(11), actor=worker.user)
    no_show_record(assignment=assignment, kind=NoShowKind.WORKER_ABSENT, date=D(2026, 3, 30), actor=bemiddelaar)
    cases = {"in_future": D(2026, 4, 1), "outside_assignment": D(2026, 3, 1), "duplicate": D(2026, 3, 30),
             "hours_registered": D(2026, 3, 23)}
    for code, day in cases.items():
        with pytest.raises(ValidationError) as raised:
            no_show_record(assignment=assignment, kind=NoShowKind.WORKER_ABSENT, date=day, actor=bemiddelaar)
        assert raised.value.error_dict["date"][0].code == code
    assert NoShow.objects.count() == 1


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_worker_reports_through_the_form_others_get_404(client, work, organiser, leuven, bemiddelaar):
    worker, assignment, _client_user = work
    client.force_login(worker.user)
    url = f"/opdrachten/{assignment.pk}/incident/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "ongeval", "occurred_at": "2026-03-30T10:00", "place": "Tuin",
                                 "injured": "", "description": "Gevallen"})
    assert response.status_code == 200 and not Incident.objects.exists()  # who was hurt is missing
    response = client.post(url, {"kind": "ongeval", "occurred_at": "2026-03-30T10:00", "place": "Tuin",
                                 "injured": "ikzelf, knie", "description": "Gevallen"})
    assert response.status_code == 302 and response["Location"] == f"/mijn/opdrachten/{assignment.pk}/"
    assert Incident.objects.get().reported_by == worker.user
    stranger = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
    client.force_login(stranger.user)
    assert client.get(url).status_code == 404
    assert client.get(f"/mijn/opdrachten/{assignment.pk}/").status_code == 404


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_the_worker_cannot_record_no_shows(client, work):
    worker, assignment, _client_user = work
    client.force_login(worker.user)
    assert client.get(f"/opdrachten/{assignment.pk}/niet-doorgegaan/").status_code == 403


@time_machine.travel(at(2026, 3, 31), tick=False)
def test_client_form_offers_only_a_worker_no_show(client, work):
    _worker, assignment, client_user = work
    client.force_login(client_user)
    page = client.get(f"/opdrachten/{assignment.pk}/niet-doorgegaan/").content.decode()
    assert 'value="werker_afwezig"' in page and 'value="afgezegd_aan_deur"' not in page
    response = client.post(f"/opdrachten/{assignment.pk}/niet-doorgegaan/",
                           {"kind": "afgezegd_aan_deur", "date": "2026-03-30"})
    assert response.status_code == 200 and not NoShow.objects.exists()
    assert client_user.role == Role.GEBRUIKER
