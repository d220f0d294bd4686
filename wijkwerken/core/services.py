"""Writes in core. Each service: keyword-only, `actor=`, atomic, locked where it matters, audited."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .audit import audit_log, diff_fields
from .dates import add_months, add_working_days, first_of_next_year, today
from .models import ChequePrice, Municipality, Organiser, PayoutDate, RuleSet
from .municipalities import is_flemish_nis_code
from .rules import rule_set_on
from .validators import normalise_bic, normalise_iban, normalise_kbo

ORGANISER_FIELDS = ("name", "street", "postcode", "city", "kbo_number", "iban", "bic", "email", "phone",
                    "lowest_price_applies")


def organiser_update(*, organiser: Organiser, actor, **data) -> Organiser:
    with transaction.atomic():
        organiser = Organiser.objects.select_for_update().get(pk=organiser.pk)
        old = {name: getattr(organiser, name) for name in ORGANISER_FIELDS}
        for name, value in data.items():
            if name not in ORGANISER_FIELDS:
                raise TypeError(f"organiser_update() got an unexpected field {name!r}")
            setattr(organiser, name, value)
        organiser.kbo_number = normalise_kbo(organiser.kbo_number)
        organiser.iban = normalise_iban(organiser.iban)
        organiser.bic = normalise_bic(organiser.bic)
        organiser.full_clean()
        changes = diff_fields(organiser, old, ORGANISER_FIELDS)
        if changes:
            organiser.save(update_fields=list(changes))
            audit_log(actor=actor, action="organiser.update", obj=organiser, organiser=organiser,
                      summary=_("Organiser settings changed"), changes=changes)
    return organiser


def organiser_logo_set(*, organiser: Organiser, logo, actor) -> Organiser:
    """Store `logo` (an uploaded PNG or JPEG) as the organiser's logo under one name, or remove it (None)."""
    with transaction.atomic():
        organiser = Organiser.objects.select_for_update(no_key=True).get(pk=organiser.pk)
        old = organiser.logo.name
        if old:
            organiser.logo.storage.delete(old)
        if logo is None:
            organiser.logo = ""
        else:
            extension = "png" if logo.image.format == "PNG" else "jpg"
            organiser.logo.save(f"organisatie-{organiser.pk}.{extension}", logo, save=False)
        organiser.save(update_fields=["logo"])
        audit_log(actor=actor, action="organiser.logo", obj=organiser, organiser=organiser,
                  summary=_("Logo changed") if logo is not None else _("Logo removed"),
                  changes={"logo": [old, organiser.logo.name]})
    return organiser


def municipality_assign(*, organiser: Organiser, nis_code: str, actor) -> Municipality:
    """Add a Flemish municipality to the organiser's territory. A municipality has at most one organiser."""
    nis_code = (nis_code or "").strip()
    if not is_flemish_nis_code(nis_code):
        raise ValidationError(_("%(code)s is not the NIS code of a Flemish municipality.") % {"code": nis_code},
                              code="invalid_nis")
    with transaction.atomic():
        municipality = Municipality.objects.select_for_update().filter(nis_code=nis_code).first()
        if municipality is None:
            raise ValidationError(_("Municipality %(code)s is not known yet; run sync_municipalities.")
                                  % {"code": nis_code}, code="unknown_nis")
        if municipality.organiser_id == organiser.pk:
            raise ValidationError(_("%(name)s already belongs to your organisation.") % {"name": municipality.name},
                                  code="already_assigned")
        if municipality.organiser_id is not None:
            raise ValidationError(_("%(name)s already belongs to another wijk-werkorganisatie.")
                                  % {"name": municipality.name}, code="other_organiser")
        municipality.organiser = organiser
        municipality.save(update_fields=["organiser"])
        audit_log(actor=actor, action="municipality.assign", obj=municipality, organiser=organiser,
                  summary=_("Municipality %(name)s added to the organiser") % {"name": municipality.name})
    return municipality


def municipality_release(*, municipality: Municipality, actor) -> Municipality:
    """Remove a municipality from the organiser's territory, only while nothing refers to it."""
    with transaction.atomic():
        municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
        organiser = municipality.organiser
        if organiser is None:
            raise ValidationError(_("This municipality has no organiser."), code="not_assigned")
        if municipality.users.exists():
            raise ValidationError(_("Accounts are still linked to %(name)s; move or deactivate them first.")
                                  % {"name": municipality.name}, code="in_use")
        municipality.organiser = None
        municipality.save(update_fields=["organiser"])
        audit_log(actor=actor, action="municipality.release", obj=municipality, organiser=organiser,
                  summary=_("Municipality %(name)s removed from the organiser") % {"name": municipality.name})
    return municipality


def cheque_price_set(*, municipality: Municipality, price: Decimal, decided_on: datetime.date, actor) -> ChequePrice:
    """Record a municipality's price decision. It applies from 1 January of the year after the decision.

    The price must be one of the legal steps of the rules valid on that 1 January. A second decision in the same
    year replaces the first, since neither is in force yet.
    """
    price = Decimal(price)
    if decided_on > today():
        raise ValidationError(_("The date of the decision cannot be in the future."), code="decided_in_future")
    valid_from = first_of_next_year(decided_on)
    if valid_from <= today():
        raise ValidationError(
            _("A price decided on %(date)s would already apply; a price change only applies from 1 January of the "
              "next year.") % {"date": decided_on.strftime("%d/%m/%Y")}, code="decided_in_past")
    allowed = rule_set_on(organiser=municipality.organiser, on=valid_from).allowed_cheque_prices()
    if price not in allowed:
        raise ValidationError(
            _("A cheque costs one of these amounts: %(prices)s.")
            % {"prices": ", ".join(f"€ {p:.2f}".replace(".", ",") for p in allowed)}, code="price_not_a_step")
    with transaction.atomic():
        Municipality.objects.select_for_update().get(pk=municipality.pk)
        decision = ChequePrice.objects.filter(municipality=municipality, valid_from=valid_from).first()
        old_price = decision.price if decision else None
        if decision is None:
            decision = ChequePrice(municipality=municipality, valid_from=valid_from)
        decision.price = price
        decision.decided_on = decided_on
        decision.created_by = actor
        decision.full_clean()
        decision.save()
        audit_log(
            actor=actor, action="cheque_price.set", obj=municipality, organiser=municipality.organiser,
            summary=_("Cheque price € %(price)s from %(date)s") % {
                "price": f"{price:.2f}".replace(".", ","), "date": valid_from.strftime("%d/%m/%Y")},
            changes={"price": [old_price, price], "valid_from": valid_from},
        )
    return decision


def rule_set_create(*, organiser: Organiser, valid_from: datetime.date, values: dict, note: str, actor) -> RuleSet:
    """A new version of the rules. It starts today or later: a rule change never rewrites history."""
    if valid_from < today():
        raise ValidationError({"valid_from": ValidationError(
            _("New rules start today or later; past hours keep the rules of their date."), code="valid_from_in_past")})
    unknown = set(values) - set(RuleSet.RULE_FIELDS)
    if unknown:
        raise TypeError(f"rule_set_create() got unexpected rules {sorted(unknown)}")
    with transaction.atomic():
        Organiser.objects.select_for_update().get(pk=organiser.pk)
        if RuleSet.objects.filter(organiser=organiser, valid_from=valid_from).exists():
            raise ValidationError({"valid_from": ValidationError(
                _("A version starting on this date already exists."), code="duplicate_valid_from")})
        previous = rule_set_on(organiser=organiser, on=valid_from)
        rule_set = RuleSet(organiser=organiser, valid_from=valid_from, note=note, created_by=actor, **values)
        rule_set.full_clean()
        rule_set.save()
        changes = {name: [getattr(previous, name), getattr(rule_set, name)]
                   for name in RuleSet.RULE_FIELDS if getattr(previous, name) != getattr(rule_set, name)}
        audit_log(actor=actor, action="rule_set.create", obj=rule_set, organiser=organiser,
                  summary=_("New rules from %(date)s") % {"date": valid_from.strftime("%d/%m/%Y")}, changes=changes)
    return rule_set


PAYOUT_DATE_MAX_MONTHS_AFTER = 3  # a month's work is paid within three months after the month


def _payout_date_problem(month: datetime.date, pays_on: datetime.date):
    """Why `pays_on` cannot be the payment date of the work of `month` (None when it can)."""
    if pays_on < today():
        return ValidationError({"pays_on": ValidationError(
            _("A payment date in the past cannot be set: that payment is made or missed already."),
            code="pays_on_in_past")})
    if pays_on <= month:
        return ValidationError({"pays_on": ValidationError(
            _("The work of a month is paid after the month has started: choose a date after %(date)s.")
            % {"date": month.strftime("%d/%m/%Y")}, code="pays_before_month")})
    if pays_on >= add_months(month, PAYOUT_DATE_MAX_MONTHS_AFTER + 1):
        return ValidationError({"pays_on": ValidationError(
            _("Workers are paid within three months after the month they worked: choose an earlier date."),
            code="pays_too_late")})
    return None


def payout_date_set(*, organiser: Organiser, month: datetime.date, pays_on: datetime.date, actor) -> PayoutDate:
    """Set (or move) the payment date of the work of `month` in the organiser's payment calendar."""
    month = month.replace(day=1)
    if (problem := _payout_date_problem(month, pays_on)) is not None:
        raise problem
    with transaction.atomic():
        Organiser.objects.select_for_update(no_key=True).get(pk=organiser.pk)
        payout_date = PayoutDate.objects.filter(organiser=organiser, month=month).first()
        old = payout_date.pays_on if payout_date else None
        if payout_date is None:
            payout_date = PayoutDate(organiser=organiser, month=month, created_by=actor)
        payout_date.pays_on = pays_on
        payout_date.full_clean()
        payout_date.save()
        audit_log(actor=actor, action="payout_date.set", obj=organiser, organiser=organiser,
                  summary=_("Payment date for the work of %(month)s: %(date)s")
                  % {"month": month.strftime("%m/%Y"), "date": pays_on.strftime("%d/%m/%Y")},
                  changes={"pays_on": [old, pays_on]})
    return payout_date


def payout_calendar_fill(*, organiser: Organiser, year: int, working_day: int, actor) -> list[PayoutDate]:
    """Publish a year's calendar: the work of each month of `year` is paid on the `working_day`-th working day
    of the following month. Months whose date would already be past keep what they had."""
    if not 1 <= working_day <= 20:
        raise ValidationError({"working_day": ValidationError(
            _("Choose a working day between 1 and 20."), code="working_day_range")})
    on = today()
    planned = []
    for number in range(1, 13):
        month = datetime.date(year, number, 1)
        pays_on = add_working_days(add_months(month, 1) - datetime.timedelta(days=1), working_day)
        if pays_on >= on:
            planned.append((month, pays_on))
    if not planned:
        raise ValidationError({"year": ValidationError(
            _("Every payment date of %(year)s is past already.") % {"year": year}, code="year_past")})
    with transaction.atomic():
        Organiser.objects.select_for_update(no_key=True).get(pk=organiser.pk)
        existing = {d.month: d for d in PayoutDate.objects.filter(organiser=organiser, month__year=year)}
        dates = []
        for month, pays_on in planned:
            payout_date = existing.get(month) or PayoutDate(organiser=organiser, month=month, created_by=actor)
            payout_date.pays_on = pays_on
            payout_date.full_clean()
            payout_date.save()
            dates.append(payout_date)
        audit_log(actor=actor, action="payout_calendar.fill", obj=organiser, organiser=organiser,
                  summary=_("Payment calendar %(year)s: working day %(day)s of the following month")
                  % {"year": year, "day": working_day},
                  changes={"dates": ", ".join(f"{d.month:%m/%Y}: {d.pays_on:%d/%m/%Y}" for d in dates)})
    return dates
