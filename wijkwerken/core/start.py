"""What each role sees on its start page: first what waits for them (`worklist`), then real data of its scope."""

from wijkwerken.accounts.models import ORGANISER_STAFF_ROLES, Role, User

from .dates import today
from .models import RuleSet
from .rules import rules_for
from .selectors import municipalities_visible_to, municipalities_with_prices, recent_activity
from .worklist import charts_for, work_items_for


def _organiser_rules(user):
    return rules_for(organiser=user.organiser, on=today())


def beheerder_context(user) -> dict:
    return {
        "work_items": work_items_for(user), "charts": charts_for(user),
        "municipalities": municipalities_with_prices(user=user, on=today()),
        "rules": _organiser_rules(user),
        "upcoming_rule_sets": RuleSet.objects.filter(organiser=user.organiser, valid_from__gt=today()),
        "recent_entries": recent_activity(user, limit=8),
    }


def bemiddelaar_context(user) -> dict:
    return {
        "work_items": work_items_for(user), "charts": charts_for(user),
        "municipalities": municipalities_with_prices(user=user, on=today()),
        "rules": _organiser_rules(user),
        "recent_entries": recent_activity(user, limit=8),
    }


def werkcoach_context(user) -> dict:
    return {
        "rules": _organiser_rules(user),
        "colleagues": User.objects.filter(organiser=user.organiser, is_active=True, role__in=ORGANISER_STAFF_ROLES)
        .exclude(pk=user.pk).order_by("role", "last_name"),
        "municipalities": municipalities_visible_to(user),
    }


def gemeente_context(user) -> dict:
    municipalities = municipalities_with_prices(user=user, on=today())
    return {
        "municipality": municipalities[0] if municipalities else None,
        "work_items": work_items_for(user), "charts": charts_for(user),
        "rules": rules_for(municipality=user.municipality, on=today()),
    }


def _own_municipality_rules(user):
    if user.municipality_id:
        return rules_for(municipality=user.municipality, on=today())
    return _organiser_rules(user)


def gebruiker_context(user) -> dict:
    return {"rules": _own_municipality_rules(user), "work_items": work_items_for(user), "charts": charts_for(user)}


def wijkwerker_context(user) -> dict:
    return {"rules": _own_municipality_rules(user), "work_items": work_items_for(user), "charts": charts_for(user)}


START_PAGES = {
    Role.BEHEERDER: ("core/start_beheerder.html", beheerder_context),
    Role.BEMIDDELAAR: ("core/start_bemiddelaar.html", bemiddelaar_context),
    Role.WERKCOACH: ("core/start_werkcoach.html", werkcoach_context),
    Role.GEMEENTE: ("core/start_gemeente.html", gemeente_context),
    Role.GEBRUIKER: ("core/start_gebruiker.html", gebruiker_context),
    Role.WIJKWERKER: ("core/start_wijkwerker.html", wijkwerker_context),
}
