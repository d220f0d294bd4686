"""Demo two-step login: the demo staff share one authenticator secret, printed in the README, so a newcomer can
add it to an authenticator app (or let `manage.py demo_totp_code` compute the code), and each gets a few
recovery codes, printed by seed_demo (new ones on every run)."""

from base64 import b32decode

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ORGANISER_STAFF_ROLES, User
from .services import AUTHENTICATOR_NAME, RECOVERY_DEVICE_NAME

# Base32, as an authenticator app asks for it. Demo only: anyone who reads the README knows it.
DEMO_TOTP_SECRET = "WIJKWERKENDEMO2FAWIJKWERKENDEMO2"
DEMO_RECOVERY_CODES = 3


def demo_totp_key() -> str:
    """The demo secret as django-otp stores it (hex)."""
    return b32decode(DEMO_TOTP_SECRET).hex()


def seed(organiser, stdout):
    staff = User.objects.filter(organiser=organiser, email__endswith="@demo.wijkwerken.be",
                                role__in=ORGANISER_STAFF_ROLES).order_by("email")
    stdout.write(f"Two-step login of the demo staff: authenticator secret {DEMO_TOTP_SECRET} "
                 "(or run `python manage.py demo_totp_code`); recovery codes (each works once):")
    for user in staff:
        TOTPDevice.objects.filter(user=user).exclude(name=AUTHENTICATOR_NAME).delete()
        TOTPDevice.objects.update_or_create(user=user, name=AUTHENTICATOR_NAME,
                                            defaults={"key": demo_totp_key(), "confirmed": True})
        device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME,
                                                              defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _index in range(DEMO_RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
        stdout.write(f"  {user.email:<32} {' '.join(codes)}")
