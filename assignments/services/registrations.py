"""Online registration that reveals nothing (`models.registrations`).

1. `client_registration_submit`: the public form. The answer is always the same page ("check your mailbox"):
   an e-mail address that already has an account gets a mail saying so (with the login and password links);
   any other gets a mail with a link to confirm the registration. The chosen password is hashed either way,
   so the answer takes as long in both cases.
2. `client_registration_confirm`: the link. A registration whose national register number (or enterprise
   number) does not belong to a client yet becomes a client and logs in; one that does waits for a bemiddelaar
   (the existing client is told by mail, the organiser's staff by a notification).
3. `client_registration_approve` / `client_registration_reject`: the bemiddelaar's decision on a held one.
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role, User
from wijkwerken.accounts.services import login_create
from wijkwerken.core.audit import audit_log
from wijkwerken.core.notifications import notifications_send
from wijkwerken.core.tasks import send_email

from ..models import Client, ClientContact, ClientRegistration, RegistrationStatus
from .clients import client_details_clean, client_register

CONFIRM_SALT = "assignments.registration.confirm"
# Filled in from a held registration where the existing client has nothing yet.
MERGED_FIELDS = ("email", "phone", "iban")


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _mail(subject: str, template: str, context: dict, to: list[str]) -> None:
    body = render_to_string(template, {"site_url": _site(), **context})
    addresses = sorted({address for address in to if address})
    if addresses:
        transaction.on_commit(lambda: send_email.delay(subject, body, addresses))


def registration_confirm_token(registration: ClientRegistration) -> str:
    return signing.dumps(registration.pk, salt=CONFIRM_SALT)


def registration_from_token(token: str) -> ClientRegistration | None:
    """The unconfirmed registration of a confirmation link, or None for a wrong, used or expired link."""
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None
    return ClientRegistration.objects.filter(pk=pk, status=RegistrationStatus.UNCONFIRMED).first()


def client_registration_submit(*, password: str, **fields) -> ClientRegistration | None:
    """The public registration form (see the module docstring). Returns the new registration, or None when the
    e-mail address already has an account; the page shown is the same either way."""
    details = client_details_clean(**fields, online=True, has_password=bool(password))
    password_hash = make_password(password)
    with transaction.atomic():
        owner = User.objects.filter(email__iexact=details["email"]).first()
        if owner is not None:
            audit_log(actor=None, obj=owner, organiser=owner.organiser, action="account.registration_attempt",
                      summary=_("Someone tried to register online with this e-mail address; the account owner "
                                "got an e-mail"))
            _mail(_("Wijk-werken: you already have an account"), "assignments/email/registration_known.txt",
                  {"user": owner, "organiser": owner.organiser or details["organiser"],
                   "login_url": _site() + reverse("accounts:login"),
                   "reset_url": _site() + reverse("accounts:password_reset")}, [owner.email])
            return None
        registration = ClientRegistration(password=password_hash, **details)
        registration.full_clean()
        registration.save()
        link = _site() + reverse("assignments:register_confirm", args=[registration_confirm_token(registration)])
        _mail(_("Wijk-werken: confirm your registration"), "assignments/email/registration_confirm.txt",
              {"registration": registration, "organiser": registration.organiser, "link": link},
              [registration.email])
    return registration


def _matching_client(registration: ClientRegistration) -> Client | None:
    clients = Client.objects.filter(organiser=registration.organiser)
    if registration.is_private:
        return clients.filter(national_number=registration.national_number).first()
    return clients.filter(kbo_number=registration.kbo_number).first()


def client_registration_confirm(*, registration: ClientRegistration) -> Client | ClientRegistration:
    """The person clicked the link in the mail. Returns the new client, or the registration when it waits for
    review because its number belongs to a client already."""
    with transaction.atomic():
        registration = ClientRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.UNCONFIRMED:
            raise ValidationError(_("This link was already used."), code="already_confirmed")
        if User.objects.filter(email__iexact=registration.email).exists():
            raise ValidationError(_("This e-mail address has an account already: log in, or ask for a new "
                                    "password."), code="duplicate_email")
        existing = _matching_client(registration)
        if existing is None:
            client = client_register(
                category=registration.category, first_name=registration.first_name,
                last_name=registration.last_name, organisation_name=registration.organisation_name,
                national_number=registration.national_number, kbo_number=registration.kbo_number,
                contact_position=registration.contact_position, street=registration.street,
                postcode=registration.postcode, city=registration.city, municipality=registration.municipality,
                email=registration.email, phone=registration.phone, iban=registration.iban,
                password_hash=registration.password)
            registration.delete()
            return client
        registration.status = RegistrationStatus.REVIEW
        registration.existing_client = existing
        registration.confirmed_at = timezone.now()
        registration.full_clean()
        registration.save(update_fields=["status", "existing_client", "confirmed_at"])
        audit_log(actor=None, obj=existing, action="client.registration_held",
                  summary=_("Online registration by %(name)s (%(email)s) with this client's number: waits for a "
                            "check") % {"name": registration.name, "email": registration.email})
        _notify_staff(registration)
        _mail(_("Wijk-werken: someone registered with your number"), "assignments/email/registration_held.txt",
              {"client": existing, "organiser": existing.organiser}, _client_addresses(existing))
    return registration


def _client_addresses(client: Client) -> list[str]:
    return [client.email, *(contact.user.email for contact in client.contacts.select_related("user"))]


def _notify_staff(registration: ClientRegistration) -> None:
    staff = User.objects.filter(organiser=registration.organiser, is_active=True,
                                role__in=(Role.BEMIDDELAAR, Role.BEHEERDER))
    text = _("An online registration with the number of client %(client)s waits for your check.") % {
        "client": registration.existing_client}
    url = reverse("assignments:registration_detail", args=[registration.pk])
    notifications_send(items=[(user, f"registration-review:{registration.pk}", text, url,
                                ("registration.to_check", registration.pk)) for user in staff],
                       subject=_("Wijk-werken: an online registration to check"))


def _lock_for_review(registration: ClientRegistration, status) -> ClientRegistration:
    registration = ClientRegistration.objects.select_for_update().get(pk=registration.pk)
    if not registration.can_change_to(status):
        raise ValidationError(_("This registration was already decided."), code="invalid_transition")
    return registration


def client_registration_approve(*, registration: ClientRegistration, actor) -> ClientRegistration:
    """The registration is the existing client's: its login is linked to that client (an organisation gets a
    contact person; a private person without a login gets this one) and the client's empty e-mail address, phone
    and IBAN are filled in from it. A private client who has a login already cannot get a second one."""
    with transaction.atomic():
        registration = _lock_for_review(registration, RegistrationStatus.APPROVED)
        client = Client.objects.select_for_update().get(pk=registration.existing_client_id)
        has_contacts = client.contacts.exists()
        if client.is_private and has_contacts:
            raise ValidationError(_("This client has a login already: a private person has one. Reject this "
                                    "registration and help the person with “Forgot your password?”, or change "
                                    "the e-mail address of the existing login."), code="client_has_login")
        user = login_create(email=registration.email, first_name=registration.first_name,
                            last_name=registration.last_name, role=Role.GEBRUIKER, organiser=client.organiser,
                            municipality=client.municipality, phone=registration.phone,
                            password_hash=registration.password)
        ClientContact.objects.create(client=client, user=user, position=registration.contact_position,
                                     is_primary=not has_contacts)
        merged = {name: getattr(registration, name) for name in MERGED_FIELDS
                  if getattr(registration, name) and not getattr(client, name)}
        if merged:
            for name, value in merged.items():
                setattr(client, name, value)
            client.full_clean()
            client.save(update_fields=[*merged, "updated_at"])
        registration.status = RegistrationStatus.APPROVED
        registration.reviewed_by, registration.reviewed_at = actor, timezone.now()
        registration.password = ""
        registration.full_clean()
        registration.save(update_fields=["status", "reviewed_by", "reviewed_at", "password"])
        audit_log(actor=actor, on_behalf_of=user, obj=client, action="client.registration_approve",
                  summary=_("Online registration approved: the login %(email)s belongs to this client")
                  % {"email": user.email}, changes=merged)
        _mail(_("Wijk-werken: your registration is approved"), "assignments/email/registration_approved.txt",
              {"registration": registration, "client": client, "organiser": client.organiser,
               "login_url": _site() + reverse("accounts:login")}, [registration.email])
    return registration


def client_registration_reject(*, registration: ClientRegistration, reason: str, actor) -> ClientRegistration:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Give a reason: the person receives it by e-mail."),
                                                         code="reason_required")})
    with transaction.atomic():
        registration = _lock_for_review(registration, RegistrationStatus.REJECTED)
        registration.status = RegistrationStatus.REJECTED
        registration.reviewed_by, registration.reviewed_at = actor, timezone.now()
        registration.review_note = reason
        registration.password = ""
        registration.full_clean()
        registration.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "password"])
        audit_log(actor=actor, obj=registration.existing_client, action="client.registration_reject",
                  summary=_("Online registration by %(name)s (%(email)s) rejected: %(reason)s")
                  % {"name": registration.name, "email": registration.email, "reason": reason})
        _mail(_("Wijk-werken: your registration"), "assignments/email/registration_rejected.txt",
              {"registration": registration, "organiser": registration.organiser}, [registration.email])
    return registration


def client_registrations_purge_unconfirmed(*, now=None) -> int:
    """Daily: unconfirmed registrations whose link has expired are deleted (they hold personal data of someone
    who never confirmed). One DELETE."""
    now = now or timezone.now()
    expired_before = now - timezone.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    deleted, _rows = ClientRegistration.objects.filter(status=RegistrationStatus.UNCONFIRMED,
                                                       created_at__lt=expired_before).delete()
    return deleted
