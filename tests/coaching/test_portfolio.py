"""The portfolio (ervaringsbewijs): issued by the coach, rendered in the background, downloaded by the worker as an
attachment; it holds the hours by activity, the kinds of clients, the competences and the closing summary, and
no confidential note."""

import datetime
import subprocess

import pytest
from django.urls import reverse

from assignments.services import prestatie_register, prestatie_validate
from coaching import services
from coaching.models import Portfolio
from tests.assignments.fixtures import make_assignment
from tests.coaching.factories import coached_worker, note, scored_measurement
from wijkwerken.core.dates import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(organiser, leuven, bemiddelaar, coach, worker, django_capture_on_commit_callbacks):
    start = today() - datetime.timedelta(days=30)
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=start, end=today())
    for offset in (0, 1):
        day = start + datetime.timedelta(days=offset)
        prestatie = prestatie_register(assignment=assignment, date=day, start_time=datetime.time(9),
                                       end_time=datetime.time(11, 30), actor=bemiddelaar)
        prestatie_validate(prestatie=prestatie, actor=bemiddelaar)
    scored_measurement(worker, coach, day=start, level=2)
    scored_measurement(worker, coach, moment="op_vraag", level=4)
    note(worker, coach, text="Geheim: moeilijke thuissituatie")
    with django_capture_on_commit_callbacks(execute=True):
        portfolio = services.portfolio_issue(worker=worker, closing_summary="Betrouwbaar en leergierig.",
                                             actor=coach)
    portfolio.refresh_from_db()
    return portfolio


def _text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def test_the_portfolio_is_rendered_after_the_commit_and_holds_no_note(issued, worker):
    assert issued.pdf and issued.rendered_at is not None
    text = _text(issued.pdf.read())
    assert "Betrouwbaar en leergierig." in text
    assert worker.last_name in text
    assert "5 u 00" in text  # two prestaties of 2 h 30
    assert "Gras maaien" in text or "tuin" in text.lower()
    assert "Geheim" not in text


def test_the_worker_downloads_their_own_portfolio_as_an_attachment(client, issued, worker, organiser, leuven,
                                                                   bemiddelaar, coach):
    client.force_login(worker.user)
    response = client.get(reverse("coaching:my_portfolio_download", args=[issued.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    other = coached_worker(organiser, leuven, bemiddelaar=bemiddelaar, coach=coach)
    client.force_login(other.user)
    assert client.get(reverse("coaching:my_portfolio_download", args=[issued.pk])).status_code == 404


def test_the_file_is_not_in_a_public_media_url(issued, client, settings):
    assert client.get(f"/{settings.MEDIA_URL}{issued.pdf.name}").status_code == 404


def test_a_closing_summary_is_required(client, worker, coach):
    client.force_login(coach)
    response = client.post(reverse("coaching:closing", args=[worker.pk]), {"closing_summary": "  "})
    assert response.status_code == 400
    assert not Portfolio.objects.exists()


def test_the_worker_asks_for_a_portfolio(client, worker, coach):
    client.force_login(worker.user)
    client.post(reverse("coaching:my_portfolio_request"))
    client.post(reverse("coaching:my_portfolio_request"))
    assert coach.notifications.filter(key__startswith="coaching-portfolio-request:").count() == 1
