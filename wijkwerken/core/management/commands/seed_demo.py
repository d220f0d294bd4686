"""Demo data for a new user: one organiser, three neighbouring municipalities, one account per role.

Safe to run again: everything is looked up by a natural key first. Later apps add their part in `DEMO_STEPS`.
"""

import datetime
import importlib
from decimal import Decimal

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from wijkwerken.accounts.models import Role, User
from wijkwerken.core.models import ChequePrice, Municipality, Organiser, PostalCode, RuleSet
from wijkwerken.core.municipalities import sync_flemish_municipalities

DEMO_PASSWORD = "wijkwerken-demo"
DEMO_KBO = "0765.432.146"
DEMO_MUNICIPALITIES = ("24062", "24038", "24009")  # Leuven, Herent, Bertem

DEMO_ACCOUNTS = [
    ("beheerder@demo.wijkwerken.be", "Bea", "Beheer", Role.BEHEERDER, None),
    ("bemiddelaar@demo.wijkwerken.be", "Bram", "Bemiddel", Role.BEMIDDELAAR, None),
    ("werkcoach@demo.wijkwerken.be", "Wendy", "Coach", Role.WERKCOACH, None),
    ("gemeente@demo.wijkwerken.be", "Geert", "Van Leuven", Role.GEMEENTE, "24062"),
    ("gebruiker@demo.wijkwerken.be", "Greet", "Gebruiker", Role.GEBRUIKER, "24038"),
    ("wijkwerker@demo.wijkwerken.be", "Wout", "Werker", Role.WIJKWERKER, "24009"),
    # The second werkcoach of the coaching demo, made here so that the two-step login demo (which runs before the
    # coaching demo) sets up every staff account on the first run.
    ("kobe.coach@demo.wijkwerken.be", "Kobe", "Coach", Role.WERKCOACH, None),
]


def seed_organiser() -> Organiser:
    organiser, _ = Organiser.objects.get_or_create(
        kbo_number=DEMO_KBO,
        defaults={
            "name": "Wijk-werken Dijleland (demo)",
            "street": "Diestsevest 32",
            "postcode": "3000",
            "city": "Leuven",
            "iban": "BE71 0961 2345 6769",
            "bic": "GKCCBEBB",
            "email": "info@demo.wijkwerken.be",
            "phone": "016 12 34 56",
        },
    )
    if not Municipality.objects.exists():
        sync_flemish_municipalities(Municipality, PostalCode)
    Municipality.objects.filter(nis_code__in=DEMO_MUNICIPALITIES, organiser__isnull=True).update(organiser=organiser)
    RuleSet.objects.get_or_create(
        organiser=organiser, valid_from=datetime.date(2018, 1, 1),
        defaults={"note": "Wettelijke waarden (decreet 7 juli 2017, BVR 29 september 2017)"},
    )
    leuven = Municipality.objects.get(nis_code="24062")
    ChequePrice.objects.get_or_create(
        municipality=leuven, valid_from=datetime.date(2025, 1, 1),
        defaults={"price": Decimal("6.45"), "decided_on": datetime.date(2024, 10, 21)},
    )
    return organiser


def seed_accounts(organiser) -> list[User]:
    users = []
    for email, first_name, last_name, role, nis_code in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name, role=role,
                organiser=organiser,
                municipality=Municipality.objects.get(nis_code=nis_code) if nis_code else None,
            )
        users.append(user)
    return users


def demo_modules():
    """Each app may ship a `demo` module with `seed(organiser, stdout)`; they run in INSTALLED_APPS order,
    so lower apps seed before the apps that build on them. Each must be safe to run twice."""
    for app_config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{app_config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.demo":
                raise
            continue
        yield app_config, module


class Command(BaseCommand):
    help = "Create the demo organiser, its municipalities and one account per role (safe to run twice)."

    def handle(self, *args, **options):
        with transaction.atomic():
            organiser = seed_organiser()
            users = seed_accounts(organiser)
            for app_config, module in demo_modules():
                self.stdout.write(f"Seeding {app_config.label} ...")
                module.seed(organiser, self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo organiser: {organiser.name}"))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.get_role_display():<16} {user.email}")
        from wijkwerken.accounts.demo import DEMO_TOTP_SECRET

        self.stdout.write(f"Beheerder, bemiddelaar and werkcoach log in in two steps: after the password, the code of "
                          f"the authenticator secret {DEMO_TOTP_SECRET} (`python manage.py demo_totp_code` prints "
                          "it), or one of their recovery codes printed above.")
