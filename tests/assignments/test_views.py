import datetime

import pytest
from django.urls import reverse

from assignments.models import Client, ClientStatus, HelpRequest, RegistrationFee, RequestStatus
from assignments.services import activity_restrict
from tests.accounts.factories import PASSWORD
from tests.assignments.factories import ClientFactory, HelpRequestFactory, activity, client_with_login
from wijkwerken.accounts.models import Role, User
from wijkwerken.core.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_list")]

NN = "85.07.30-033.28"


def error_codes(response, field):
    return [error.code for error in response.context["form"].errors.as_data()[field]]


def registration_data(**overrides):
    data = {"category": "particulier", "first_name": "An", "last_name": "Janssens", "national_number": NN,
            "street": "Kerkstraat 3", "postcode": "3020", "city": "Herent", "email": "an@example.test",
            "phone": "", "iban": "", "password1": "Zonnebloem-2026!", "password2": "Zonnebloem-2026!"}
    data.update(overrides)
    return data


def test_public_registration_logs_in_and_shows_portal(client, organiser, herent,
                                                      django_capture_on_commit_callbacks):
    """After the link in the mail (tests/assignments/test_registrations.py covers what the form reveals)."""
    from tests.assignments.test_registrations import confirm_link

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assignments:register"), registration_data())
    assert response.status_code == 302 and response.url == reverse("assignments:register_sent")
    assert not Client.objects.exists()
    response = client.post(confirm_link("an@example.test"))
    assert response.status_code == 302 and response.url == reverse("core:home")
    registered = Client.objects.get()
    assert registered.registered_online and registered.municipality == herent
    panel = client.get(reverse("assignments:panel_client"))
    assert panel.status_code == 200
    assert str(registered.number).encode() in panel.content
    assert client.get(reverse("assignments:my_agreement_pdf")).getvalue()[:5] == b"%PDF-"


def test_public_registration_bad_input_shows_dutch_error_and_saves_nothing(client, organiser, herent):
    response = client.post(reverse("assignments:register"), registration_data(national_number="12345678901"))
    assert response.status_code == 200
    assert error_codes(response, "national_number") == ["invalid_national_number"]
    assert "geen geldig rijksregisternummer" in response.content.decode()
    response = client.post(reverse("assignments:register"), registration_data(postcode="2000", city="Antwerpen"))
    assert error_codes(response, "postcode") == ["outside_organiser"]
    assert not Client.objects.exists() and not User.objects.filter(role=Role.GEBRUIKER).exists()


def test_staff_registers_on_behalf_and_marks_fee_paid(client, organiser, leuven, bemiddelaar):
    client.force_login(bemiddelaar)
    response = client.post(reverse("assignments:client_create"), registration_data(
        email="", postcode="3000", city="Leuven", is_ex_pwa="on"))
    registered = Client.objects.get()
    assert response.url == reverse("assignments:client_detail", args=[registered.pk])
    assert registered.is_ex_pwa and registered.registered_by == bemiddelaar
    client.post(reverse("assignments:client_action", args=[registered.pk, "sign"]),
                {"signed_on": datetime.date.today().isoformat()})
    fee = RegistrationFee.objects.get(client=registered)
    client.post(reverse("assignments:fee_mark_paid", args=[registered.pk, fee.pk]),
                {"paid_on": datetime.date.today().isoformat()})
    registered.refresh_from_db()
    assert registered.status == ClientStatus.ACTIVE
    fee.refresh_from_db()
    assert fee.is_paid
    assert client.get(reverse("assignments:client_detail", args=[registered.pk])).status_code == 200
    entries = AuditEntry.objects.for_object(registered)
    assert set(entries.values_list("actor", flat=True)) == {bemiddelaar.pk}


def test_client_asks_for_help_and_cancels(client, organiser, herent):
    customer, user = client_with_login(herent)
    client.force_login(user)
    grass = activity(organiser, "Gras maaien")
    form = client.get(reverse("assignments:my_request_create"))
    assert grass.name in form.content.decode()
    assert "Wassen van textiel" not in form.content.decode()  # ex-PWA only
    start = datetime.date.today() + datetime.timedelta(days=3)
    response = client.post(reverse("assignments:my_request_create"), {
        "activity": grass.pk, "description": "Achtertuin", "schedule": "once", "start_date": start.isoformat()})
    request = HelpRequest.objects.get()
    assert response.url == reverse("assignments:my_request_detail", args=[request.pk])
    client.post(reverse("assignments:my_request_cancel", args=[request.pk]), {"reason": "Buurman hielp"})
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED


def test_client_sees_only_own_requests(client, organiser, herent):
    mine, me = client_with_login(herent)
    theirs, _ = client_with_login(herent)
    other = HelpRequestFactory(client=theirs, activity=activity(organiser, "Gras maaien"))
    client.force_login(me)
    assert client.get(reverse("assignments:my_request_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("assignments:my_request_cancel", args=[other.pk])).status_code == 404
    assert client.get(reverse("assignments:client_detail", args=[theirs.pk])).status_code == 403
    other.refresh_from_db()
    assert other.status == RequestStatus.NEW


def test_staff_of_another_organiser_gets_404(client, organiser, herent, other_organiser, make_user):
    customer = ClientFactory(municipality=herent)
    outsider = make_user(Role.BEMIDDELAAR, organiser=other_organiser)
    client.force_login(outsider)
    assert client.get(reverse("assignments:client_detail", args=[customer.pk])).status_code == 404
    request = HelpRequestFactory(client=customer, activity=activity(organiser, "Gras maaien"))
    assert client.get(reverse("assignments:request_detail", args=[request.pk])).status_code == 404


def test_queue_filters_and_paginates(client, organiser, leuven, herent, bemiddelaar):
    grass = activity(organiser, "Gras maaien")
    school_bus = activity(organiser, "Busbegeleiding", "onderwijs")
    for _ in range(30):
        HelpRequestFactory(client=ClientFactory(municipality=leuven), activity=grass)
    school = ClientFactory(municipality=herent, category="onderwijs")
    HelpRequestFactory(client=school, activity=school_bus)
    HelpRequestFactory(client=school, activity=school_bus, status=RequestStatus.CANCELLED)
    client.force_login(bemiddelaar)
    page = client.get(reverse("assignments:request_queue"))
    assert page.context["page"].paginator.count == 31 and len(page.context["page"]) == 25
    page = client.get(reverse("assignments:request_queue"), {"category": "onderwijs"})
    assert page.context["page"].paginator.count == 1
    page = client.get(reverse("assignments:request_queue"), {"municipality": herent.pk, "status": "geannuleerd"})
    assert page.context["page"].paginator.count == 1
    page = client.get(reverse("assignments:request_queue"), {"age": "31-"})
    assert page.context["page"].paginator.count == 0
    partial = client.get(reverse("assignments:request_queue"), {"category": "onderwijs"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Busbegeleiding" in partial.content


def test_gemeente_restricts_and_client_can_no_longer_ask(client, organiser, leuven, herent, make_user):
    gemeente = make_user(Role.GEMEENTE, municipality=leuven)
    grass = activity(organiser, "Gras maaien")
    client.force_login(gemeente)
    today = datetime.date.today()
    response = client.post(reverse("assignments:activity_restrict"),
                           {"activity": grass.pk, "valid_from": today.isoformat(), "reason": "Groendienst"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="activity.restrict", actor=gemeente).exists()
    customer, user = client_with_login(leuven)
    client.force_login(user)
    response = client.post(reverse("assignments:my_request_create"), {
        "activity": grass.pk, "description": "x", "schedule": "once", "start_date": today.isoformat()})
    assert response.status_code == 200 and not HelpRequest.objects.exists()
    assert error_codes(response, "activity") == ["restricted_in_municipality"]
    assert "laat “Gras maaien” niet toe" in response.content.decode()
    washing = activity(organiser, "Wassen van textiel")  # ex-PWA only, not in the list, refused with the reason
    response = client.post(reverse("assignments:my_request_create"), {
        "activity": washing.pk, "description": "x", "schedule": "once", "start_date": today.isoformat()})
    assert error_codes(response, "activity") == ["ex_pwa_only"]
    assert "Gras maaien" not in response.context["form"].fields["activity"].widget.choices.__str__()


def test_gemeente_cannot_restrict_elsewhere_or_see_other_municipalities(client, organiser, leuven, herent,
                                                                          make_user):
    herent_local = activity(organiser, "Gras maaien")
    leuven_staff = make_user(Role.GEMEENTE, municipality=leuven)
    herent_staff = make_user(Role.GEMEENTE, municipality=herent)
    activity_restrict(municipality=herent, activity=herent_local, valid_from=datetime.date.today(),
                      actor=herent_staff)
    client.force_login(leuven_staff)
    page = client.get(reverse("assignments:activity_list"))
    assert "not in Herent" not in page.content.decode() and "niet in Herent" not in page.content.decode()
    herent_restriction = herent_local.restrictions.get()
    assert client.post(reverse("assignments:restriction_end", args=[herent_restriction.pk]),
                       {"last_day": datetime.date.today().isoformat()}).status_code == 404
    assert client.get(reverse("assignments:client_list")).status_code == 403


def test_public_activity_page_at_a_stable_address(client, organiser, leuven):
    response = client.get(reverse("assignments:public_activity_list_for", args=["24062", "onderwijs"]))
    names = {a.name for _main, items in response.context["groups"] for a in items}
    assert "Busbegeleiding" in names and "Gras maaien" not in names
    assert client.get(reverse("assignments:public_activity_list_for", args=["24062", "x"])).status_code == 404
    assert client.get(reverse("assignments:public_activity_list_for", args=["21004", "vzw"])).status_code == 404


def test_public_activity_page(client, organiser, leuven):
    response = client.get(reverse("assignments:public_activity_list"),
                          {"municipality": leuven.pk, "category": "particulier"})
    content = response.content.decode()
    assert "Gras maaien" in content and "Wassen van textiel" not in content and "Busbegeleiding" not in content


def test_staff_panels(client, organiser, leuven, bemiddelaar, make_user):
    HelpRequestFactory(client=ClientFactory(municipality=leuven), activity=activity(organiser, "Gras maaien"))
    client.force_login(bemiddelaar)
    assert b"Leuven" in client.get(reverse("assignments:panel_queue")).content
    client.force_login(make_user(Role.GEMEENTE, municipality=leuven, password=PASSWORD))
    assert client.get(reverse("assignments:panel_municipality")).status_code == 200


def test_beheerder_confirms_an_example_from_practice(client, organiser, beheerder):
    pets = activity(organiser, "Oppassen op huisdieren")
    client.force_login(beheerder)
    client.post(reverse("assignments:activity_confirm", args=[pets.pk]))
    pets.refresh_from_db()
    assert pets.status == "officieel"
    assert AuditEntry.objects.for_object(pets).get().changes == {"status": ["praktijkvoorbeeld", "officieel"]}


def test_beheerder_ends_a_flemish_activity_from_a_date(client, organiser, leuven, beheerder):
    grass = activity(organiser, "Gras maaien")
    client.force_login(beheerder)
    client.post(reverse("assignments:activity_end", args=[grass.pk]), {"last_day": "2027-03-31"})
    grass.refresh_from_db()
    assert grass.valid_until == datetime.date(2027, 3, 31)
    public = client.get(reverse("assignments:public_activity_list"),
                        {"municipality": leuven.pk, "category": "particulier", "on": "2027-04-01"})
    names = {a.name for _main, items in public.context["groups"] for a in items}
    assert "Snoeien van hagen" in names and "Gras maaien" not in names


def test_client_signs_online_and_edits_details(client, organiser, herent, leuven):
    customer, user = client_with_login(herent)
    client.force_login(user)
    client.post(reverse("assignments:my_agreement_sign"))
    customer.refresh_from_db()
    assert customer.status == ClientStatus.AGREEMENT_SIGNED
    assert AuditEntry.objects.for_object(customer).get().actor == user
    response = client.post(reverse("assignments:my_details"), {
        "street": "Bondgenotenlaan 1", "postcode": "3000", "city": "Leuven", "phone": "", "email": "",
        "iban": "BE71 0961 2345 6769", "is_ex_pwa": "on"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.municipality == leuven and not customer.is_ex_pwa
