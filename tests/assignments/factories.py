"""Factories for the demand side. Identifiers are made valid by asking python-stdnum, never by hand."""

import datetime
import itertools

import factory
from stdnum.be import nn as stdnum_nn
from stdnum.be import vat as stdnum_vat

from assignments.models import (
    Activity,
    Client,
    ClientCategory,
    ClientContact,
    HelpRequest,
    MainActivity,
    ScheduleKind,
)
from assignments.services.activities import activity_list_seed
from assignments.services.clients import structured_communication_for
from tests.accounts.factories import UserFactory
from wijkwerken.accounts.models import Role

_numbers = itertools.count(200001)


def valid_national_number(n: int) -> str:
    """A valid rijksregisternummer for someone born in 1970-1999 (counter from n)."""
    base = f"{70 + n % 30:02d}{1 + n % 12:02d}{1 + n % 28:02d}{n % 997 + 1:03d}"
    return next(base + f"{c:02d}" for c in range(100) if stdnum_nn.is_valid(base + f"{c:02d}"))


def valid_kbo(n: int) -> str:
    base = f"0{800000000 + n * 7919 % 99999999:09d}"[:8]
    number = next(base + f"{c:02d}" for c in range(100) if stdnum_vat.is_valid(base + f"{c:02d}"))
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def seed_activity_list(organiser):
    """The shipped Flemish list for `organiser` (also after transactional tests truncated the tables)."""
    activity_list_seed(organiser=organiser)
    return Activity.objects.filter(organiser=organiser)


def activity(organiser, name, category=ClientCategory.PARTICULIER):
    return Activity.objects.get(organiser=organiser, municipality__isnull=True, category=category, name=name)


class MainActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MainActivity
        django_get_or_create = ("name",)

    name = "Klein tuinonderhoud"
    code = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    category = ClientCategory.PARTICULIER
    main_activity = factory.SubFactory(MainActivityFactory)
    name = factory.Sequence(lambda n: f"Activiteit {n}")
    valid_from = datetime.date(2018, 1, 1)


class ClientFactory(factory.django.DjangoModelFactory):
    """A private client in `municipality` (pass an organiser's municipality)."""

    class Meta:
        model = Client

    organiser = factory.LazyAttribute(lambda o: o.municipality.organiser)
    number = factory.LazyFunction(lambda: next(_numbers))
    structured_communication = factory.LazyAttribute(lambda o: structured_communication_for(o.number))
    category = ClientCategory.PARTICULIER
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Peeters{n}")
    name = factory.LazyAttribute(lambda o: f"{o.first_name} {o.last_name}" if o.category == "particulier"
                                 else f"Organisatie {o.number}")
    national_number = factory.LazyAttribute(
        lambda o: valid_national_number(o.number) if o.category == "particulier" else "")
    kbo_number = factory.LazyAttribute(lambda o: "" if o.category == "particulier" else valid_kbo(o.number))
    street = "Kerkstraat 1"
    postcode = factory.LazyAttribute(lambda o: o.municipality.postcodes.first().code)
    city = factory.LazyAttribute(lambda o: o.municipality.name)
    email = factory.Sequence(lambda n: f"client{n}@example.test")


def client_with_login(municipality, **kwargs):
    """A client and the gebruiker login that belongs to it."""
    client = ClientFactory(municipality=municipality, **kwargs)
    user = UserFactory(role=Role.GEBRUIKER, organiser=client.organiser, municipality=municipality,
                       email=f"login-{client.number}@example.test")
    ClientContact.objects.create(client=client, user=user, is_primary=True)
    return client, user


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequest

    client = None
    organiser = factory.LazyAttribute(lambda o: o.client.organiser)
    activity = None
    description = "Gras maaien in de voortuin"
    street = factory.LazyAttribute(lambda o: o.client.street)
    postcode = factory.LazyAttribute(lambda o: o.client.postcode)
    city = factory.LazyAttribute(lambda o: o.client.city)
    municipality = factory.LazyAttribute(lambda o: o.client.municipality)
    schedule = ScheduleKind.ONCE
    start_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
    end_date = factory.LazyAttribute(lambda o: o.start_date)
