"""Start pages as work lists: each role sees what waits for it as counts linked to the list where the work is done,
each count from one aggregate query, and a recent-activity feed of what people did."""

import datetime
from datetime import time

import pytest
import time_machine
from django.urls import reverse

from assignments.models import ClientContact
from assignments.services import prestatie_register, prestatie_validate
from tests.assignments.fixtures import at, make_assignment, make_worker
from wijkwerken.accounts.models import Role
from wijkwerken.core.audit import audit_log

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = at(2026, 3, 11, 10)


@pytest.fixture
def work(organiser, leuven, bemiddelaar):
    """A worker on Mondays and Wednesdays from 2 March 2026, with hours on 2 and 4 March (one validated) and none
    on 9 March."""
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2),
                                     end=D(2026, 4, 30), weekdays=(0, 2))
    with time_machine.travel(at(2026, 3, 4, 18), tick=False):
        for day in (D(2026, 3, 2), D(2026, 3, 4)):
            prestatie = prestatie_register(assignment=assignment, date=day, start_time=time(9), end_time=time(11),
                                           actor=worker.user)
        prestatie_validate(prestatie=prestatie, actor=bemiddelaar)
    return worker, assignment


def _client_user(assignment):
    return ClientContact.objects.filter(client=assignment.client).select_related("user").first().user


def _work_item(page: str, url_part: str) -> str:
    """The count of the work item that links to `url_part`."""
    page = page[page.index('id="work-list-title"'):]
    start = page.index(f'href="{url_part}')
    return page[start:page.index("</a>", start)]


@time_machine.travel(NOW, tick=False)
def test_bemiddelaar_sees_the_queues_linked_to_their_filtered_lists(client, work, bemiddelaar,
                                                                    django_assert_max_num_queries):
    client.force_login(bemiddelaar)
    with django_assert_max_num_queries(22):
        page = client.get("/").content.decode()
    assert "Wat wacht op u" in page
    assert '<span class="stat-value">1</span> <span class="stat-label">prestatie te valideren' in _work_item(
        page, "/prestaties/?lijst=valideren")
    assert '<span class="stat-value">0</span>' in _work_item(page, "/prestaties/?lijst=betwist")
    for queue in ("/aanvragen/?status=nieuw", reverse("cheques:bank_queue"), reverse("workers:trajectories_ending"),
                  f"{reverse('workers:worker_list')}?evaluation_within=14"):
        assert f'href="{queue}' in page, queue


@time_machine.travel(NOW, tick=False)
def test_beheerder_sees_the_organisation_in_figures_not_logins(client, work, beheerder, make_user,
                                                               django_assert_max_num_queries):
    make_user(Role.GEBRUIKER)  # a login, which is not a client
    client.force_login(beheerder)
    with django_assert_max_num_queries(25):
        page = client.get("/").content.decode()
    assert '<span class="stat-value">1</span> <span class="stat-label">wijk-werker in traject' in page
    assert "Gebruiker</div>" not in page  # the accounts per role are gone
    assert "Gewerkte uren per maand in 2026" in page and "<svg" in page
    assert "/prestaties/?lijst=valideren" in page


@time_machine.travel(NOW, tick=False)
def test_gebruiker_sees_hours_to_confirm_and_what_to_do(client, work, django_assert_max_num_queries):
    _worker, assignment = work
    client.force_login(_client_user(assignment))
    with django_assert_max_num_queries(16):
        page = client.get("/").content.decode()
    assert '<span class="stat-value">1</span> <span class="stat-label">prestatie te bevestigen' in _work_item(
        page, "/mijn/prestaties/")
    assert "Controleer de uren" in page
    assert f'href="{reverse("cheques:my_orders")}"' in page


@time_machine.travel(NOW, tick=False)
def test_wijkwerker_sees_next_jobs_hours_to_register_and_hours_left(client, work, django_assert_max_num_queries):
    worker, _assignment = work
    client.force_login(worker.user)
    with django_assert_max_num_queries(17):
        page = client.get("/").content.decode()
    # Today (Wednesday 11 March) and the Mondays and Wednesdays of the next two weeks; the first three with place.
    assert '<span class="stat-value">5</span> <span class="stat-label">opdrachten in de komende twee weken' in page
    assert "11/03 09:00–12:00 · Gras maaien" in page
    # Monday 9 March has no hours yet.
    assert '<span class="stat-value">1</span> <span class="stat-label">dag met uren nog te registreren' in page
    assert "uren over deze maand (56 u 00)" in page
    assert "Uren per maand in 2026 tegenover het maximum" in page


@time_machine.travel(NOW, tick=False)
def test_gemeente_sees_the_year_so_far_with_a_chart(client, work, gemeente_user, django_assert_max_num_queries):
    client.force_login(gemeente_user)
    with django_assert_max_num_queries(20):
        page = client.get("/").content.decode()
    assert "Het jaar tot nu" in page
    assert '<span class="stat-value">4</span> <span class="stat-label">gewerkte uren in 2026' in page
    assert "&lt; 5" in page  # one client: too few persons to show to municipal staff
    assert "Gewerkte uren per maand in 2026" in page


@time_machine.travel(NOW, tick=False)
def test_recent_activity_shows_what_people_did_linked_and_how_long_ago(client, work, beheerder, bemiddelaar):
    _worker, assignment = work
    prestatie = assignment.prestaties.order_by("date").first()
    audit_log(actor=None, obj=prestatie, action="prestatie.settled", summary="Betaald met 2 cheques",
              organiser=prestatie.organiser)
    client.force_login(beheerder)
    page = client.get("/").content.decode()
    feed = page[page.index("Recente wijzigingen"):]
    assert "Betaald met 2 cheques" not in feed  # the system's entry
    assert f'href="/prestaties/{assignment.prestaties.order_by("-date").first().pk}/"' in feed
    assert "geleden" in feed
    # The bemiddelaar's own actions are not news to the bemiddelaar.
    client.force_login(bemiddelaar)
    page = client.get("/").content.decode()
    assert "Uren gevalideerd" not in page[page.index("Recente activiteit"):]


@time_machine.travel(NOW, tick=False)
def test_staff_workers_panel_loads_at_most_eight_ending_trajectories(client, work, bemiddelaar,
                                                                     django_assert_max_num_queries):
    client.force_login(bemiddelaar)
    with django_assert_max_num_queries(11):
        assert client.get("/wijkwerkers/startpaneel/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_the_hours_against_the_caps_on_the_worker_page_and_the_workers_own(client, work, bemiddelaar):
    worker, _assignment = work
    client.force_login(bemiddelaar)
    panel = client.get(reverse("assignments:worker_hours_panel", args=[worker.pk])).content.decode()
    assert "Uren per maand in 2026 tegenover het maximum" in panel and "maximum per maand" in panel
    # March: 4 hours registered; the table under the chart gives the numbers to a screen reader.
    assert "<th scope=\"row\">mrt</th><td>4</td><td>60</td>" in panel
    # The hours form asks for the gauges of a typed date only: no chart there.
    assert "<svg" not in client.get(reverse("assignments:worker_hours_panel", args=[worker.pk]),
                                    {"date": "2026-03-20"}).content.decode()
    client.force_login(worker.user)
    assert "tegenover het maximum" in client.get(reverse("assignments:my_hours_panel")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_what_happened_so_far_shows_only_the_past(client, work):
    worker, _assignment = work
    client.force_login(worker.user)
    page = client.get(reverse("workers:my_trajectory")).content.decode()
    past = page[page.index("Wat er al gebeurde"):page.index("Wat nog komt")]
    assert "Start" in past and "Gepland einde" not in past and "Volgende evaluatie" not in past
    assert "Gepland einde" in page[page.index("Wat nog komt"):]
