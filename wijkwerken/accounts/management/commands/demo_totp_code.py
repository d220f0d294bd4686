"""The current code of the demo staff's authenticator secret, for a newcomer without an authenticator app."""

import time

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from wijkwerken.accounts.demo import DEMO_TOTP_SECRET, demo_totp_key


class Command(BaseCommand):
    help = "Print the current two-step login code of the demo staff accounts (demo secret only)."

    def handle(self, *args, **options):
        totp = TOTP(bytes.fromhex(demo_totp_key()), step=30, t0=0, digits=6)
        totp.time = time.time()
        left = 30 - int(totp.time) % 30
        self.stdout.write(f"{totp.token():06d}  (valid for {left} more seconds; secret {DEMO_TOTP_SECRET})")
