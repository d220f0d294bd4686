"""The beheerder's privacy pages: next month's anonymisations (scoped, paginated), and the access export asked for
from a worker's or client's page, downloaded as an attachment; someone else's person or file is a 404."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.privacy.test_retention import _ended_worker, _stopped_client
from tests.workers.factories import WorkerFactory
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import AuditEntry
from wijkwerken.privacy.models import ACCESS_EXPORT_KEPT, AccessRequest, AccessStatus
from wijkwerken.privacy.services import access_export_build, access_exports_remove
from wijkwerken.privacy.tasks import remove_expired_access_exports

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def other_beheerder(other_organiser):
    return UserFactory(role=Role.BEHEERDER, organiser=other_organiser)


def test_the_preview_lists_who_is_anonymised_in_the_coming_month_of_the_own_organiser_only(
        client, beheerder, organiser, leuven, other_organiser):
    due = _ended_worker(organiser, D(2021, 4, 10))
    later = _ended_worker(organiser, D(2021, 5, 20))
    stopped = _stopped_client(leuven, D(2021, 3, 31))
    elsewhere = _ended_worker(other_organiser, D(2021, 4, 10))
    client.force_login(beheerder)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, 0).astimezone(), tick=False):
        response = client.get(reverse("privacy:privacy_overview"))
    assert response.status_code == 200
    listed = {(row["kind"], row["person"].pk) for row in response.context["page"].object_list}
    assert ("worker", due.pk) in listed and ("client", stopped.pk) in listed
    assert ("worker", later.pk) not in listed and ("worker", elsewhere.pk) not in listed
    rows = {(row["kind"], row["person"].pk): row["due_on"] for row in response.context["page"].object_list}
    assert rows[("worker", due.pk)] == D(2026, 4, 10) and rows[("client", stopped.pk)] == D(2026, 3, 31)
    assert "10/04/2026" in response.content.decode()


def test_the_preview_is_paginated(client, beheerder, organiser, leuven):
    for day in range(1, 28):
        _ended_worker(organiser, D(2020, 1, day))
    client.force_login(beheerder)
    first = client.get(reverse("privacy:privacy_overview"))
    second = client.get(reverse("privacy:privacy_overview") + "?page=2")
    assert len(first.context["page"].object_list) == 25 and len(second.context["page"].object_list) == 2
    assert first.context["page"].paginator.count == 27 and "Pagina 2 van 2" in second.content.decode()
    listed = [row["person"].pk for row in first.context["page"].object_list + second.context["page"].object_list]
    assert len(set(listed)) == 27  # every person once, the oldest end first
    assert [row["ended_on"] for row in first.context["page"].object_list][:2] == [D(2020, 1, 1), D(2020, 1, 2)]
    past_the_end = client.get(reverse("privacy:privacy_overview") + "?page=9")
    assert past_the_end.context["page"].number == 2 and len(past_the_end.context["page"].object_list) == 2
    not_a_number = client.get(reverse("privacy:privacy_overview") + "?page=twee")
    assert not_a_number.context["page"].number == 1 and len(not_a_number.context["page"].object_list) == 25


def test_only_the_beheerder_sees_the_privacy_pages(client, bemiddelaar):
    client.force_login(bemiddelaar)
    assert client.get(reverse("privacy:privacy_overview")).status_code == 403
    assert client.get(reverse("privacy:access_request_list")).status_code == 403


def test_an_access_export_is_asked_for_made_downloaded_and_logged(
        client, beheerder, organiser, leuven, django_capture_on_commit_callbacks):
    worker = WorkerFactory(organiser=organiser, first_name="Wout", last_name="Werker")
    client.force_login(beheerder)
    page = client.get(reverse("workers:worker_detail", args=[worker.pk])).content.decode()
    assert reverse("privacy:worker_access_request_create", args=[worker.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:worker_access_request_create", args=[worker.pk]))
    assert response.status_code == 302 and response.url == reverse("privacy:access_request_list")
    access_request = AccessRequest.objects.get(worker=worker)
    assert access_request.status == AccessStatus.READY
    assert "Wout Werker" in client.get(reverse("privacy:access_request_list")).content.decode()
    response = client.get(reverse("privacy:access_request_download", args=[access_request.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="inzage-wijkwerker-')
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert {"gegevens.json", "gegevens.pdf"} <= set(archive.namelist())
    access_request.refresh_from_db()
    assert access_request.status == AccessStatus.DELIVERED and access_request.delivered_by == beheerder
    actions = list(AuditEntry.objects.filter(object_id=str(access_request.pk), action__startswith="privacy.")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["privacy.access_requested", "privacy.access_ready", "privacy.access_delivered"]


def test_the_client_page_offers_the_export_to_the_beheerder_only(client, beheerder, bemiddelaar, leuven):
    customer = _stopped_client(leuven, D(2024, 1, 1))
    url = reverse("privacy:client_access_request_create", args=[customer.pk])
    client.force_login(bemiddelaar)
    assert url not in client.get(reverse("assignments:client_detail", args=[customer.pk])).content.decode()
    assert client.post(url).status_code == 403
    client.force_login(beheerder)
    assert url in client.get(reverse("assignments:client_detail", args=[customer.pk])).content.decode()
    assert client.post(url).status_code == 302
    assert AccessRequest.objects.filter(client=customer).exists()


def test_another_organisers_person_and_export_are_a_404(
        client, other_beheerder, beheerder, organiser, leuven, django_capture_on_commit_callbacks):
    worker = WorkerFactory(organiser=organiser)
    customer = _stopped_client(leuven, D(2024, 1, 1))
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:worker_access_request_create", args=[worker.pk]))
    access_request = AccessRequest.objects.get(worker=worker)
    client.force_login(other_beheerder)
    assert client.post(reverse("privacy:worker_access_request_create", args=[worker.pk])).status_code == 404
    assert client.post(reverse("privacy:client_access_request_create", args=[customer.pk])).status_code == 404
    assert client.get(reverse("privacy:access_request_download", args=[access_request.pk])).status_code == 404
    assert access_request.pk not in [a.pk for a in
                                     client.get(reverse("privacy:access_request_list")).context["page"].object_list]
    assert AccessRequest.objects.count() == 1


@pytest.mark.parametrize("years", ["0", "31", "vijf", "-1"])
def test_a_retention_period_out_of_range_is_refused_with_a_dutch_message(client, beheerder, organiser, years):
    from wijkwerken.core.forms import RuleSetForm
    from wijkwerken.core.models import RuleSet

    client.force_login(beheerder)
    initial = RuleSetForm(organiser=organiser).initial
    data = {name: ("on" if value is True else "" if value is False else value) for name, value in initial.items()}
    data.update(valid_from=D.today().isoformat(), note="Kortere bewaartermijn", retention_years=years)
    data = {name: value for name, value in data.items() if value != ""}
    count = RuleSet.objects.count()
    response = client.post(reverse("core:rule_set_create"), data, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200 and RuleSet.objects.count() == count
    errors = response.context["form"].errors.as_data()
    assert list(errors) == ["retention_years"]
    assert errors["retention_years"][0].code in ("min_value", "max_value", "invalid")
    assert any(word in response.content.decode() for word in ("minstens", "hoogstens 30", "geheel getal"))


def test_an_access_export_is_deleted_a_month_after_it_was_made_and_the_request_stays(
        client, beheerder, organiser, leuven, django_capture_on_commit_callbacks):
    worker = WorkerFactory(organiser=organiser, first_name="Wout", last_name="Werker")
    client.force_login(beheerder)
    create = reverse("privacy:worker_access_request_create", args=[worker.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(create)
    delivered = AccessRequest.objects.get(worker=worker)
    client.get(reverse("privacy:access_request_download", args=[delivered.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(create)  # asked again, never downloaded
    waiting = AccessRequest.objects.filter(worker=worker).latest("pk")
    files = [delivered.file.name, waiting.file.name]
    assert all(default_storage.exists(name) for name in files)
    page = client.get(reverse("privacy:access_request_list")).content.decode()
    kept_until = timezone.localtime(waiting.ready_at + ACCESS_EXPORT_KEPT).strftime("%d/%m/%Y")
    assert f"bestand bewaard tot {kept_until}" in page and "30 dagen nadat het gemaakt is verwijderd" in page

    # A month less a day: both files are still there.
    assert access_exports_remove(now=waiting.ready_at + ACCESS_EXPORT_KEPT - datetime.timedelta(days=1)) == 0
    # The nightly job after the month: both go, once.
    with time_machine.travel(waiting.ready_at + ACCESS_EXPORT_KEPT + datetime.timedelta(hours=1)):
        assert remove_expired_access_exports() == 2
        assert remove_expired_access_exports() == 0
    for access_request in (delivered, waiting):
        access_request.refresh_from_db()
        assert (access_request.status, access_request.file.name) == (AccessStatus.REMOVED, "")
        assert access_request.removed_at is not None
    assert not any(default_storage.exists(name) for name in files)
    assert AuditEntry.objects.filter(action="privacy.access_removed").count() == 2
    assert delivered.delivered_by == beheerder  # the history of the request stays

    page = client.get(reverse("privacy:access_request_list")).content.decode()
    assert page.count("bestand verwijderd") == 2
    assert reverse("privacy:access_request_download", args=[waiting.pk]) not in page
    response = client.get(reverse("privacy:access_request_download", args=[waiting.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("privacy:access_request_list")
    assert "30 dagen nadat het gemaakt is verwijderd" in response.content.decode()
    # A task that builds a removed request's export again (a retry) does nothing.
    access_export_build(waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == AccessStatus.REMOVED and not waiting.file
