"""Search-as-you-type fields: at most a page of the organiser's own, the typed text looked up without JavaScript."""

import lxml.html
import pytest
from django.urls import reverse

from tests.assignments.factories import ClientFactory
from tests.workers.factories import WorkerFactory
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import Municipality
from wijkwerken.core.search import PAGE

pytestmark = pytest.mark.django_db


def matches(client, source, query, **extra):
    response = client.get(reverse("core:search", args=[source]),
                          {"field": "worker", "id": "id_worker", "worker_q": query, **extra})
    assert response.status_code == 200
    page = lxml.html.fromstring(f"<div>{response.content.decode()}</div>")
    return page, [(box.get("value"), page.xpath(f"//label[@for='{box.get('id')}']")[0].text_content())
                  for box in page.xpath("//input[@type='radio'][@name='worker']")]


def test_never_another_organisers_worker(client, bemiddelaar, leuven, other_organiser):
    gent = Municipality.objects.get(nis_code="44021")
    own = WorkerFactory(organiser=leuven.organiser, municipality=leuven, first_name="Lies", last_name="Wouters")
    WorkerFactory(organiser=other_organiser, municipality=gent, first_name="Lies", last_name="Wouters")
    client.force_login(bemiddelaar)
    _page, found = matches(client, "workers", "lies wout")
    assert [value for value, _label in found] == [str(own.pk)]
    assert "Wouters Lies · Leuven" in found[0][1]


def test_at_most_a_page_and_a_hint_to_type_more(client, bemiddelaar, leuven):
    for n in range(PAGE + 3):
        WorkerFactory(organiser=leuven.organiser, municipality=leuven, first_name="Jan", last_name=f"Peeters{n:02}")
    client.force_login(bemiddelaar)
    page, found = matches(client, "workers", "peeters")
    assert len(found) == PAGE
    status = page.xpath("//*[@id='id_worker_status']")[0]
    assert status.get("hx-swap-oob") == "innerHTML" and f"{PAGE}" in status.text_content()
    _page, found = matches(client, "workers", "peeters12")
    assert len(found) == 1


def test_a_single_letter_or_nothing_found_says_so(client, bemiddelaar, leuven):
    client.force_login(bemiddelaar)
    response = client.get(reverse("core:search", args=["workers"]), {"field": "worker", "id": "id_worker",
                                                                     "worker_q": "j"})
    assert response.context["matches"].too_short and 'type="radio"' not in response.content.decode()
    page, found = matches(client, "workers", "xqzw")
    assert found == [] and "xqzw" in page.xpath("//*[@id='id_worker_status']")[0].text_content()


def test_clients_by_name_or_number_of_the_organiser_only(client, bemiddelaar, leuven, other_organiser):
    own = ClientFactory(municipality=leuven, first_name="Griet", last_name="Maes")
    ClientFactory(municipality=Municipality.objects.get(nis_code="44021"), first_name="Griet", last_name="Maes")
    client.force_login(bemiddelaar)
    assert [v for v, _label in matches(client, "clients", "griet")[1]] == [str(own.pk)]
    assert [v for v, _label in matches(client, "clients", str(own.number))[1]] == [str(own.pk)]


@pytest.mark.parametrize("role", [Role.GEMEENTE, Role.WIJKWERKER, Role.GEBRUIKER])
def test_only_staff_may_search(client, make_user, leuven, role):
    WorkerFactory(organiser=leuven.organiser, municipality=leuven, first_name="Lies", last_name="Wouters")
    extra = {"municipality": leuven} if role == Role.GEMEENTE else {}
    client.force_login(make_user(role=role, **extra))
    response = client.get(reverse("core:search", args=["workers"]),
                          {"field": "worker", "id": "id_worker", "worker_q": "lies"})
    assert response.status_code == 403


def test_unknown_source_or_odd_field_name_is_a_404(client, bemiddelaar):
    client.force_login(bemiddelaar)
    url = reverse("core:search", args=["workers"])
    assert client.get(reverse("core:search", args=["nobody"]), {"field": "worker", "id": "x"}).status_code == 404
    assert client.get(url, {"field": "worker\"><b", "id": "id_worker"}).status_code == 404


def test_exclusion_form_without_javascript(client, bemiddelaar, leuven):
    """Typed and sent: one match is taken, several are listed to choose from, none is said plainly."""
    from assignments.models import WorkerExclusion

    greet = ClientFactory(municipality=leuven)
    an = WorkerFactory(organiser=leuven.organiser, municipality=leuven, first_name="An", last_name="Claes")
    WorkerFactory(organiser=leuven.organiser, municipality=leuven, first_name="Anke", last_name="Claes")
    client.force_login(bemiddelaar)
    url = reverse("assignments:client_exclusions", args=[greet.pk])
    page = lxml.html.fromstring(client.get(url).content.decode())
    assert not page.xpath("//select[@name='worker']") and page.xpath("//input[@name='worker_q']")
    response = client.post(url, {"worker_q": "claes", "reason": "Op vraag"})
    assert not WorkerExclusion.objects.exists()
    assert response.context["form"].errors.as_data()["worker"][0].code == "several"
    page = lxml.html.fromstring(response.content.decode())
    assert len(page.xpath("//input[@type='radio'][@name='worker']")) == 2
    response = client.post(url, {"worker_q": "zzz", "reason": "Op vraag"})
    assert response.context["form"].errors.as_data()["worker"][0].code == "no_match"
    assert not WorkerExclusion.objects.exists()
    response = client.post(url, {"worker_q": "claes", "worker": an.pk, "reason": "Op vraag"})
    assert response.status_code == 302
    assert WorkerExclusion.objects.get().worker == an


def test_a_worker_of_another_organiser_cannot_be_posted(client, bemiddelaar, leuven, other_organiser):
    from assignments.models import WorkerExclusion

    greet = ClientFactory(municipality=leuven)
    foreign = WorkerFactory(organiser=other_organiser, municipality=Municipality.objects.get(nis_code="44021"))
    client.force_login(bemiddelaar)
    response = client.post(reverse("assignments:client_exclusions", args=[greet.pk]),
                           {"worker": foreign.pk, "reason": "Op vraag"})
    assert response.status_code == 200 and not WorkerExclusion.objects.exists()
