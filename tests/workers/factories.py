import datetime

import factory
from stdnum.be import nn

from tests.core.factories import OrganiserFactory
from workers.models import Referral, Worker


def national_number(n: int, *, born: datetime.date = datetime.date(1985, 7, 30)) -> str:
    """A valid rijksregisternummer: the check digits are searched with stdnum, never computed by hand."""
    base = f"{born:%y%m%d}{(n % 997) + 1:03d}"
    for check in range(100):
        candidate = f"{base}{check:02d}"
        if nn.is_valid(candidate):
            return candidate
    raise ValueError(base)


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    organiser = factory.SubFactory(OrganiserFactory)
    municipality = factory.LazyAttribute(lambda o: o.organiser.municipalities.order_by("name").first())
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    national_number = factory.Sequence(national_number)
    street = "Naamsestraat 1"
    postcode = factory.LazyAttribute(lambda o: o.municipality.postcodes.order_by("code").first().code)
    city = factory.LazyAttribute(lambda o: o.municipality.name)
    referral = Referral.VDAB
    referrer_name = "An Verwijzer"
    referral_date = datetime.date(2026, 1, 5)
    consent_signed_on = datetime.date(2026, 1, 5)
