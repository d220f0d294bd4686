"""The confidentiality matrix: every role × every coaching page and panel, asserting the status code AND that the
note text is absent from the HTML wherever that role may not read it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching import services
from coaching.models import CoachingNote
from tests.assignments.fixtures import make_assignment
from tests.coaching.factories import coached_worker, note, scored_measurement
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SECRET = "Vertrouwelijk: schulden bij de deurwaarder"
SECRET_CURRENT = "Vertrouwelijk: nieuwe coach spreekt over de relatie"
SECRET_VISIT = "Contactpersoon: soms weinig zin"
SECRET_ADDENDUM = "Aanvulling: afspraak met OCMW"
SUMMARY = "Werkt betrouwbaar; zoekt een opleiding in de groenzorg."
SECRETS = (SECRET, SECRET_CURRENT, SECRET_VISIT, SECRET_ADDENDUM)

ROLES = ("current", "former", "other", "bemiddelaar", "beheerder", "beheerder_granted", "gemeente", "client",
         "worker")
STAFF = ("current", "former", "other", "bemiddelaar", "beheerder", "beheerder_granted")
COACHES = ("current", "former", "other")


@pytest.fixture
def scene(organiser, leuven, bemiddelaar, make_user, gemeente_user):
    former = make_user(Role.WERKCOACH)
    current = make_user(Role.WERKCOACH)
    worker = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=former)
    first = note(worker, former, text=SECRET)
    services.note_addendum_add(note=first, text=SECRET_ADDENDUM, actor=former)
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=today(), end=today())
    services.visit_record(worker=worker, assignment=assignment, date=today(), duration_minutes=30,
                          text="Bezoek", contact_person_said=SECRET_VISIT, worker_said="Gaat goed", actor=former)
    services.coach_assign(worker=worker, coach=current, reason="verlof", actor=bemiddelaar)
    worker.refresh_from_db()
    own = note(worker, current, text=SECRET_CURRENT)
    measurement = scored_measurement(worker, current)
    open_measurement = services.measurement_start(worker=worker, moment="op_vraag", taken_on=today(), actor=current)
    services.shared_summary_write(worker=worker, text=SUMMARY, actor=current)
    portfolio = services.portfolio_issue(worker=worker, closing_summary="Sterk in teamwerk.", actor=current)
    beheerder = make_user(Role.BEHEERDER)
    granted = make_user(Role.BEHEERDER)
    services.note_access_grant(worker=worker, user=granted, reason="klacht over de begeleiding", actor=current)
    group = services.peer_group_create(organiser=organiser, name="Groep Leuven", facilitator=current, actor=current)
    session = services.group_session_plan(
        group=group, topic="Solliciteren", starts_at=timezone.now() + datetime.timedelta(days=3), place="Leuven",
        facilitator=current, actor=current)
    services.group_session_invite(session=session, workers=[worker], actor=current)
    people = {
        "current": current, "former": former, "other": make_user(Role.WERKCOACH), "bemiddelaar": bemiddelaar,
        "beheerder": beheerder, "beheerder_granted": granted, "gemeente": gemeente_user,
        "client": make_user(Role.GEBRUIKER), "worker": worker.user,
    }
    w = worker.pk
    urls = {
        "caseload": reverse("coaching:caseload"),
        "worker_panel": reverse("coaching:worker_panel", args=[w]),
        "worker_page": reverse("workers:worker_detail", args=[w]),
        "worker_file": reverse("coaching:worker_file", args=[w]),
        "note_list": reverse("coaching:note_list", args=[w]),
        "note_detail": reverse("coaching:note_detail", args=[first.pk]),
        "note_detail_current": reverse("coaching:note_detail", args=[own.pk]),
        "note_correct": reverse("coaching:note_correct", args=[own.pk]),
        "note_create": reverse("coaching:note_create", args=[w]),
        "visit_create": reverse("coaching:visit_create", args=[w]),
        "read_log": reverse("coaching:read_log", args=[w]),
        "access": reverse("coaching:access", args=[w]),
        "summary_edit": reverse("coaching:summary_edit", args=[w]),
        "measurement_create": reverse("coaching:measurement_create", args=[w]),
        "measurement_detail": reverse("coaching:measurement_detail", args=[measurement.pk]),
        "measurement_score": reverse("coaching:measurement_score", args=[open_measurement.pk]),
        "check_in_create": reverse("coaching:check_in_create", args=[w]),
        "goal_create": reverse("coaching:goal_create", args=[w]),
        "action_create": reverse("coaching:action_create", args=[w]),
        "closing": reverse("coaching:closing", args=[w]),
        "portfolio_download": reverse("coaching:portfolio_download", args=[portfolio.pk]),
        "assign": reverse("coaching:assign"),
        "worker_assign": reverse("coaching:worker_assign", args=[w]),
        "framework_list": reverse("coaching:framework_list"),
        "settings_edit": reverse("coaching:settings_edit"),
        "group_list": reverse("coaching:group_list"),
        "session_detail": reverse("coaching:session_detail", args=[session.pk]),
        "my_coaching": reverse("coaching:my_coaching"),
        "my_panel": reverse("coaching:my_panel"),
        "my_self_assessment": reverse("coaching:my_self_assessment", args=[measurement.pk]),
        "my_check_in": reverse("coaching:my_check_in"),
        "my_portfolio_download": reverse("coaching:my_portfolio_download", args=[portfolio.pk]),
        "my_trajectory": reverse("workers:my_trajectory"),
        "home": reverse("core:home"),
    }
    return {"people": people, "urls": urls, "worker": worker}


def _expected(role: str, page: str) -> int:
    """The status each role gets on each page."""
    file_roles = COACHES + ("beheerder", "beheerder_granted")
    if page in ("caseload", "group_list", "session_detail"):
        return 200 if role in COACHES else 403
    if page in ("worker_panel", "worker_page"):
        return 200 if role in STAFF else 403
    if page in ("assign", "worker_assign"):
        return 200 if role in ("bemiddelaar", "beheerder", "beheerder_granted") else 403
    if page == "framework_list":
        return 200 if role in COACHES + ("beheerder", "beheerder_granted") else 403
    if page == "settings_edit":
        return 200 if role in ("beheerder", "beheerder_granted") else 403
    if page.startswith("my_"):
        return 200 if role == "worker" else 403
    if page == "home":
        return 200
    if role not in file_roles:
        return 403
    if role in ("other", "beheerder"):
        return 404
    if page in ("note_list", "note_detail", "note_detail_current", "access"):
        return 200
    if page == "worker_file":
        return 302 if role == "beheerder_granted" else 200
    if role == "beheerder_granted":
        return 403 if page == "note_correct" else 404
    if page == "note_correct":
        return 200 if role == "current" else 403
    if page in ("read_log", "access", "measurement_detail", "portfolio_download"):
        return 200
    return 200 if role == "current" else 403  # the pages that write


READERS = {"current", "former", "beheerder_granted"}
NOTE_PAGES = {"note_list", "note_detail", "note_detail_current", "note_correct"}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_every_coaching_page(client, scene, role):
    client.force_login(scene["people"][role])
    wrong = []
    for page, url in scene["urls"].items():
        if role == "gemeente" and page == "home":
            continue  # the municipal start page is tested by core
        response = client.get(url)
        expected = _expected(role, page)
        if response.status_code != expected:
            wrong.append(f"{page}: {response.status_code} (expected {expected})")
            continue
        if response.get("Content-Type", "").startswith("application/pdf"):
            assert "attachment" in response["Content-Disposition"]
            body = b"".join(response.streaming_content).decode("latin-1")
        else:
            body = response.content.decode()
        may_read = role in READERS and page in NOTE_PAGES
        for secret in SECRETS:
            if secret in body and not may_read:
                wrong.append(f"{page}: shows note text {secret!r}")
        if page in ("worker_panel",) and expected == 200:
            assert scene["worker"].coach.get_full_name() in body
            if SUMMARY not in body:
                wrong.append(f"{page}: the shared summary is missing")
    assert wrong == []


def test_readers_do_see_the_text_and_each_read_is_logged(client, scene):
    worker = scene["worker"]
    for role in READERS:
        client.force_login(scene["people"][role])
        before = AuditEntry.objects.filter(action="coaching_note.read").count()
        body = client.get(scene["urls"]["note_list"]).content.decode()
        assert SECRET in body and SECRET_VISIT in body and SECRET_ADDENDUM in body and SECRET_CURRENT in body
        shown = CoachingNote.objects.filter(worker=worker).count()
        assert AuditEntry.objects.filter(action="coaching_note.read").count() == before + shown
        body = client.get(scene["urls"]["note_detail"]).content.decode()
        assert SECRET in body
        assert AuditEntry.objects.filter(action="coaching_note.read").count() == before + shown + 1


def test_nobody_else_leaves_a_read_in_the_log(client, scene):
    for role in set(ROLES) - READERS:
        client.force_login(scene["people"][role])
        for page in NOTE_PAGES:
            client.get(scene["urls"][page])
    assert set(AuditEntry.objects.filter(action="coaching_note.read").values_list("actor_id", flat=True)) <= {
        scene["people"][r].pk for r in READERS}
