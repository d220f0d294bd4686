"""Demo data for the demand side: the activity list, about 40 clients over every category and the three demo
municipalities, requests in every status, and the demo account gebruiker@demo.wijkwerken.be linked to a
private client in Herent. Safe to run again: clients are looked up by their national or enterprise number."""

import datetime
from decimal import Decimal

from django.utils import timezone
from stdnum.be import nn as stdnum_nn
from stdnum.be import vat as stdnum_vat

from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import today
from wijkwerken.core.management.commands.seed_demo import DEMO_PASSWORD

from ..models import (
    Activity,
    Client,
    ClientCategory,
    ClientContact,
    ClientRegistration,
    ClientStatus,
    HelpRequest,
    RequestStatus,
    ScheduleKind,
)
from ..services import (
    activity_list_seed,
    activity_restrict,
    client_register,
    client_registration_confirm,
    client_registration_submit,
    client_sign_agreement,
    client_stop,
    help_request_change_status,
    help_request_create,
    registration_fee_mark_paid,
)

DEMO_CLIENT_EMAIL = "gebruiker@demo.wijkwerken.be"

# (municipality NIS, postcode, place, street)
ADDRESSES = {
    "24062": [("3000", "Leuven", "Naamsestraat"), ("3001", "Heverlee", "Celestijnenlaan"),
              ("3010", "Kessel-Lo", "Diestsesteenweg"), ("3012", "Wilsele", "Aarschotsesteenweg"),
              ("3018", "Wijgmaal", "Wijgmaalsesteenweg")],
    "24038": [("3020", "Herent", "Wijgmaalsesteenweg"), ("3020", "Veltem-Beisem", "Brusselsesteenweg"),
              ("3020", "Winksele", "Leuvensesteenweg")],
    "24009": [("3060", "Bertem", "Dorpstraat"), ("3061", "Leefdaal", "Kasteelstraat"),
              ("3060", "Korbeek-Dijle", "Schoolstraat")],
}
NIS_CYCLE = ["24062", "24038", "24009"]

PEOPLE = [
    ("Maria", "Peeters"), ("Jozef", "Janssens"), ("Lutgarde", "Maes"), ("Marcel", "Jacobs"), ("Godelieve", "Mertens"),
    ("Frans", "Willems"), ("Rita", "Claes"), ("Albert", "Goossens"), ("Simonne", "Wouters"), ("Paul", "De Smet"),
    ("Denise", "Vermeulen"), ("Roger", "Van den Broeck"), ("Jeannine", "Hermans"), ("Willy", "Aerts"),
    ("Mariette", "Dubois"), ("André", "Lemmens"), ("Yvonne", "Vandenberghe"), ("Gilbert", "Michiels"),
    ("Agnes", "Verstraeten"), ("Eddy", "Smets"), ("Nadia", "El Amrani"), ("Karel", "Bogaerts"),
]
ORGANISATIONS = [
    (ClientCategory.LOKAAL_BESTUUR, "OCMW Bertem", "24009"),
    (ClientCategory.LOKAAL_BESTUUR, "Gemeente Herent, dienst evenementen", "24038"),
    (ClientCategory.LOKAAL_BESTUUR, "Stad Leuven, groendienst", "24062"),
    (ClientCategory.LOKAAL_BESTUUR, "Woonzorgcentrum Ter Bank (OCMW)", "24062"),
    (ClientCategory.ONDERWIJS, "Basisschool De Wijsneus", "24038"),
    (ClientCategory.ONDERWIJS, "Sint-Jozefscollege Heverlee", "24062"),
    (ClientCategory.ONDERWIJS, "Gemeentelijke basisschool Leefdaal", "24009"),
    (ClientCategory.ONDERWIJS, "Kunstacademie Kessel-Lo", "24062"),
    (ClientCategory.VZW, "Vzw Buurtwerk 't Lampeke", "24062"),
    (ClientCategory.VZW, "Voetbalclub KVK Veltem", "24038"),
    (ClientCategory.VZW, "Vzw Kringwinkel Dijleland", "24062"),
    (ClientCategory.VZW, "Scouts Bertem", "24009"),
    (ClientCategory.VZW, "Vzw Sociaal Restaurant De Wiekslag", "24038"),
    (ClientCategory.LAND_TUINBOUW, "Fruitbedrijf Van Roy", "24009"),
    (ClientCategory.LAND_TUINBOUW, "Serre Winksele bv", "24038"),
    (ClientCategory.LAND_TUINBOUW, "Hoeve De Kleine Dijle", "24062"),
    (ClientCategory.LAND_TUINBOUW, "Aardbeienkwekerij Leefdaal", "24009"),
]
DESCRIPTIONS = {
    "Klein tuinonderhoud": "Gras maaien en de haag langs de oprit snoeien.",
    "Kleine herstellings- en onderhoudswerken": "Een paar lampen vervangen en een kast in elkaar zetten.",
    "Ondersteuning en hulp bij begeleiding van personen": "Begeleiding op vaste momenten in de week.",
    "Ondersteuning van personen bij huishoudelijke taken": "Hulp bij het koken en afwassen.",
    "Logistieke taken": "Helpen klaarzetten en opruimen.",
    "Activiteiten in functie van preventie": "Toezicht bij de in- en uitgang.",
    "Hulp bij administratieve taken": "Post sorteren en eenvoudig klasseerwerk.",
    "Land- en tuinbouw": "Hulp bij het oogsten en verpakken in het seizoen.",
}
# The status each demo client ends in, cycling: most are active, some still on the way, a few stopped.
CLIENT_STATUSES = [ClientStatus.ACTIVE] * 6 + [ClientStatus.APPLIED, ClientStatus.AGREEMENT_SIGNED,
                                               ClientStatus.ACTIVE, ClientStatus.STOPPED]
REQUEST_STATUSES = [RequestStatus.NEW, RequestStatus.IN_PROGRESS, RequestStatus.ASSIGNED,
                    RequestStatus.CLOSED, RequestStatus.CANCELLED, RequestStatus.NEW]


def _national_number(n: int) -> str:
    base = f"{40 + n % 50:02d}{1 + n % 12:02d}{1 + (n * 7) % 28:02d}{(n * 37) % 997 + 1:03d}"
    return next(base + f"{c:02d}" for c in range(100) if stdnum_nn.is_valid(base + f"{c:02d}"))


def _kbo(n: int) -> str:
    base = f"0{4123457 + n * 1013:07d}"
    number = next(base + f"{c:02d}" for c in range(100) if stdnum_vat.is_valid(base + f"{c:02d}"))
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def seed(organiser, stdout) -> None:
    created = activity_list_seed(organiser=organiser)
    stdout.write(f"  activity list: {created} activities added")
    staff = User.objects.filter(organiser=organiser, role=Role.BEMIDDELAAR).first()
    gemeente = User.objects.filter(organiser=organiser, role=Role.GEMEENTE).first()
    if staff is None:
        stdout.write("  no bemiddelaar account: skipping clients")
        return
    _seed_restriction(organiser, gemeente)
    clients = _seed_demo_account_client(organiser, staff)
    clients += _seed_private_clients(organiser, staff)
    clients += _seed_organisations(organiser, staff)
    stdout.write(f"  clients: {len(clients)} added ({Client.objects.filter(organiser=organiser).count()} in all)")
    _seed_held_registration(organiser, stdout)
    requests = sum(_seed_requests(client, staff, index) for index, client in enumerate(clients))
    stdout.write(f"  requests: {requests} added")
    from .incidents import seed_incidents
    from .placements import seed_placements

    seed_placements(organiser, stdout)
    seed_incidents(organiser, stdout)


def _seed_restriction(organiser, gemeente) -> None:
    """Leuven restricts snow clearing for private persons (its own winter service) from 1 January next year."""
    if gemeente is None or gemeente.municipality is None:
        return
    snow = Activity.objects.filter(organiser=organiser, municipality__isnull=True, category="particulier",
                                   name="Ruimen van sneeuw").first()
    if snow is None or snow.restrictions.filter(municipality=gemeente.municipality).exists():
        return
    activity_restrict(municipality=gemeente.municipality, activity=snow,
                      valid_from=datetime.date(today().year + 1, 1, 1), actor=gemeente,
                      reason="Eigen winterdienst (demo)")


def _register(organiser, staff, *, category, index, name_pair=None, organisation_name="", nis=None):
    nis = nis or NIS_CYCLE[index % 3]
    postcode, city, street = ADDRESSES[nis][index % len(ADDRESSES[nis])]
    first_name, last_name = name_pair or PEOPLE[index % len(PEOPLE)]
    identifier = {"national_number": _national_number(index)} if category == ClientCategory.PARTICULIER else {
        "kbo_number": _kbo(index)}
    existing = Client.objects.filter(organiser=organiser, **identifier).first()
    if existing is not None:
        return existing, False
    client = client_register(
        category=category, first_name=first_name, last_name=last_name, organisation_name=organisation_name,
        street=f"{street} {10 + index * 3}", postcode=postcode, city=city, organiser=organiser,
        iban="BE71 0961 2345 6769" if index % 2 else "", is_ex_pwa=index % 9 == 4, actor=staff, **identifier,
    )
    slug = (organisation_name or f"{first_name}.{last_name}").lower().replace(" ", "").replace("'", "")[:30]
    # Registered some weeks before the agreement was signed (see _bring_to_status).
    Client.objects.filter(pk=client.pk).update(
        email=f"{slug}@voorbeeld.be", phone=f"016 {20 + index % 80:02d} 45 67",
        created_at=timezone.now() - datetime.timedelta(days=45 + (index % 25) * 11))
    client.refresh_from_db()
    return client, True


HELD_REGISTRATION_EMAIL = "maria.peeters.online@voorbeeld.be"


def _seed_held_registration(organiser, stdout) -> None:
    """Maria Peeters, registered at the desk without a login, registers online with her national number: the
    registration waits for the bemiddelaar's check (Online registrations)."""
    if ClientRegistration.objects.filter(organiser=organiser, email=HELD_REGISTRATION_EMAIL).exists():
        return
    maria = Client.objects.filter(organiser=organiser, national_number=_national_number(0)).first()
    if maria is None:
        return
    registration = client_registration_submit(
        category=ClientCategory.PARTICULIER, first_name=maria.first_name, last_name=maria.last_name,
        national_number=maria.national_number, street=maria.street, postcode=maria.postcode, city=maria.city,
        email=HELD_REGISTRATION_EMAIL, phone="0470 12 34 56", password=DEMO_PASSWORD)
    client_registration_confirm(registration=registration)
    stdout.write(f"  online registration held for a check: {HELD_REGISTRATION_EMAIL}")


def _bring_to_status(client, status, staff, index) -> None:
    if status == ClientStatus.APPLIED:
        return
    signed_on = today() - datetime.timedelta(days=30 + (index % 25) * 11)
    client_sign_agreement(client=client, signed_on=signed_on, actor=staff)
    if status in (ClientStatus.ACTIVE, ClientStatus.STOPPED):
        fee = client.fees.get(year=today().year)
        registration_fee_mark_paid(fee=fee, paid_on=signed_on + datetime.timedelta(days=5), actor=staff)
    if status == ClientStatus.STOPPED:
        client_stop(client=client, reason="Verhuisd naar een andere gemeente", actor=staff)


def _seed_demo_account_client(organiser, staff) -> list:
    user = User.objects.filter(email=DEMO_CLIENT_EMAIL).first()
    if user is None or hasattr(user, "client_contact"):
        return []
    client, new = _register(organiser, staff, category=ClientCategory.PARTICULIER, index=99,
                            name_pair=(user.first_name, user.last_name), nis="24038")
    ClientContact.objects.get_or_create(client=client, user=user, defaults={"is_primary": True})
    Client.objects.filter(pk=client.pk).update(email=user.email)
    if new:
        _bring_to_status(client, ClientStatus.ACTIVE, staff, 1)
    return [client] if new else []


def _seed_private_clients(organiser, staff) -> list:
    clients = []
    for index in range(len(PEOPLE)):
        client, new = _register(organiser, staff, category=ClientCategory.PARTICULIER, index=index)
        if new:
            _bring_to_status(client, CLIENT_STATUSES[index % len(CLIENT_STATUSES)], staff, index)
            clients.append(client)
    return clients


def _seed_organisations(organiser, staff) -> list:
    clients = []
    for offset, (category, name, nis) in enumerate(ORGANISATIONS):
        index = 100 + offset
        client, new = _register(organiser, staff, category=category, index=index, organisation_name=name,
                                name_pair=PEOPLE[(offset * 5) % len(PEOPLE)], nis=nis)
        if new:
            _bring_to_status(client, CLIENT_STATUSES[offset % len(CLIENT_STATUSES)], staff, offset)
            if offset < 4:
                _demo_contact(client, offset)
            clients.append(client)
    return clients


def _demo_contact(client, offset) -> None:
    """A contact person with a login for a few organisations (demo password, so no mail is sent)."""
    email = f"contact{offset + 1}@demo.wijkwerken.be"
    if User.objects.filter(email=email).exists():
        return
    first_name, last_name = PEOPLE[(offset * 5) % len(PEOPLE)]
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first_name,
                                    last_name=last_name, role=Role.GEBRUIKER, organiser=client.organiser,
                                    municipality=client.municipality)
    ClientContact.objects.create(client=client, user=user, position="contactpersoon", is_primary=True)


def _seed_requests(client, staff, index) -> int:
    client.refresh_from_db()
    if client.status == ClientStatus.STOPPED or client.requests.exists():
        return 0
    from ..selectors import activities_allowed_for

    start = today() + datetime.timedelta(days=3 + index % 20)
    # Allowed on the first and on the last day of a recurring period.
    later = set(activities_allowed_for(client=client, on=start + datetime.timedelta(days=90)))
    allowed = [a for a in activities_allowed_for(client=client, on=start) if a in later]
    if not allowed:
        return 0
    count = 1 if client.status != ClientStatus.ACTIVE else 2
    made = 0
    for n in range(count):
        activity = allowed[(index + n * 3) % len(allowed)]
        recurring = client.category != ClientCategory.PARTICULIER or (index + n) % 4 == 0
        extra = {}
        if recurring:
            extra = {"schedule": ScheduleKind.RECURRING, "end_date": start + datetime.timedelta(days=90),
                     "weekdays": [(index + n) % 5, (index + n + 2) % 5], "hours_per_week": Decimal("4"),
                     "time_from": datetime.time(9), "time_until": datetime.time(11)}
        else:
            extra = {"time_from": datetime.time(13, 30), "time_until": datetime.time(16)}
        help_request = help_request_create(
            client=client, activity=activity, start_date=start, actor=staff,
            description=DESCRIPTIONS.get(activity.main_activity.name, activity.name),
            special_needs="Hond in de tuin." if (index + n) % 5 == 0 else "", **extra,
        )
        _move_request(help_request, REQUEST_STATUSES[(index + n) % len(REQUEST_STATUSES)], staff)
        # Spread the requests over the last weeks so the age filter has something to show.
        HelpRequest.objects.filter(pk=help_request.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=(index * 3 + n * 7) % 45, hours=index % 9)
        )
        made += 1
    return made


def _move_request(help_request, status, staff) -> None:
    path = {
        RequestStatus.NEW: [],
        RequestStatus.IN_PROGRESS: [RequestStatus.IN_PROGRESS],
        RequestStatus.ASSIGNED: [RequestStatus.IN_PROGRESS, RequestStatus.ASSIGNED],
        RequestStatus.CLOSED: [RequestStatus.IN_PROGRESS, RequestStatus.ASSIGNED, RequestStatus.CLOSED],
        RequestStatus.CANCELLED: [RequestStatus.CANCELLED],
    }[status]
    notes = {RequestStatus.IN_PROGRESS: "Gebeld met de gebruiker", RequestStatus.ASSIGNED: "Wijk-werker gevonden",
             RequestStatus.CLOSED: "Klus afgerond", RequestStatus.CANCELLED: "Zelf opgelost"}
    for step in path:
        help_request = help_request_change_status(help_request=help_request, status=step, actor=staff, note=notes[step])
