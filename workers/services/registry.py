"""The registry: registering and changing wijk-werkers, their login and their wijk-werkovereenkomst."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role, User
from wijkwerken.accounts.services import login_create, password_setup_mail_send
from wijkwerken.core.audit import audit_log, diff_fields
from wijkwerken.core.identity import normalise_national_number
from wijkwerken.core.models import Organiser
from wijkwerken.core.municipalities import municipality_for_postcode
from wijkwerken.core.validators import normalise_iban

from ..activities import main_activity_choices
from ..models import ActivityKind, Availability, DayPart, Worker, WorkerActivity
from .common import error
from .trajectories import apply_cap

WORKER_FIELDS = (
    "first_name",
    "last_name",
    "national_number",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "referral",
    "referrer_name",
    "referral_date",
    "consent_signed_on",
    "languages",
    "mobility",
    "max_distance_km",
    "certificates",
    "iban",
    "ex_pwa",
    "notes",
    "bemiddelaar",
    "coach",
    "municipality",
)


def _check_staff(*, organiser, user, field, role):
    if user is not None and (user.organiser_id != organiser.pk or user.role not in role):
        raise error(_("Choose a colleague of your own organisation."), "foreign_staff", field)


def _on_field(field, normalise, value):
    try:
        return normalise(value)
    except ValidationError as error:
        raise ValidationError({field: error}) from None


def _clean_worker(worker: Worker) -> None:
    worker.national_number = _on_field("national_number", normalise_national_number, worker.national_number)
    if worker.iban:
        worker.iban = _on_field("iban", normalise_iban, worker.iban.upper())
    worker.municipality = municipality_for_postcode(
        organiser=worker.organiser, postcode=worker.postcode,
        municipality=worker.municipality if worker.municipality_id else None,
    )
    _check_staff(
        organiser=worker.organiser,
        user=worker.bemiddelaar,
        field="bemiddelaar",
        role=(Role.BEMIDDELAAR, Role.BEHEERDER),
    )
    _check_staff(organiser=worker.organiser, user=worker.coach, field="coach", role=(Role.WERKCOACH,))
    duplicate = Worker.objects.filter(organiser=worker.organiser, national_number=worker.national_number)
    if worker.pk:
        duplicate = duplicate.exclude(pk=worker.pk)
    if duplicate.exists():
        raise error(
            _("A worker with this national register number is already registered."),
            "duplicate_national_number",
            "national_number",
        )
    worker.full_clean()


def _set_activities(worker, *, skills, interests) -> dict:
    known = {code for code, _name in main_activity_choices()}
    wanted = {(code, ActivityKind.SKILL) for code in skills} | {(code, ActivityKind.INTEREST) for code in interests}
    unknown = {code for code, _kind in wanted if code not in known}
    if unknown:
        raise error(_("Unknown main activity: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}, "unknown_activity")
    current = set(worker.activities.values_list("activity", "kind"))
    if current == wanted:
        return {}
    worker.activities.all().delete()
    WorkerActivity.objects.bulk_create(WorkerActivity(worker=worker, activity=a, kind=k) for a, k in sorted(wanted))
    return {"activities": [sorted(f"{k}:{a}" for a, k in current), sorted(f"{k}:{a}" for a, k in wanted)]}


def _set_availability(worker, slots) -> dict:
    """`slots` are "weekday-part" strings such as "0-morning"."""
    wanted = set()
    for slot in slots:
        weekday, _sep, part = slot.partition("-")
        if not weekday.isdigit() or not 0 <= int(weekday) <= 6 or part not in DayPart.values:
            raise error(_("Unknown availability slot."), "invalid_slot")
        wanted.add((int(weekday), part))
    current = set(worker.availability.values_list("weekday", "part"))
    if current == wanted:
        return {}
    worker.availability.all().delete()
    Availability.objects.bulk_create(Availability(worker=worker, weekday=w, part=p) for w, p in sorted(wanted))
    return {"availability": [sorted(f"{w}-{p}" for w, p in current), sorted(f"{w}-{p}" for w, p in wanted)]}


def worker_create(*, organiser: Organiser, actor, skills=(), interests=(), availability=(), **data) -> Worker:
    unknown = set(data) - set(WORKER_FIELDS)
    if unknown:
        raise TypeError(f"worker_create() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        Organiser.objects.select_for_update().get(pk=organiser.pk)
        worker = Worker(organiser=organiser, **data)
        _clean_worker(worker)
        worker.save()
        _set_activities(worker, skills=skills, interests=interests)
        _set_availability(worker, availability)
        audit_log(
            actor=actor,
            action="worker.create",
            obj=worker,
            organiser=organiser,
            summary=_("Wijk-werker registered"),
        )
    return worker


def worker_update(*, worker: Worker, actor, skills=None, interests=None, availability=None, **data) -> Worker:
    unknown = set(data) - set(WORKER_FIELDS)
    if unknown:
        raise TypeError(f"worker_update() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        tracked = (*WORKER_FIELDS, "municipality")
        old = {name: getattr(worker, name) for name in tracked}
        for name, value in data.items():
            setattr(worker, name, value)
        _clean_worker(worker)
        changes = diff_fields(worker, old, tracked)
        if "national_number" in changes:
            changes["national_number"] = ["•", "•"]  # the audit log shows that it changed, not the number
        if changes:
            worker.save(update_fields=[*changes])
        if skills is not None or interests is not None:
            changes |= _set_activities(
                worker,
                skills=skills
                if skills is not None
                else worker.activities.filter(kind=ActivityKind.SKILL).values_list("activity", flat=True),
                interests=interests
                if interests is not None
                else worker.activities.filter(kind=ActivityKind.INTEREST).values_list("activity", flat=True),
            )
        if availability is not None:
            changes |= _set_availability(worker, availability)
        if "ex_pwa" in changes:
            for trajectory in worker.trajectories.active().select_for_update():
                apply_cap(trajectory)
        if changes:
            audit_log(
                actor=actor,
                action="worker.update",
                obj=worker,
                organiser=worker.organiser,
                summary=_("Wijk-werker details changed"),
                changes=changes,
            )
    return worker


def worker_account_create(*, worker: Worker, email: str, actor) -> User:
    """Give the worker a login with role wijk-werker and mail a link to choose a password."""
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        if worker.user_id:
            raise error(_("This worker already has a login."), "has_login")
        user = login_create(email=email, first_name=worker.first_name, last_name=worker.last_name,
                            role=Role.WIJKWERKER, organiser=worker.organiser, municipality=worker.municipality,
                            phone=worker.phone)
        worker.user = user
        worker.save(update_fields=["user"])
        audit_log(
            actor=actor,
            action="worker.account_create",
            obj=worker,
            organiser=worker.organiser,
            summary=_("Login created for the wijk-werker"),
        )
        password_setup_mail_send(user)
    return user


def worker_account_link(*, worker: Worker, user: User, actor) -> Worker:
    """Link an existing wijk-werker login (for instance made by the beheerder) to the worker."""
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        if user.role != Role.WIJKWERKER or user.organiser_id != worker.organiser_id:
            raise error(_("Only a wijk-werker login of your organisation can be linked."), "not_a_worker_login")
        if Worker.objects.filter(user=user).exclude(pk=worker.pk).exists():
            raise error(_("This login is already linked to another worker."), "login_in_use")
        if worker.user_id == user.pk:
            return worker
        worker.user = user
        worker.save(update_fields=["user"])
        audit_log(
            actor=actor,
            action="worker.account_link",
            obj=worker,
            organiser=worker.organiser,
            summary=_("Login %(email)s linked") % {"email": user.email},
        )
    return worker


def worker_agreement_generate(*, worker: Worker, actor) -> Worker:
    """(Re)generate the wijk-werkovereenkomst PDF in the background."""
    from ..tasks import render_agreement

    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        audit_log(
            actor=actor,
            action="worker.agreement",
            obj=worker,
            organiser=worker.organiser,
            summary=_("Wijk-werkovereenkomst generated"),
        )
        transaction.on_commit(lambda: render_agreement.delay(worker.pk))
    return worker
