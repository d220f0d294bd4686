import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.workers.factories import WorkerFactory, national_number
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import add_months, today
from wijkwerken.core.models import AuditEntry, Municipality
from workers import services
from workers.models import Trajectory, Worker

pytestmark = pytest.mark.django_db

D = datetime.date


def form_data(**overrides):
    data = {
        "first_name": "Sara",
        "last_name": "Peeters",
        "national_number": "85.07.30-033.28",
        "email": "sara@example.test",
        "phone": "0470 12 34 56",
        "street": "Tiensestraat 10",
        "postcode": "3000",
        "city": "Leuven",
        "referral": "vdab",
        "referrer_name": "Jan VDAB",
        "referral_date": "2026-11-02",
        "consent_signed_on": "2026-11-02",
        "languages": ["nl"],
        "mobility": ["bike"],
        "max_distance_km": "5",
        "certificates": [],
        "iban": "BE71 0961 2345 6769",
        "skills": ["klein-tuinonderhoud"],
        "availability": ["0-morning", "3-afternoon"],
        "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_bemiddelaar_registers_a_worker(client, bemiddelaar, leuven):
    client.force_login(bemiddelaar)
    response = client.post(reverse("workers:worker_create"), form_data(bemiddelaar=bemiddelaar.pk))
    worker = Worker.objects.get()
    assert response.status_code == 302 and response.url == reverse("workers:worker_detail", args=[worker.pk])
    assert worker.municipality == leuven and worker.national_number == "85073003328"
    assert set(worker.availability.values_list("weekday", "part")) == {(0, "morning"), (3, "afternoon")}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"national_number": "85.07.30-033.29"}, "national_number", "geen geldig rijksregisternummer"),
        ({"postcode": "1000", "city": "Brussel"}, "postcode", "niet in het Vlaamse Gewest"),
        ({"postcode": "9000", "city": "Gent"}, "postcode", "geen gemeente van jullie organisatie"),
        ({"iban": "BE71 0961 2345 6768"}, "iban", "IBAN"),
        ({"consent_signed_on": ""}, "consent_signed_on", "verplicht"),
    ],
)
def test_bad_registration_shows_a_dutch_error_and_saves_nothing(
    client, bemiddelaar, leuven, other_organiser, overrides, field, message
):
    client.force_login(bemiddelaar)
    response = client.post(reverse("workers:worker_create"), form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Worker.objects.exists()


@time_machine.travel(datetime.datetime(2026, 2, 2, 9, tzinfo=datetime.UTC), tick=False)
def test_trajectory_forms_show_dutch_errors(client, bemiddelaar, worker):
    client.force_login(bemiddelaar)
    url = reverse("workers:trajectory_start", args=[worker.pk])
    assert client.post(url, {"start_date": "2026-01-31"}).status_code == 302
    trajectory = worker.trajectories.get()
    assert trajectory.end_date == D(2026, 7, 30)
    response = client.post(
        reverse("workers:trajectory_extend", args=[worker.pk]), {"new_end_date": "2027-02-15", "reason": "x"}
    )
    assert response.status_code == 400
    assert "uiterlijk tot 30/01/2027" in response.content.decode()
    response = client.post(
        reverse("workers:trajectory_suspend", args=[worker.pk]),
        {"start_date": "2025-12-01", "end_date": "2025-12-10", "reason": "x"},
    )
    assert response.status_code == 400 and "binnen het traject" in response.content.decode()
    response = client.post(
        reverse("workers:trajectory_end", args=[worker.pk]), {"ended_on": "2026-01-01", "outflow_reason": "werk"}
    )
    assert response.status_code == 400 and "voor de start van het traject" in response.content.decode()
    response = client.post(url, {"start_date": "2026-03-01"})
    assert response.status_code == 400 and "al een lopend traject" in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.end_date == D(2026, 7, 30) and trajectory.is_active
    assert (
        client.post(
            reverse("workers:trajectory_extend", args=[worker.pk]),
            {"new_end_date": "2027-01-30", "reason": "Goed bezig"},
        ).status_code
        == 302
    )
    trajectory.refresh_from_db()
    assert trajectory.end_date == D(2027, 1, 30)


def test_worker_list_filters(client, bemiddelaar, organiser, leuven, herent, start):
    ending = WorkerFactory(organiser=organiser, municipality=leuven, last_name="Eindigt")
    start(ending, add_months(today(), -6) + datetime.timedelta(days=5))
    WorkerFactory(organiser=organiser, municipality=herent, last_name="Nieuw")
    client.force_login(bemiddelaar)
    url = reverse("workers:worker_list")
    names = lambda response: [w.last_name for w in response.context["page"]]  # noqa: E731
    assert names(client.get(url)) == ["Eindigt", "Nieuw"]
    assert names(client.get(url, {"municipality": herent.pk})) == ["Nieuw"]
    assert names(client.get(url, {"status": "new"})) == ["Nieuw"]
    assert names(client.get(url, {"status": "active"})) == ["Eindigt"]
    assert names(client.get(url, {"ending_within": "7"})) == ["Eindigt"]
    assert names(client.get(url, {"name": "nieu"})) == ["Nieuw"]
    ending_page = client.get(reverse("workers:trajectories_ending"))
    assert [t.worker.last_name for t in ending_page.context["page"]] == ["Eindigt"]


def test_the_status_filter_finds_exactly_the_workers_shown_with_that_status(client, bemiddelaar, organiser, leuven,
                                                                          start):
    from workers.models import OutflowReason, Worker, WorkerStatus
    from workers.selectors import with_status

    WorkerFactory(organiser=organiser, municipality=leuven, last_name="Nieuw")
    start(WorkerFactory(organiser=organiser, municipality=leuven, last_name="Actief"),
          today() - datetime.timedelta(days=40))
    paused = start(WorkerFactory(organiser=organiser, municipality=leuven, last_name="Geschorst"),
                   today() - datetime.timedelta(days=40))
    services.trajectory_suspend(trajectory=paused, start_date=today() - datetime.timedelta(days=2),
                                end_date=today() + datetime.timedelta(days=5), reason="Ziek", actor=bemiddelaar)
    done = start(WorkerFactory(organiser=organiser, municipality=leuven, last_name="Gestopt"),
                 today() - datetime.timedelta(days=40))
    services.trajectory_end(trajectory=done, ended_on=today() - datetime.timedelta(days=1),
                            outflow_reason=OutflowReason.values[0], actor=bemiddelaar)
    client.force_login(bemiddelaar)
    url = reverse("workers:worker_list")
    shown = {w.last_name: w.worker_status for w in with_status(Worker.objects.filter(organiser=organiser))}
    assert sorted(shown.values()) == sorted(WorkerStatus.values)
    for status in WorkerStatus.values:
        listed = [w.last_name for w in client.get(url, {"status": status}).context["page"]]
        assert listed == [name for name, value in shown.items() if value == status], status


def test_skill_and_availability_filters(client, bemiddelaar, organiser, worker_data):
    services.worker_create(
        organiser=organiser,
        actor=bemiddelaar,
        skills=["klein-tuinonderhoud"],
        availability=["2-morning"],
        **worker_data,
    )
    client.force_login(bemiddelaar)
    url = reverse("workers:worker_list")
    assert client.get(url, {"skill": "klein-tuinonderhoud"}).context["page"].paginator.count == 1
    assert client.get(url, {"skill": "logistieke-taken"}).context["page"].paginator.count == 0
    assert client.get(url, {"available": "2-morning"}).context["page"].paginator.count == 1
    assert client.get(url, {"available": "2-evening"}).context["page"].paginator.count == 0


def test_list_is_paginated(client, bemiddelaar, organiser, leuven):
    for _ in range(30):
        WorkerFactory(organiser=organiser, municipality=leuven)
    client.force_login(bemiddelaar)
    response = client.get(reverse("workers:worker_list"), {"page": 2})
    assert len(response.context["page"].object_list) == 5


def test_werkcoach_reads_but_cannot_change(client, werkcoach, worker):
    client.force_login(werkcoach)
    detail = client.get(reverse("workers:worker_detail", args=[worker.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert worker.national_number_masked in page and worker.national_number_display not in page
    assert reverse("workers:worker_edit", args=[worker.pk]) not in page
    assert client.get(reverse("workers:worker_list")).status_code == 200
    assert (
        client.post(reverse("workers:trajectory_start", args=[worker.pk]), {"start_date": "2026-01-01"}).status_code
        == 403
    )
    assert client.get(reverse("workers:worker_edit", args=[worker.pk])).status_code == 403
    assert not Trajectory.objects.exists()


def test_bemiddelaar_sees_the_full_national_number(client, bemiddelaar, worker):
    client.force_login(bemiddelaar)
    assert (
        worker.national_number_display
        in client.get(reverse("workers:worker_detail", args=[worker.pk])).content.decode()
    )


def test_gemeente_sees_numbers_but_no_personal_data(client, gemeente_user, worker, start):
    start(worker, D(2026, 11, 1))
    client.force_login(gemeente_user)
    assert client.get(reverse("workers:worker_list")).status_code == 403
    assert client.get(reverse("workers:worker_detail", args=[worker.pk])).status_code == 403
    panel = client.get(reverse("workers:start_panel"))
    assert panel.status_code == 200
    content = panel.content.decode()
    assert worker.last_name not in content and worker.first_name not in content
    # One worker: municipal staff see "< 5", never the number of so few persons.
    assert dict(panel.context["stats"]["status_counts"])["in traject"] == "< 5"


def test_other_organisers_worker_is_a_404(client, bemiddelaar, other_organiser):
    stranger = WorkerFactory(organiser=other_organiser, municipality=Municipality.objects.get(nis_code="44021"))
    client.force_login(bemiddelaar)
    for name in ("worker_detail", "worker_edit", "trajectory_start", "trajectory_extend"):
        assert client.get(reverse(f"workers:{name}", args=[stranger.pk])).status_code == 404
    assert (
        client.post(reverse("workers:trajectory_start", args=[stranger.pk]), {"start_date": "2026-01-01"}).status_code
        == 404
    )
    assert not Trajectory.objects.exists()


def test_wijkwerker_sees_only_their_own_trajectory(client, make_user, worker, start, bemiddelaar, leuven):
    login = make_user(Role.WIJKWERKER, municipality=leuven)
    services.worker_account_link(worker=worker, user=login, actor=bemiddelaar)
    trajectory = start(worker, today() - datetime.timedelta(days=10))
    client.force_login(login)
    response = client.get(reverse("workers:my_trajectory"))
    assert response.status_code == 200 and response.context["active"] == trajectory
    assert trajectory.end_date.strftime("%d/%m/%Y") in response.content.decode()
    assert client.get(reverse("workers:worker_detail", args=[worker.pk])).status_code == 403
    assert client.get(reverse("workers:worker_list")).status_code == 403
    assert client.get(reverse("workers:start_panel")).status_code == 200


def test_worker_page_shows_history_and_timeline(client, bemiddelaar, worker, start):
    trajectory = start(worker, D(2026, 1, 1))
    services.trajectory_suspend(
        trajectory=trajectory, start_date=D(2026, 2, 1), end_date=D(2026, 2, 10), reason="Ziekte", actor=bemiddelaar
    )
    client.force_login(bemiddelaar)
    page = client.get(reverse("workers:worker_detail", args=[worker.pk])).content.decode()
    assert "Geschorst tot en met 10/02/2026" in page
    assert "Traject gestart op 01/01/2026" in page
    assert "10/07/2026" in page


def test_agreement_pdf_is_generated_and_downloaded(
    client, bemiddelaar, worker, start, django_capture_on_commit_callbacks
):
    start(worker, D(2026, 1, 1))
    client.force_login(bemiddelaar)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workers:agreement_generate", args=[worker.pk]))
    worker.refresh_from_db()
    assert worker.agreement_pdf.name.endswith(".pdf")
    response = client.get(reverse("workers:agreement_download", args=[worker.pk]))
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")
    assert AuditEntry.objects.for_object(worker).filter(action="worker.agreement").exists()


def test_notifications_are_only_for_their_recipient(client, bemiddelaar, werkcoach, worker, start):
    from wijkwerken.core.models import Notification
    from workers.services.trajectory_deadlines import trajectory_deadlines_run

    trajectory = start(worker, D(2026, 1, 1))
    trajectory_deadlines_run(today=trajectory.end_date - datetime.timedelta(days=5))
    notification = Notification.objects.filter(recipient=bemiddelaar, key__startswith="trajectory-ending:").get()
    client.force_login(werkcoach)
    assert client.post(reverse("core:notification_open", args=[notification.pk])).status_code == 404
    client.force_login(bemiddelaar)
    assert client.post(reverse("core:notification_open", args=[notification.pk])).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_bis_number_with_the_2000_prefix_via_the_form(client, bemiddelaar, leuven):
    client.force_login(bemiddelaar)
    number = national_number(11, born=D(2005, 3, 14))
    assert client.post(reverse("workers:worker_create"), form_data(national_number=number)).status_code == 302


def test_bemiddelaar_edits_a_worker(client, bemiddelaar, organiser, worker_data, herent):
    worker = services.worker_create(
        organiser=organiser, actor=bemiddelaar, availability=["1-evening"], skills=["logistieke-taken"], **worker_data
    )
    client.force_login(bemiddelaar)
    url = reverse("workers:worker_edit", args=[worker.pk])
    form = client.get(url).context["form"]
    assert form.initial["national_number"] == worker.national_number_display
    assert form.initial["availability"] == ["1-evening"] and form.initial["skills"] == ["logistieke-taken"]
    response = client.post(
        url,
        form_data(
            national_number=worker.national_number_display,
            postcode="3020",
            city="Herent",
            availability=["1-evening", "5-morning"],
            ex_pwa="on",
        ),
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.municipality == herent and worker.ex_pwa
    assert set(worker.availability.values_list("weekday", "part")) == {(1, "evening"), (5, "morning")}
    entry = AuditEntry.objects.for_object(worker).get(action="worker.update")
    assert entry.changes["ex_pwa"] == [False, True]


# --- dates at the ends of the calendar (issue 14, point 6): a Dutch message, never a 500 --------------------------

OUT_OF_RANGE = "Vul een datum in van 01/01/2000 tot 02/02/2031."


@time_machine.travel(datetime.datetime(2026, 2, 2, 9, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "1900-01-01"])
def test_a_trajectory_cannot_start_at_the_ends_of_the_calendar(client, bemiddelaar, worker, start):
    client.force_login(bemiddelaar)
    response = client.post(reverse("workers:trajectory_start", args=[worker.pk]), {"start_date": start})
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()
    assert not worker.trajectories.exists()


@time_machine.travel(datetime.datetime(2026, 2, 2, 9, tzinfo=datetime.UTC), tick=False)
def test_a_suspension_cannot_end_on_the_last_day_of_the_calendar(client, bemiddelaar, worker):
    client.force_login(bemiddelaar)
    assert client.post(reverse("workers:trajectory_start", args=[worker.pk]),
                       {"start_date": "2026-01-31"}).status_code == 302
    response = client.post(reverse("workers:trajectory_suspend", args=[worker.pk]),
                           {"start_date": "2026-03-01", "end_date": "9999-12-31", "reason": "ziekte"})
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()
    assert worker.trajectories.get().end_date == D(2026, 7, 30)
