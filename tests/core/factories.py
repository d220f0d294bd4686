import datetime
from decimal import Decimal

import factory

from wijkwerken.core.models import ChequePrice, Municipality, Organiser, PostalCode, RuleSet
from wijkwerken.core.municipalities import sync_flemish_municipalities

# Valid Belgian enterprise numbers (mod 97) for test organisers; not the demo organiser's (0765.432.146), so a test
# organiser can join the demo world.
_KBO_BASES = [f"0{n:07d}" for n in range(7654300, 7654400) if n != 7654321]


def _kbo(n):
    base = _KBO_BASES[n % len(_KBO_BASES)]
    number = base + f"{97 - int(base) % 97:02d}"
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    name = factory.Sequence(lambda n: f"Wijk-werken Test {n}")
    street = "Stationsstraat 1"
    postcode = "3000"
    city = "Leuven"
    kbo_number = factory.Sequence(_kbo)
    iban = "BE71 0961 2345 6769"
    bic = "GKCCBEBB"
    email = factory.Sequence(lambda n: f"info{n}@organiser.test")


def municipality_for(organiser, nis_code) -> Municipality:
    """Attach one of the seeded Flemish municipalities to `organiser`."""
    if not Municipality.objects.filter(nis_code=nis_code).exists():
        # Transactional tests truncate the tables the data migration filled.
        sync_flemish_municipalities(Municipality, PostalCode)
    municipality = Municipality.objects.get(nis_code=nis_code)
    municipality.organiser = organiser
    municipality.save(update_fields=["organiser"])
    return municipality


class RuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleSet

    organiser = factory.SubFactory(OrganiserFactory)
    valid_from = datetime.date(2018, 1, 1)
    note = "Wettelijke waarden"


class ChequePriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChequePrice

    price = Decimal("5.95")
    decided_on = datetime.date(2024, 10, 1)
    valid_from = datetime.date(2025, 1, 1)
