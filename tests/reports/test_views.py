"""The report and attest pages through their views: who sees what (someone else's is a 404), the request form
with the bad input a person types, the downloads (always an attachment), the polling panel, the attest panels."""

import csv
import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assignments.models import ClientContact
from tests.accounts.factories import UserFactory
from wijkwerken.accounts.models import Role
from wijkwerken.reports import services
from wijkwerken.reports.models import BuildStatus, FiscalAttest, Report, ReportAudience
from wijkwerken.reports.periods import Period

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 2, 10, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _february_2026():
    with time_machine.travel(NOW, tick=False):
        yield


def made(world, *, municipality, audience, year=2025) -> Report:
    report = Report.objects.create(organiser=world.organiser, municipality=municipality, audience=audience,
                                   period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31))
    return services.report_build(report.pk)


def form_errors(response) -> dict:
    return response.context["form"].errors.as_data()


def codes(response, field) -> list[str]:
    return [error.code for error in form_errors(response).get(field, [])]


# --- scope ----------------------------------------------------------------------------------------------------

def test_municipal_staff_go_to_their_own_municipality_only(client, world, gemeente_user, other_organiser):
    client.force_login(gemeente_user)
    assert client.get(reverse("reports:report_overview"))["Location"] == reverse(
        "reports:municipality_reports", args=[world.leuven.pk])
    assert client.get(reverse("reports:municipality_reports", args=[world.leuven.pk])).status_code == 200
    assert client.get(reverse("reports:municipality_reports", args=[world.herent.pk])).status_code == 404
    gent = other_organiser.municipalities.first()
    assert client.get(reverse("reports:municipality_reports", args=[gent.pk])).status_code == 404
    assert client.get(reverse("reports:organiser_reports")).status_code == 403
    assert client.get(reverse("reports:attest_overview")).status_code == 403


def test_a_report_is_seen_only_in_its_scope(client, world, gemeente_user, make_user, beheerder, other_organiser):
    masked = made(world, municipality=world.leuven, audience=ReportAudience.MUNICIPALITY)
    exact = made(world, municipality=world.leuven, audience=ReportAudience.ORGANISER)
    urls = lambda report: [reverse("reports:report_detail", args=[report.pk]),  # noqa: E731
                           reverse("reports:report_progress", args=[report.pk]),
                           reverse("reports:report_download", args=[report.pk, "pdf"])]
    client.force_login(gemeente_user)
    assert [client.get(url).status_code for url in urls(masked)] == [200, 200, 200]
    assert [client.get(url).status_code for url in urls(exact)] == [404, 404, 404]  # exact numbers: staff only
    client.force_login(make_user(Role.GEMEENTE, municipality=world.herent))
    assert [client.get(url).status_code for url in urls(masked)] == [404, 404, 404]
    other = UserFactory(role=Role.BEHEERDER, organiser=other_organiser)
    client.force_login(other)
    assert [client.get(url).status_code for url in urls(exact)] == [404, 404, 404]
    client.force_login(beheerder)
    assert [client.get(url).status_code for url in urls(exact) + urls(masked)] == [200] * 6
    client.force_login(make_user(Role.BEMIDDELAAR))
    assert client.get(urls(exact)[0]).status_code == 403


def test_downloads_are_attachments(client, world, gemeente_user):
    report = made(world, municipality=world.leuven, audience=ReportAudience.MUNICIPALITY)
    client.force_login(gemeente_user)
    expected = {"pdf": ("application/pdf", b"%PDF"), "xlsx": ("spreadsheetml", b"PK"), "csv": ("zip", b"PK")}
    for file_format, (content_type, start) in expected.items():
        response = client.get(reverse("reports:report_download", args=[report.pk, file_format]))
        assert response.status_code == 200
        assert content_type in response["Content-Type"]
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert "rapport-wijkwerken-leuven-2025" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(start)
    assert client.get(reverse("reports:report_download", args=[report.pk, "docx"])).status_code == 404
    waiting = Report.objects.create(organiser=world.organiser, municipality=world.leuven,
                                    audience=ReportAudience.MUNICIPALITY, period_start=datetime.date(2024, 1, 1),
                                    period_end=datetime.date(2024, 12, 31))
    assert client.get(reverse("reports:report_download", args=[waiting.pk, "pdf"])).status_code == 404


# --- asking -----------------------------------------------------------------------------------------------------

def test_municipal_staff_ask_for_last_year(client, world, gemeente_user, django_capture_on_commit_callbacks):
    client.force_login(gemeente_user)
    url = reverse("reports:municipality_reports", args=[world.leuven.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "jaar", "year": "2025", "audience": "organisatie"})
    report = Report.objects.get()
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk])
    # The municipality is theirs and the numbers are for municipal staff, whatever is posted.
    assert (report.municipality, report.audience, report.status) == (world.leuven, ReportAudience.MUNICIPALITY,
                                                                     BuildStatus.DONE)
    assert (report.period_start, report.period_end) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    page = client.get(response["Location"]).content.decode()
    assert "Gepresteerde uren" in page and "6,52" in page and "&lt; 5" in page
    assert reverse("reports:report_download", args=[report.pk, "xlsx"]) in page
    # This year: up to today.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "jaar", "year": "2026"})
    assert Report.objects.latest("pk").period_end == datetime.date(2026, 2, 10)


@pytest.mark.parametrize(("data", "field", "code"), [
    ({"kind": "periode", "period_start": "2025-06-30", "period_end": "2025-06-01"}, "period_end", "period_order"),
    ({"kind": "periode", "period_start": "2026-01-01", "period_end": "2026-12-31"}, "period_end", "future"),
    ({"kind": "periode", "period_start": "2017-01-01", "period_end": "2017-12-31"}, "period_start", "before_start"),
    ({"kind": "periode", "period_start": "", "period_end": "2025-06-01"}, "period_start", "required"),
    ({"kind": "periode", "period_start": "31/02/2025", "period_end": "2025-06-01"}, "period_start", "invalid"),
    ({"kind": "jaar", "year": "2027"}, "year", "future_year"),
    ({"kind": "jaar", "year": "2017"}, "year", "before_start"),
    ({"kind": "jaar", "year": ""}, "year", "required"),
    ({"kind": "jaar", "year": "vorig jaar"}, "year", "invalid"),
])
def test_bad_periods_get_a_dutch_message_and_nothing_is_made(client, world, gemeente_user, data, field, code):
    client.force_login(gemeente_user)
    response = client.post(reverse("reports:municipality_reports", args=[world.leuven.pk]), data)
    assert response.status_code == 400
    assert codes(response, field) == [code]
    assert not Report.objects.exists()
    assert "is-invalid" in response.content.decode()


def test_asking_again_while_it_is_made_leads_to_the_report_being_made(client, world, gemeente_user):
    client.force_login(gemeente_user)
    url = reverse("reports:municipality_reports", args=[world.leuven.pk])
    first = client.post(url, {"kind": "jaar", "year": "2025"})  # no commit: the build waits
    second = client.post(url, {"kind": "jaar", "year": "2025"})
    report = Report.objects.get()
    assert first["Location"] == second["Location"] == reverse("reports:report_detail", args=[report.pk])
    progress = client.get(reverse("reports:report_progress", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in progress and "Wacht op zijn beurt" in progress


def test_the_beheerder_asks_exact_numbers_or_those_of_municipal_staff(client, world, beheerder,
                                                                       django_capture_on_commit_callbacks):
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:municipality_reports", args=[world.herent.pk]),
                    {"kind": "jaar", "year": "2025", "audience": "gemeente"})
        client.post(reverse("reports:organiser_reports"), {"kind": "periode", "period_start": "2025-01-01",
                                                           "period_end": "2025-06-30"})
    herent, organiser = Report.objects.order_by("pk")
    assert (herent.municipality, herent.audience) == (world.herent, ReportAudience.MUNICIPALITY)
    assert (organiser.municipality, organiser.audience) == (None, ReportAudience.ORGANISER)
    assert {herent.status, organiser.status} == {BuildStatus.DONE}
    overview = client.get(reverse("reports:report_overview")).content.decode()
    assert "Herent" in overview and reverse("reports:report_detail", args=[organiser.pk]) in overview


def test_a_failed_report_shows_a_retry_button_that_builds_it_again(client, world, gemeente_user, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "render_report_pdf", lambda *args: 1 / 0)
    report = Report.objects.create(organiser=world.organiser, municipality=world.leuven,
                                   audience=ReportAudience.MUNICIPALITY, period_start=datetime.date(2025, 1, 1),
                                   period_end=datetime.date(2025, 12, 31))
    services.report_build(report.pk)
    client.force_login(gemeente_user)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    retry = reverse("reports:report_retry", args=[report.pk])
    assert "Het rapport kon niet gemaakt worden" in page and retry in page and "every 1s" not in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry)["Location"] == reverse("reports:report_detail", args=[report.pk])
    report.refresh_from_db()
    assert report.status == BuildStatus.DONE
    response = client.get(reverse("reports:report_progress", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_the_start_page_of_municipal_staff_shows_their_reports(client, world, gemeente_user):
    report = made(world, municipality=world.leuven, audience=ReportAudience.MUNICIPALITY)
    client.force_login(gemeente_user)
    assert reverse("reports:panel_gemeente") in client.get(reverse("core:home")).content.decode()
    panel = client.get(reverse("reports:panel_gemeente")).content.decode()
    assert "Jaarrapport 2025" in panel and reverse("reports:report_download", args=[report.pk, "pdf"]) in panel


# --- fiscal attests -------------------------------------------------------------------------------------------

def _login_for(client_record):
    user = UserFactory(role=Role.GEBRUIKER, organiser=client_record.organiser, municipality=client_record.municipality)
    ClientContact.objects.create(client=client_record, user=user, is_primary=True)
    return user


def _attests(world):
    batch = services.attest_batch_request(organiser=world.organiser, year=2025, actor=None)
    services.attest_batch_run(batch.pk)
    return {attest.client_id: attest for attest in FiscalAttest.objects.all()}


def test_a_private_client_downloads_its_own_attest_only(client, world):
    attests = _attests(world)
    c1, c6 = world.clients["c1"], world.clients["c6"]
    client.force_login(_login_for(c1))
    panel = client.get(reverse("reports:my_attests_panel")).content.decode()
    own = reverse("reports:attest_download", args=[attests[c1.pk].pk])
    assert "Fiscaal attest 2025" in panel and own in panel
    response = client.get(own)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("reports:attest_download", args=[attests[c6.pk].pk])).status_code == 404
    assert reverse("reports:my_attests_panel") in client.get(reverse("cheques:my_wallet")).content.decode()


def test_an_organisation_has_no_attest_panel(client, world):
    client.force_login(_login_for(world.clients["town"]))
    assert "Fiscale attesten" not in client.get(reverse("reports:my_attests_panel")).content.decode()


def test_staff_make_an_attest_again_from_the_money_page(client, world, bemiddelaar):
    attests = _attests(world)
    c1 = world.clients["c1"]
    client.force_login(bemiddelaar)
    assert reverse("reports:client_attests_panel", args=[c1.pk]) in client.get(
        reverse("cheques:client_money", args=[c1.pk])).content.decode()
    panel = client.get(reverse("reports:client_attests_panel", args=[c1.pk])).content.decode()
    assert reverse("reports:attest_download", args=[attests[c1.pk].pk]) in panel
    response = client.post(reverse("reports:client_attest_regenerate", args=[c1.pk]), {"year": "2025"})
    assert response["Location"] == reverse("cheques:client_money", args=[c1.pk])
    assert list(FiscalAttest.objects.filter(client=c1).order_by("version").values_list("version", "status")) == [
        (1, "vervangen"), (2, "geldig")]
    town = world.clients["town"]
    response = client.post(reverse("reports:client_attest_regenerate", args=[town.pk]), {"year": "2025"}, follow=True)
    assert "Alleen particulieren krijgen een fiscaal attest" in response.content.decode()
    assert not FiscalAttest.objects.filter(client=town).exists()
    response = client.post(reverse("reports:client_attest_regenerate", args=[c1.pk]), {"year": "2031"}, follow=True)
    assert FiscalAttest.objects.filter(client=c1).count() == 2
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_the_beheerder_lists_and_downloads_the_attests_of_a_year(client, world, beheerder,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(beheerder)
    url = reverse("reports:attest_overview")
    response = client.post(url, {"year": "2026"})
    assert response.status_code == 400 and codes(response, "year") == ["year_not_over"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"year": "2025"})
    assert response["Location"] == f"{url}?jaar=2025"
    page = client.get(f"{url}?jaar=2025").content.decode()
    assert world.clients["c1"].name in page and "€ 64,50" in page
    response = client.get(reverse("reports:attest_list_download", args=[2025, "csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="fiscale-attesten-2025.csv"'
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Attest", "Gebruikersnummer", "Naam"]
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name[world.clients["c1"].name][7:9] == ["10", "64,50"]
    assert len(rows) == 4
    response = client.get(reverse("reports:attest_list_download", args=[2025, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet.freeze_panes == "A2" and sheet.max_row == 4
    assert client.get(reverse("reports:attest_list_download", args=[2025, "pdf"])).status_code == 404


def test_the_attest_list_has_personal_data_so_only_the_beheerder_gets_it(client, world, gemeente_user, bemiddelaar):
    for user in (gemeente_user, bemiddelaar):
        client.force_login(user)
        assert client.get(reverse("reports:attest_list_download", args=[2025, "csv"])).status_code == 403


# --- the organiser's logo -------------------------------------------------------------------------------------

def _png(size=(40, 20)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 90, 74)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_beheerder_sets_the_logo_and_it_is_on_the_report(client, world, beheerder, gemeente_user):
    client.force_login(beheerder)
    url = reverse("core:organiser_logo")
    response = client.post(url, {"logo": SimpleUploadedFile("logo.txt", b"not an image", "text/plain")})
    assert response.status_code == 400 and not world.organiser.__class__.objects.get(pk=world.organiser.pk).logo
    big = SimpleUploadedFile("logo.png", _png((3000, 3000)) + b"\0" * 600_000, "image/png")
    assert client.post(url, {"logo": big}).status_code == 400
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"logo": SimpleUploadedFile("logo.png", _png(), "image/png")})
    assert response["Location"] == reverse("core:organiser_edit")
    world.organiser.refresh_from_db()
    assert world.organiser.logo.name.endswith(f"organisatie-{world.organiser.pk}.png")
    image = client.get(reverse("core:organiser_logo_image"))
    assert image.status_code == 200 and image["Content-Disposition"].startswith("attachment;")
    client.force_login(gemeente_user)
    assert client.get(reverse("core:organiser_logo_image")).status_code == 403
    report = made(world, municipality=world.leuven, audience=ReportAudience.MUNICIPALITY)
    with report.pdf.open("rb") as handle:
        assert b"/Subtype /Image" in handle.read()
    client.force_login(beheerder)
    assert client.post(url, {"remove": "on"})["Location"] == reverse("core:organiser_edit")
    world.organiser.refresh_from_db()
    assert not world.organiser.logo


def test_periods_of_the_form_compare_with_the_year_before():
    assert Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)).previous() == Period(
        datetime.date(2024, 3, 1), datetime.date(2024, 3, 31))
    assert zipfile is not None
