"""Writes on accounts: creating a login (for staff, workers and clients alike) with the mail to choose a password,
and the staff accounts the beheerder manages."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from wijkwerken.core.audit import audit_log, diff_fields
from wijkwerken.core.tasks import send_email

from .models import ORGANISER_STAFF_ROLES, STAFF_ACCOUNT_ROLES, Role, User

STAFF_FIELDS = ("first_name", "last_name", "phone", "role", "municipality", "is_active")


def password_setup_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:password_reset_confirm", args=[uid, token])


def password_setup_mail_send(user: User) -> None:
    """Mail the person a link to choose their password, after the commit: the one welcome mail for every role."""
    body = render_to_string("accounts/email/welcome.txt", {"user": user, "link": password_setup_link(user),
                                                            "site_url": settings.SITE_URL})
    subject = _("Your wijkwerken account")
    transaction.on_commit(lambda: send_email.delay(subject, body, [user.email]))


def login_create(*, email: str, first_name: str, last_name: str, role: str, organiser, municipality=None,
                 phone: str = "", password: str | None = None, password_hash: str | None = None) -> User:
    """A new login. Without `password` (or `password_hash`, a password hashed earlier with `make_password`)
    nobody can use it until the person chooses one through the link of `password_setup_mail_send`. An e-mail
    address that already has an account is refused. Call inside the caller's transaction (the caller writes the
    audit entry)."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ValidationError(
            _("An account with this e-mail address already exists."), code="duplicate_email")})
    user = User(email=email, first_name=first_name, last_name=last_name, role=role, organiser=organiser,
                municipality=municipality, phone=phone)
    if password:
        user.set_password(password)
    elif password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def _check_role_scope(*, organiser, role, municipality):
    if role not in STAFF_ACCOUNT_ROLES:
        raise ValidationError({"role": ValidationError(_("Choose a staff role."), code="not_a_staff_role")})
    if role == Role.GEMEENTE and municipality is None:
        raise ValidationError({"municipality": ValidationError(
            _("Municipal staff must be linked to one municipality."), code="no_municipality")})
    if municipality is not None and municipality.organiser_id != organiser.pk:
        raise ValidationError({"municipality": ValidationError(
            _("This municipality does not belong to your organisation."), code="foreign_municipality")})


def staff_account_create(*, organiser, email, first_name, last_name, role, municipality=None, phone="",
                         actor) -> User:
    """Create a staff account without a password and mail the person a link to choose one."""
    _check_role_scope(organiser=organiser, role=role, municipality=municipality)
    if role != Role.GEMEENTE:
        municipality = None
    with transaction.atomic():
        user = login_create(email=email, first_name=first_name, last_name=last_name, role=role,
                            organiser=organiser, municipality=municipality, phone=phone)
        audit_log(actor=actor, action="account.create", obj=user, organiser=organiser,
                  summary=_("Account created with role %(role)s") % {"role": user.get_role_display()})
        password_setup_mail_send(user)
    return user


def staff_account_update(*, user: User, actor, **data) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        old = {name: getattr(user, name) for name in STAFF_FIELDS}
        for name, value in data.items():
            if name not in STAFF_FIELDS:
                raise TypeError(f"staff_account_update() got an unexpected field {name!r}")
            setattr(user, name, value)
        if user.role != Role.GEMEENTE:
            user.municipality = None
        _check_role_scope(organiser=user.organiser, role=user.role, municipality=user.municipality)
        if user.pk == actor.pk and (not user.is_active or user.role != Role.BEHEERDER):
            raise ValidationError(_("You cannot deactivate your own account or take away your own administrator "
                                    "role."), code="self_lockout")
        user.full_clean()
        changes = diff_fields(user, old, STAFF_FIELDS)
        if changes:
            user.save(update_fields=list(changes))
            audit_log(actor=actor, action="account.update", obj=user, organiser=user.organiser,
                      summary=_("Account changed"), changes=changes)
    return user


def staff_account_send_setup_mail(*, user: User, actor) -> User:
    with transaction.atomic():
        audit_log(actor=actor, action="account.setup_mail", obj=user, organiser=user.organiser,
                  summary=_("Mail to set a password sent"))
        password_setup_mail_send(user)
    return user


# --- logging in ----------------------------------------------------------------------------------------------------

def account_login_record(*, user: User, address: str) -> None:
    """A successful password login, in the account's history."""
    audit_log(actor=user, obj=user, organiser=user.organiser, action="account.login", summary=_("Logged in"),
              changes={"address": address})


def account_login_failure_record(*, email: str, address: str) -> None:
    """A wrong password, or an e-mail address without an account (the typed address is not kept then: people type
    their password in the wrong field)."""
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    audit_log(actor=None, obj=user, organiser=getattr(user, "organiser", None), action="account.login_failed",
              summary=_("Failed login") if user else _("Failed login for an unknown e-mail address"),
              changes={"address": address})


def account_lockout_record(*, email: str, address: str, address_locked: bool) -> None:
    """Logging in was locked: for this account from this address, or for the whole address."""
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    summary = (_("Logging in from address %(address)s locked after too many failed logins on several accounts")
               if address_locked else _("Logging in locked after too many failed logins"))
    audit_log(actor=None, obj=user, organiser=getattr(user, "organiser", None), action="account.lockout",
              summary=summary % {"address": address}, changes={"address": address})


def account_password_reset(*, user: User, address: str) -> User:
    """The person chose a new password through the link in their e-mail: that proves the mailbox is theirs, so
    the login locks on their account are lifted."""
    from .throttle import login_locks_lift

    with transaction.atomic():
        lifted = login_locks_lift(email=user.email)
        audit_log(actor=user, obj=user, organiser=user.organiser, action="account.password_reset",
                  summary=_("New password chosen through the e-mail link"),
                  changes={"address": address, "failed_logins_forgotten": lifted})
    return user


# --- two-factor login ----------------------------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


def is_staff_account(user) -> bool:
    """The organiser's staff (they see national numbers and coaching notes) and developers (the admin)."""
    return user.role in ORGANISER_STAFF_ROLES or user.is_staff or user.is_superuser


def two_factor_required(user) -> bool:
    """Whether this account may only be used after a second factor: staff accounts, when
    `TWO_FACTOR_REQUIRED_FOR_STAFF` is on (on in local and production, off in the tests)."""
    return (settings.TWO_FACTOR_REQUIRED_FOR_STAFF and getattr(user, "is_authenticated", False)
            and is_staff_account(user))


def two_factor_enabled(user) -> bool:
    """Whether the account has a confirmed authenticator app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_device_start(*, user: User):
    """The authenticator app being set up: a new secret, kept until it is confirmed with a code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _normalise_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _wrong_code() -> ValidationError:
    return ValidationError({"code": ValidationError(_("This code is not right. Check the time on your phone and "
                                                      "type the code your app shows now."), code="wrong_code")})


def _recovery_codes_replace(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME,
                                                          defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def two_factor_enable(*, user: User, code: str, actor) -> tuple[object, list[str]]:
    """Confirm the authenticator app with a code it shows; it replaces an older one. Returns the device and a new
    set of recovery codes (shown once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None or not device.verify_token(_normalise_code(code)):
            raise _wrong_code()
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        audit_log(actor=actor, obj=user, organiser=user.organiser, action="account.two_factor_enable",
                  summary=_("Two-step verification turned on with an authenticator app"))
    return device, codes


def two_factor_verify(*, user: User, code: str, address: str = ""):
    """The second step of a login: a code of the authenticator app, or a recovery code (each works once).
    Returns the device that accepted it. Wrong codes slow down (django-otp doubles the wait after each one)."""
    from django_otp import devices_for_user
    from django_otp.plugins.otp_static.models import StaticDevice

    token = _normalise_code(code)
    with transaction.atomic():
        device = None
        if token:
            device = next((d for d in devices_for_user(user, for_verify=True) if d.verify_token(token)), None)
        if device is None:
            audit_log(actor=None, obj=user, organiser=user.organiser, action="account.two_factor_failed",
                      summary=_("Wrong code at the second step of logging in"), changes={"address": address})
    if device is None:
        raise _wrong_code()
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        summary = _("Logged in with a recovery code (%(left)s left)") % {"left": left}
    else:
        summary = _("Second step of logging in passed")
    audit_log(actor=user, obj=user, organiser=user.organiser, action="account.two_factor_login", summary=summary,
              changes={"address": address})
    return device


def two_factor_recovery_codes_renew(*, user: User, actor) -> list[str]:
    if not two_factor_enabled(user):
        raise ValidationError(_("Turn on two-step verification first."), code="two_factor_off")
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit_log(actor=actor, obj=user, organiser=user.organiser, action="account.recovery_codes",
                  summary=_("New recovery codes made; the old ones no longer work"))
    return codes


def _devices_delete(user: User) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def two_factor_disable(*, user: User, actor) -> User:
    """A client or worker turns two-step verification off again; staff may not."""
    if two_factor_required(user):
        raise ValidationError(_("Your role needs two-step verification: it cannot be turned off. You can set up "
                                "another app instead."), code="two_factor_required")
    with transaction.atomic():
        _devices_delete(user)
        audit_log(actor=actor, obj=user, organiser=user.organiser, action="account.two_factor_disable",
                  summary=_("Two-step verification turned off"))
    return user


def staff_account_two_factor_reset(*, user: User, actor) -> User:
    """The beheerder resets a staff member who lost their phone and recovery codes: at the next login they set up
    an authenticator app again (after their password)."""
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot reset your own two-step verification."), code="self_reset")
    with transaction.atomic():
        _devices_delete(user)
        audit_log(actor=actor, obj=user, organiser=user.organiser, action="account.two_factor_reset",
                  summary=_("Two-step verification reset: a new app is set up at the next login"))
    return user
