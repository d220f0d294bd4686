"""Writes on clients: registration (online or by staff), identity corrections, contact persons, the agreement,
fees and status."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from stdnum.be import ogm_vcs

from wijkwerken.accounts.models import Role
from wijkwerken.accounts.services import login_create, password_setup_mail_send
from wijkwerken.core.audit import audit_log, diff_fields
from wijkwerken.core.dates import today
from wijkwerken.core.identity import mask_national_number, normalise_national_number
from wijkwerken.core.models import Municipality, Organiser
from wijkwerken.core.municipalities import municipality_for_postcode
from wijkwerken.core.rules import rules_for
from wijkwerken.core.validators import normalise_iban, normalise_kbo

from ..models import (
    OPEN_REQUEST_STATUSES,
    Assignment,
    AssignmentStatus,
    Client,
    ClientCategory,
    ClientContact,
    ClientStatus,
    FeeStatus,
    HelpRequest,
    RegistrationFee,
    RequestStatus,
)
from ..selectors.clients import on_behalf_of

CLIENT_UPDATE_FIELDS = ("street", "postcode", "city", "municipality", "email", "phone", "iban", "is_ex_pwa")
# Who the client is: only staff correct these, with a reason (`client_identity_correct`).
CLIENT_IDENTITY_FIELDS = ("category", "name", "first_name", "last_name", "national_number", "kbo_number")
IDENTITY_CORRECTORS = (Role.BEMIDDELAAR, Role.BEHEERDER)
IDENTITY_REASON_MAX_LENGTH = 250


# --- identifiers and address --------------------------------------------------------------------------------

def structured_communication_for(number: int) -> str:
    base = f"{number:010d}"
    return base + ogm_vcs.calc_check_digits(base)


def _next_number() -> int:
    highest = Client.objects.aggregate(highest=Max("number"))["highest"]
    return max(highest or 0, Client.FIRST_NUMBER - 1) + 1


# --- registration ------------------------------------------------------------------------------------------

def client_details_clean(
    *, category: str, street: str, postcode: str, city: str, email: str = "", phone: str = "", iban: str = "",
    first_name: str = "", last_name: str = "", organisation_name: str = "", national_number: str = "",
    kbo_number: str = "", contact_position: str = "", organiser: Organiser | None = None,
    municipality: Municipality | None = None, online: bool, has_password: bool = False,
) -> dict:
    """A registration's details checked and normalised (every problem at once, as one ValidationError), with the
    municipality and organiser the address belongs to. Shared by the desk and the online registration."""
    errors = {}
    if category not in ClientCategory.values:
        raise ValidationError({"category": ValidationError(_("Choose a client category."), code="invalid_category")})
    is_private = category == ClientCategory.PARTICULIER
    if not first_name or not last_name:
        errors["last_name"] = ValidationError(_("Fill in the first and last name."), code="name_required")
    if is_private:
        try:
            national_number = normalise_national_number(national_number)
        except ValidationError as error:
            errors["national_number"] = error
        kbo_number = ""
        organisation_name = ""
    else:
        if not organisation_name:
            errors["organisation_name"] = ValidationError(_("Fill in the name of the organisation."),
                                                          code="name_required")
        try:
            kbo_number = normalise_kbo(kbo_number)
        except ValidationError as error:
            errors["kbo_number"] = error
        national_number = ""
    if iban:
        try:
            iban = normalise_iban(iban)
        except ValidationError as error:
            errors["iban"] = error
    if online and (not email or not has_password):
        errors["email"] = ValidationError(_("An e-mail address and a password are needed to register online."),
                                          code="login_required")
    try:
        municipality = municipality_for_postcode(postcode=postcode, organiser=organiser, municipality=municipality,
                                                 asked_by_client=True)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return {
        "category": category, "first_name": first_name, "last_name": last_name,
        "organisation_name": organisation_name, "national_number": national_number, "kbo_number": kbo_number,
        "contact_position": contact_position, "street": street, "postcode": postcode, "city": city,
        "municipality": municipality, "organiser": municipality.organiser, "email": (email or "").lower(),
        "phone": phone, "iban": iban,
    }


def client_register(
    *, category: str, street: str, postcode: str, city: str, email: str = "", phone: str = "", iban: str = "",
    first_name: str = "", last_name: str = "", organisation_name: str = "", national_number: str = "",
    kbo_number: str = "", contact_position: str = "", is_ex_pwa: bool = False, organiser: Organiser | None = None,
    municipality: Municipality | None = None, password: str | None = None, password_hash: str | None = None,
    actor=None,
) -> Client:
    """Register a client with its first login.

    Online (`actor` None): the person registered themself and confirmed their e-mail address
    (`services.registrations`); `password` is their chosen password (or `password_hash`, as kept while the
    e-mail address was not confirmed yet), the organiser follows from the municipality and the ex-PWA flag
    cannot be set. By staff (`actor` a staff member of `organiser`): the login gets a mail to choose a password
    (no login without an e-mail address) and the audit log records that staff entered it for the client.
    A number that already belongs to a client is refused: staff may know; online registrations never get here
    with one (they wait for review).
    """
    online = actor is None
    details = client_details_clean(
        category=category, street=street, postcode=postcode, city=city, email=email, phone=phone, iban=iban,
        first_name=first_name, last_name=last_name, organisation_name=organisation_name,
        national_number=national_number, kbo_number=kbo_number, contact_position=contact_position,
        organiser=organiser, municipality=municipality, online=online, has_password=bool(password or password_hash))
    is_private = details["category"] == ClientCategory.PARTICULIER
    organiser, municipality = details["organiser"], details["municipality"]
    national_number, kbo_number, email = details["national_number"], details["kbo_number"], details["email"]
    if online:
        is_ex_pwa = False

    with transaction.atomic():
        duplicate = Client.objects.filter(organiser=organiser)
        duplicate = (duplicate.filter(national_number=national_number) if is_private
                     else duplicate.filter(kbo_number=kbo_number))
        if duplicate.exists():
            field = "national_number" if is_private else "kbo_number"
            raise ValidationError({field: ValidationError(
                _("A client with this number is already registered. Contact us to log in."),
                code="duplicate_client")})
        user = None
        if email:
            user = login_create(email=email, first_name=first_name, last_name=last_name, role=Role.GEBRUIKER,
                                organiser=organiser, municipality=municipality, phone=phone,
                                password=password if online else None,
                                password_hash=password_hash if online else None)
        name = f"{first_name} {last_name}".strip() if is_private else details["organisation_name"]
        client = Client(
            organiser=organiser, category=category, name=name,
            first_name=first_name if is_private else "", last_name=last_name if is_private else "",
            national_number=national_number, kbo_number=kbo_number, street=street, postcode=postcode, city=city,
            municipality=municipality, email=email, phone=phone, iban=details["iban"], is_ex_pwa=is_ex_pwa,
            registered_online=online, registered_by=None if online else actor,
        )
        client = _save_with_number(client)
        if user is not None:
            ClientContact.objects.create(client=client, user=user, position=contact_position, is_primary=True)
        _ensure_fee(client, today().year)
        audit_log(
            actor=user if online else actor, on_behalf_of=None if online else user, obj=client,
            action="client.register",
            summary=_("Registered online") if online else _("Registered at the desk"),
            changes={"category": category, "municipality": municipality.name},
        )
        if user is not None and not online:
            password_setup_mail_send(user)
    return client


def _save_with_number(client: Client) -> Client:
    """Hand out the next free gebruikersnummer; a parallel registration that took it makes us try the next."""
    for _attempt in range(5):
        client.number = _next_number()
        client.structured_communication = structured_communication_for(client.number)
        # Uniqueness is left to the database: a number taken in the meantime is an IntegrityError, retried below.
        client.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                client.save()
        except IntegrityError:
            client.pk = None
            if Client.objects.filter(organiser=client.organiser, national_number=client.national_number,
                                     kbo_number=client.kbo_number).exists():
                raise ValidationError(_("A client with this number is already registered."),
                                      code="duplicate_client") from None
            continue
        return client
    raise ValidationError(_("Registration is busy, please try again."), code="number_busy")


def client_contact_add(*, client: Client, email: str, first_name: str, last_name: str, position: str = "",
                       phone: str = "", actor) -> ClientContact:
    """Another contact person with their own login for an organisation."""
    if client.is_private:
        raise ValidationError(_("A private person has no contact persons."), code="private_client")
    with transaction.atomic():
        user = login_create(email=email, first_name=first_name, last_name=last_name, role=Role.GEBRUIKER,
                            organiser=client.organiser, municipality=client.municipality, phone=phone)
        contact = ClientContact.objects.create(
            client=client, user=user, position=position, is_primary=not client.contacts.exists()
        )
        audit_log(actor=actor, on_behalf_of=on_behalf_of(client, actor), obj=client, action="client.contact_add",
                  summary=_("Contact person %(name)s added") % {"name": user.get_full_name()})
        password_setup_mail_send(user)
    return contact


def client_update(*, client: Client, actor, **data) -> Client:
    """Change the client's address and contact details (the ex-PWA flag only by staff)."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        old = {name: getattr(client, name) for name in CLIENT_UPDATE_FIELDS}
        for name, value in data.items():
            if name not in CLIENT_UPDATE_FIELDS:
                raise TypeError(f"client_update() got an unexpected field {name!r}")
            if name == "is_ex_pwa" and getattr(actor, "role", None) == Role.GEBRUIKER:
                continue
            setattr(client, name, value)
        if client.iban:
            client.iban = normalise_iban(client.iban)
        client.municipality = municipality_for_postcode(
            postcode=client.postcode, organiser=client.organiser,
            municipality=data.get("municipality") if data.get("municipality") else None, asked_by_client=True,
        )
        client.full_clean()
        changes = diff_fields(client, old, CLIENT_UPDATE_FIELDS)
        if changes:
            client.save(update_fields=[*changes, "updated_at"])
            audit_log(actor=actor, on_behalf_of=on_behalf_of(client, actor), obj=client, action="client.update",
                      summary=_("Details changed"), changes=changes)
    return client


def client_identity_correct(*, client: Client, actor, reason: str, **fields) -> Client:
    """Staff correct who the client is: category, (first and last) name and national or enterprise number.

    The fields that are not given keep their value. After the change the client has what registration asks
    for its category: a private person a first and last name and a national register (or BIS) number, an
    organisation a name and an enterprise number; the identifier of the other kind is removed. A category
    change is refused while requests are open or assignments run: the allowed activities differ per category.
    """
    unknown = set(fields) - set(CLIENT_IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"client_identity_correct() got unexpected fields {sorted(unknown)}")
    if getattr(actor, "role", None) not in IDENTITY_CORRECTORS:
        raise ValidationError(_("Only a mediator or the administrator can correct who a client is."),
                              code="not_allowed")
    if actor.organiser_id != client.organiser_id:
        raise ValidationError(_("This client belongs to another organiser."), code="foreign_organiser")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the details are corrected."),
                                                         code="reason_required")})
    if len(reason) > IDENTITY_REASON_MAX_LENGTH:
        raise ValidationError({"reason": ValidationError(
            _("Keep the reason under %(max)s characters.") % {"max": IDENTITY_REASON_MAX_LENGTH},
            code="reason_too_long")})
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        old = {name: getattr(client, name) for name in CLIENT_IDENTITY_FIELDS}
        for name, value in fields.items():
            setattr(client, name, (value or "").strip())
        _clean_identity(client)
        changes = diff_fields(client, old, CLIENT_IDENTITY_FIELDS)
        if not changes:
            raise ValidationError(_("Nothing was changed."), code="no_changes")
        if "category" in changes:
            _check_category_change(client, old_category=old["category"])
        update_fields = [*changes, "updated_at"]
        # The agreement shows the name and number: it is rendered again on the next download.
        old_pdf = client.agreement_pdf.name
        if old_pdf:
            client.agreement_pdf = ""
            update_fields.append("agreement_pdf")
            transaction.on_commit(lambda: default_storage.delete(old_pdf))
        try:
            with transaction.atomic():
                client.save(update_fields=update_fields)
        except IntegrityError:
            # A parallel registration or correction took the number after our check.
            raise _duplicate_error(client) from None
        if "national_number" in changes:
            # The history shows that the number changed and its check digits, not the number itself.
            changes["national_number"] = [mask_national_number(v) for v in changes["national_number"]]
        # Not "for the client": the client cannot do this itself.
        audit_log(actor=actor, obj=client, action="client.identity_correct",
                  summary=_("Identity corrected: %(reason)s") % {"reason": reason}, changes=changes)
    return client


def _clean_identity(client: Client) -> None:
    """Normalise the identity of `client` to what registration asks for its category (errors per field)."""
    if client.category not in ClientCategory.values:
        raise ValidationError({"category": ValidationError(_("Choose a client category."), code="invalid_category")})
    errors = {}
    if client.is_private:
        if not client.first_name or not client.last_name:
            errors["last_name"] = ValidationError(_("Fill in the first and last name."), code="name_required")
        client.name = f"{client.first_name} {client.last_name}".strip()
        if not client.national_number:
            errors["national_number"] = ValidationError(
                _("A private person needs a national register number or BIS number."),
                code="national_number_required")
        else:
            try:
                client.national_number = normalise_national_number(client.national_number)
            except ValidationError as error:
                errors["national_number"] = error
        client.kbo_number = ""
    else:
        client.first_name = client.last_name = ""
        if not client.name:
            errors["name"] = ValidationError(_("Fill in the name of the organisation."), code="name_required")
        if not client.kbo_number:
            errors["kbo_number"] = ValidationError(_("An organisation needs an enterprise number (KBO)."),
                                                   code="kbo_required")
        else:
            try:
                client.kbo_number = normalise_kbo(client.kbo_number)
            except ValidationError as error:
                errors["kbo_number"] = error
        client.national_number = ""
    if errors:
        raise ValidationError(errors)
    others = Client.objects.filter(organiser_id=client.organiser_id).exclude(pk=client.pk)
    if client.is_private and others.filter(national_number=client.national_number).exists():
        raise _duplicate_error(client)
    if not client.is_private and others.filter(kbo_number=client.kbo_number).exists():
        raise _duplicate_error(client)
    client.full_clean()


def _duplicate_error(client: Client) -> ValidationError:
    field = "national_number" if client.is_private else "kbo_number"
    return ValidationError({field: ValidationError(
        _("Another client of this organiser is already registered with this number."), code="duplicate_client")})


def _check_category_change(client: Client, *, old_category: str) -> None:
    """A request or assignment is for an activity of the old category: the client cannot keep it."""
    open_requests = HelpRequest.objects.filter(client=client, status__in=OPEN_REQUEST_STATUSES).count()
    if open_requests:
        raise ValidationError({"category": ValidationError(
            ngettext(
                "The client has %(count)s open request for an activity of the category “%(old)s”: cancel it "
                "before changing the category.",
                "The client has %(count)s open requests for activities of the category “%(old)s”: cancel them "
                "before changing the category.",
                open_requests,
            ) % {"count": open_requests, "old": ClientCategory(old_category).label},
            code="open_requests")})
    running = Assignment.objects.filter(
        client=client, status__in=(AssignmentStatus.ACTIVE, AssignmentStatus.PAUSED)).count()
    if running:
        raise ValidationError({"category": ValidationError(
            ngettext(
                "The client has %(count)s running assignment for an activity of the category “%(old)s”: end "
                "it before changing the category.",
                "The client has %(count)s running assignments for activities of the category “%(old)s”: end "
                "them before changing the category.",
                running,
            ) % {"count": running, "old": ClientCategory(old_category).label},
            code="running_assignments")})
    contacts = client.contacts.count()
    if client.is_private and contacts > 1:
        # Their logins would see the private person's details.
        raise ValidationError({"category": ValidationError(
            _("This organisation has %(count)s contact persons with a login; a private person has only their "
              "own login. Register the private person as a new client instead.") % {"count": contacts},
            code="several_contacts")})


def _change_status(client: Client, status: str) -> None:
    if not client.can_change_to(status):
        raise ValidationError(
            _("A client with status “%(old)s” cannot become “%(new)s”.")
            % {"old": client.get_status_display(), "new": ClientStatus(status).label},
            code="invalid_transition",
        )
    client.status = status


def client_sign_agreement(*, client: Client, actor, signed_on: datetime.date | None = None) -> Client:
    """The client signed the gebruikersovereenkomst: online (by the client) or on paper (recorded by staff)."""
    signed_on = signed_on or today()
    if signed_on > today():
        raise ValidationError(_("The signing date cannot be in the future."), code="date_in_future")
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        _change_status(client, ClientStatus.AGREEMENT_SIGNED)
        client.agreement_signed_on = signed_on
        # The stored PDF shows the signing date: it is rendered again on the next download.
        old_pdf = client.agreement_pdf.name
        if old_pdf:
            transaction.on_commit(lambda: default_storage.delete(old_pdf))
        client.agreement_pdf = ""
        client.save(update_fields=["status", "agreement_signed_on", "agreement_pdf", "updated_at"])
        audit_log(actor=actor, on_behalf_of=on_behalf_of(client, actor), obj=client, action="client.sign",
                  summary=_("Agreement signed on %(date)s") % {"date": signed_on.strftime("%d/%m/%Y")})
        _activate_if_ready(client, actor)
    return client


def client_activate(*, client: Client, actor) -> Client:
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        fee = client.fees.filter(year=today().year).first()
        if client.status == ClientStatus.AGREEMENT_SIGNED and (fee is None or not fee.is_paid):
            raise ValidationError(_("The registration fee for %(year)s has not been paid yet.")
                                  % {"year": today().year}, code="fee_due")
        _change_status(client, ClientStatus.ACTIVE)
        _activate(client, actor)
    return client


def _activate(client: Client, actor) -> None:
    client.status = ClientStatus.ACTIVE
    client.activated_on = client.activated_on or today()
    client.save(update_fields=["status", "activated_on", "updated_at"])
    audit_log(actor=actor, on_behalf_of=on_behalf_of(client, actor), obj=client, action="client.activate",
              summary=_("Client active"))


def _activate_if_ready(client: Client, actor) -> None:
    """Signed agreement and this year's fee paid: the client becomes active (flow 2)."""
    if client.status != ClientStatus.AGREEMENT_SIGNED:
        return
    if client.fees.filter(year=today().year, status=FeeStatus.PAID).exists():
        _activate(client, actor)


def client_stop(*, client: Client, reason: str, actor, stopped_on: datetime.date | None = None) -> Client:
    """End the client relation; its open requests are cancelled."""
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Give a reason."), code="reason_required")})
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        _change_status(client, ClientStatus.STOPPED)
        client.stopped_on = stopped_on or today()
        client.stop_reason = reason
        client.save(update_fields=["status", "stopped_on", "stop_reason", "updated_at"])
        cancelled = HelpRequest.objects.filter(client=client, status__in=OPEN_REQUEST_STATUSES).update(
            status=RequestStatus.CANCELLED, status_note=_("Client stopped")
        )
        audit_log(actor=actor, on_behalf_of=on_behalf_of(client, actor), obj=client, action="client.stop",
                  summary=_("Stopped: %(reason)s") % {"reason": reason},
                  changes={"cancelled_requests": cancelled})
    return client


# --- registration fees -------------------------------------------------------------------------------------

def _ensure_fee(client: Client, year: int) -> RegistrationFee:
    amount = rules_for(municipality=client.municipality, on=datetime.date(year, 1, 1)).registration_fee
    fee, _created = RegistrationFee.objects.get_or_create(client=client, year=year, defaults={"amount": amount})
    return fee


def registration_fee_ensure(*, client: Client, year: int, actor) -> RegistrationFee:
    """Staff add a year's fee the client has not been asked yet (the first year's comes with the registration)."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        created = not client.fees.filter(year=year).exists()
        fee = _ensure_fee(client, year)
        if created:
            audit_log(actor=actor, obj=client, action="client.fee_open",
                      summary=_("Registration fee %(year)s added") % {"year": year})
    return fee


def registration_fee_mark_paid(*, fee: RegistrationFee, paid_on: datetime.date, actor) -> RegistrationFee:
    """Staff record that the fee was paid (the bank payment itself arrives with the cheques issue)."""
    if paid_on > today():
        raise ValidationError({"paid_on": ValidationError(_("The payment date cannot be in the future."),
                                                          code="date_in_future")})
    with transaction.atomic():
        fee = RegistrationFee.objects.select_for_update().select_related("client").get(pk=fee.pk)
        if fee.is_paid:
            raise ValidationError(_("This fee has already been paid."), code="already_paid")
        fee.status = FeeStatus.PAID
        fee.paid_on = paid_on
        fee.full_clean()
        fee.save(update_fields=["status", "paid_on"])
        client = Client.objects.select_for_update().get(pk=fee.client_id)
        audit_log(actor=actor, on_behalf_of=on_behalf_of(client, actor), obj=client, action="client.fee_paid",
                  summary=_("Registration fee %(year)s paid on %(date)s")
                  % {"year": fee.year, "date": paid_on.strftime("%d/%m/%Y")},
                  changes={"amount": fee.amount})
        _activate_if_ready(client, actor)
    return fee


def registration_fees_open_year(*, year: int) -> int:
    """1 January: one due fee per client that is not stopped, in one INSERT (existing ones are left alone)."""
    fees, amounts = [], {}
    for client in Client.objects.exclude(status=ClientStatus.STOPPED).exclude(fees__year=year).select_related(
        "municipality", "municipality__organiser"
    ).iterator():
        if client.municipality_id not in amounts:
            amounts[client.municipality_id] = rules_for(
                municipality=client.municipality, on=datetime.date(year, 1, 1)).registration_fee
        fees.append(RegistrationFee(client=client, year=year, amount=amounts[client.municipality_id]))
    RegistrationFee.objects.bulk_create(fees, ignore_conflicts=True, batch_size=1000)
    return len(fees)
