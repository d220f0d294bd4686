"""Writes on the activity list: the organiser's copy of the Flemish list (beheerder) and the municipal
restrictions and extensions (gemeente). Rows are ended and started, never rewritten."""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkwerken.accounts.models import Role
from wijkwerken.core.audit import audit_log
from wijkwerken.core.models import Municipality, Organiser

from ..models import Activity, ActivityRestriction, ActivityStatus, ClientCategory, MainActivity

ACTIVITY_LIST_FILE = Path(__file__).resolve().parent.parent / "data" / "activiteitenlijst.json"
# Wijk-werken started on 1 January 2018: the seeded list is valid from then.
LIST_START = datetime.date(2018, 1, 1)


def load_activity_list() -> dict:
    with ACTIVITY_LIST_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def main_activity_get_or_create(*, name: str) -> MainActivity:
    main, _new = MainActivity.objects.get_or_create(name=name, defaults={"code": slugify(name)})
    return main


def activity_list_seed(*, organiser: Organiser, actor=None, valid_from: datetime.date = LIST_START) -> int:
    """Give `organiser` the known Vlaamse activiteitenlijst from the shipped JSON. Safe to run again: returns
    the number of rows created."""
    data = load_activity_list()
    created = 0
    with transaction.atomic():
        mains = {}
        for name in data["hoofdactiviteiten"]:
            mains[name] = main_activity_get_or_create(name=name)
        for category, items in data["activiteiten"].items():
            for item in items:
                main = mains.get(item["hoofdactiviteit"])
                if main is None:
                    main = main_activity_get_or_create(name=item["hoofdactiviteit"])
                if Activity.objects.filter(organiser=organiser, municipality__isnull=True, category=category,
                                           main_activity=main, name=item["subactiviteit"]).exists():
                    continue
                Activity.objects.create(
                    organiser=organiser, category=category, main_activity=main, name=item["subactiviteit"],
                    status=item["status"], source=item.get("bron", "")[:300],
                    ex_pwa_only=bool(item.get("alleen_overgangsmaatregel")), valid_from=valid_from,
                )
                created += 1
        if created:
            audit_log(actor=actor, organiser=organiser, action="activity.seed",
                      summary=ngettext("Flemish activity list loaded (%(count)s activity)",
                                       "Flemish activity list loaded (%(count)s activities)", created)
                      % {"count": created})
    return created


def _check_may_edit(*, actor, organiser: Organiser, municipality: Municipality | None) -> None:
    if actor.organiser_id != organiser.pk:
        raise ValidationError(_("This list belongs to another organiser."), code="foreign_organiser")
    if municipality is None and actor.role != Role.BEHEERDER:
        raise ValidationError(_("Only the administrator changes the Flemish list."), code="not_beheerder")
    if municipality is not None and actor.role == Role.GEMEENTE and actor.municipality_id != municipality.pk:
        raise ValidationError(_("You can only change the list of your own municipality."),
                              code="foreign_municipality")
    if municipality is not None and municipality.organiser_id != organiser.pk:
        raise ValidationError(_("This municipality does not belong to the organiser."), code="foreign_municipality")


def activity_create(
    *, organiser: Organiser, category: str, main_activity: MainActivity, name: str, valid_from: datetime.date,
    ex_pwa_only: bool = False, status: str = ActivityStatus.OFFICIAL, source: str = "",
    municipality: Municipality | None = None, actor,
) -> Activity:
    """Add an activity to the Flemish list (beheerder) or, with `municipality`, as a local extension."""
    _check_may_edit(actor=actor, organiser=organiser, municipality=municipality)
    if category not in ClientCategory.values:
        raise ValidationError({"category": ValidationError(_("Choose a client category."), code="invalid_category")})
    with transaction.atomic():
        overlapping = Activity.objects.filter(
            organiser=organiser, category=category, main_activity=main_activity, name__iexact=name.strip(),
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
        overlapping = (overlapping.filter(municipality=municipality) if municipality
                       else overlapping.filter(municipality__isnull=True))
        if overlapping.exists():
            raise ValidationError({"name": ValidationError(
                _("This activity is already on the list for this category from that date."),
                code="duplicate_activity")})
        activity = Activity(
            organiser=organiser, municipality=municipality, category=category, main_activity=main_activity,
            name=name.strip(), valid_from=valid_from, ex_pwa_only=ex_pwa_only, status=status, source=source,
            created_by=actor,
        )
        activity.full_clean()
        activity.save()
        summary = (_("Activity added for %(municipality)s from %(date)s")
                   % {"municipality": municipality.name, "date": valid_from.strftime("%d/%m/%Y")}
                   if municipality else
                   _("Activity added to the Flemish list from %(date)s") % {"date": valid_from.strftime("%d/%m/%Y")})
        audit_log(actor=actor, organiser=organiser, obj=activity, action="activity.create", summary=summary,
                  changes={"category": category, "municipality": municipality.name if municipality else None})
    return activity


def activity_end(*, activity: Activity, last_day: datetime.date, actor) -> Activity:
    """Take an activity off the list (or end a local extension) after `last_day`."""
    _check_may_edit(actor=actor, organiser=activity.organiser, municipality=activity.municipality)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if last_day < activity.valid_from:
            raise ValidationError({"last_day": ValidationError(
                _("The last day cannot be before the activity started (%(date)s).")
                % {"date": activity.valid_from.strftime("%d/%m/%Y")}, code="before_start")})
        if activity.valid_until is not None and activity.valid_until <= last_day:
            raise ValidationError({"last_day": ValidationError(
                _("This activity already ends on %(date)s.") % {"date": activity.valid_until.strftime("%d/%m/%Y")},
                code="already_ended")})
        old = activity.valid_until
        activity.valid_until = last_day
        activity.save(update_fields=["valid_until"])
        audit_log(actor=actor, organiser=activity.organiser, obj=activity, action="activity.end",
                  summary=_("Activity ends after %(date)s") % {"date": last_day.strftime("%d/%m/%Y")},
                  changes={"valid_until": [old, last_day]})
    return activity


def activity_update(*, activity: Activity, actor, status: str | None = None, ex_pwa_only: bool | None = None,
                    source: str | None = None) -> Activity:
    """Confirm a 'praktijkvoorbeeld' as official or change its flags (the name and period stay)."""
    _check_may_edit(actor=actor, organiser=activity.organiser, municipality=activity.municipality)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        changes = {}
        for field, value in (("status", status), ("ex_pwa_only", ex_pwa_only), ("source", source)):
            if value is not None and getattr(activity, field) != value:
                changes[field] = [getattr(activity, field), value]
                setattr(activity, field, value)
        if changes:
            activity.full_clean()
            activity.save(update_fields=list(changes))
            audit_log(actor=actor, organiser=activity.organiser, obj=activity, action="activity.update",
                      summary=_("Activity changed"), changes=changes)
    return activity


def activity_restrict(*, municipality: Municipality, activity: Activity, valid_from: datetime.date, actor,
                      reason: str = "", valid_until: datetime.date | None = None) -> ActivityRestriction:
    """The municipality no longer allows a Flemish activity on its territory from `valid_from`."""
    _check_may_edit(actor=actor, organiser=municipality.organiser, municipality=municipality)
    if activity.organiser_id != municipality.organiser_id or activity.municipality_id is not None:
        raise ValidationError({"activity": ValidationError(
            _("Only activities of the Flemish list can be restricted; end a local activity instead."),
            code="not_flemish_activity")})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": ValidationError(_("The end cannot be before the start."),
                                                              code="period_order")})
    with transaction.atomic():
        # Lock the municipality row so two restrictions of the same activity cannot overlap.
        Municipality.objects.select_for_update().get(pk=municipality.pk)
        overlapping = ActivityRestriction.objects.filter(municipality=municipality, activity=activity).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
        )
        if valid_until is not None:
            overlapping = overlapping.filter(valid_from__lte=valid_until)
        if overlapping.exists():
            raise ValidationError({"activity": ValidationError(
                _("This activity is already restricted in this period."), code="already_restricted")})
        restriction = ActivityRestriction(municipality=municipality, activity=activity, valid_from=valid_from,
                                          valid_until=valid_until, reason=reason, created_by=actor)
        restriction.full_clean()
        restriction.save()
        audit_log(actor=actor, organiser=municipality.organiser, obj=activity, action="activity.restrict",
                  summary=_("%(municipality)s restricts this activity from %(date)s")
                  % {"municipality": municipality.name, "date": valid_from.strftime("%d/%m/%Y")},
                  changes={"reason": reason})
    return restriction


def activity_restriction_end(*, restriction: ActivityRestriction, last_day: datetime.date,
                             actor) -> ActivityRestriction:
    """Lift a restriction: the activity is allowed again after `last_day`."""
    municipality = restriction.municipality
    _check_may_edit(actor=actor, organiser=municipality.organiser, municipality=municipality)
    with transaction.atomic():
        restriction = ActivityRestriction.objects.select_for_update().get(pk=restriction.pk)
        if last_day < restriction.valid_from:
            raise ValidationError({"last_day": ValidationError(
                _("The last day cannot be before the restriction started."), code="before_start")})
        if restriction.valid_until is not None and restriction.valid_until <= last_day:
            raise ValidationError({"last_day": ValidationError(_("This restriction already ends earlier."),
                                                               code="already_ended")})
        restriction.valid_until = last_day
        restriction.save(update_fields=["valid_until"])
        audit_log(actor=actor, organiser=municipality.organiser, obj=restriction.activity,
                  action="activity.restriction_end",
                  summary=_("%(municipality)s allows this activity again after %(date)s")
                  % {"municipality": municipality.name, "date": last_day.strftime("%d/%m/%Y")})
    return restriction
