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

from .models import STAFF_ACCOUNT_ROLES, Role, User

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
                 phone: str = "", password: str | None = None) -> User:
    """A new login. Without `password` nobody can use it until the person chooses one through the link of
    `password_setup_mail_send`. An e-mail address that already has an account is refused. Call inside the
    caller's transaction (the caller writes the audit entry)."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ValidationError(
            _("An account with this e-mail address already exists."), code="duplicate_email")})
    user = User(email=email, first_name=first_name, last_name=last_name, role=role, organiser=organiser,
                municipality=municipality, phone=phone)
    if password:
        user.set_password(password)
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
