"""Reads that serve a user always start from what that user may see: organiser → municipality → role."""

from django.db.models import Q, QuerySet

from wijkwerken.accounts.models import ORGANISER_STAFF_ROLES, Role, User

from .models import AuditEntry, ChequePrice, Municipality, RuleSet


def scope_to_user(queryset: QuerySet, user, *, organiser_field="organiser", municipality_field=None) -> QuerySet:
    """Narrow `queryset` to the rows `user` may see through their organiser (and municipality for gemeente).

    Rows of another organiser are simply absent, so fetching one through this queryset gives a 404.
    Clients and workers see nothing through this helper: their own rows are selected by their own selectors.
    """
    if not (user.is_authenticated and user.is_active and user.organiser_id):
        return queryset.none()
    if user.role in ORGANISER_STAFF_ROLES:
        return queryset.filter(**{organiser_field: user.organiser_id})
    if user.role == Role.GEMEENTE and municipality_field:
        return queryset.filter(**{organiser_field: user.organiser_id, municipality_field: user.municipality_id})
    return queryset.none()


def municipalities_visible_to(user) -> QuerySet:
    if not (user.is_authenticated and user.is_active and user.organiser_id):
        return Municipality.objects.none()
    queryset = Municipality.objects.filter(organiser_id=user.organiser_id)
    if user.role == Role.GEMEENTE:
        queryset = queryset.filter(pk=user.municipality_id)
    return queryset


def municipalities_with_prices(*, user, on) -> list[Municipality]:
    """The user's municipalities, each with `current_price` and `next_price` (a decided future price)."""
    from .rules import cheque_prices_on, rule_set_on

    municipalities = list(municipalities_visible_to(user).prefetch_related("postcodes"))
    if not municipalities:
        return []
    rule_set = rule_set_on(organiser=municipalities[0].organiser, on=on)
    upcoming = {
        p.municipality_id: p
        for p in ChequePrice.objects.filter(municipality__in=municipalities, valid_from__gt=on).order_by("-valid_from")
    }
    prices = cheque_prices_on(municipalities=municipalities, on=on, rule_set=rule_set)
    for municipality in municipalities:
        municipality.current_price = prices[municipality.id]
        municipality.next_price = upcoming.get(municipality.id)
    return municipalities


def municipal_accounts(municipality) -> QuerySet:
    """The active logins of the municipality's own staff (role gemeente). Clients and wijk-werkers who live there
    have the municipality on their account too, but they are not the municipality's accounts."""
    return User.objects.filter(municipality=municipality, role=Role.GEMEENTE, is_active=True).order_by(
        "last_name", "first_name")


def rule_sets_of(user) -> QuerySet:
    return scope_to_user(RuleSet.objects.all(), user).select_related("created_by")


def audit_history(obj, *, limit=50) -> QuerySet:
    return AuditEntry.objects.for_object(obj).select_related("actor", "on_behalf_of", "content_type")[:limit]


def recent_activity(user, *, limit=8) -> list[AuditEntry]:
    """What colleagues did lately that the reader can open: entries by a person (not the system, not the reader),
    on an object with a page (`worklist.audit_links`), each with its `url`. One query."""
    from .worklist import audit_entry_url, audit_link_models, quiet_actions

    objects = Q(pk__in=[])
    for label in audit_link_models():
        app_label, model = label.split(".")
        objects |= Q(content_type__app_label=app_label, content_type__model=model)
    entries = list(
        scope_to_user(AuditEntry.objects.all(), user).filter(objects, actor__isnull=False).exclude(actor=user)
        .exclude(action__in=quiet_actions())
        .select_related("actor", "on_behalf_of", "content_type")[:limit]
    )
    for entry in entries:
        entry.url = audit_entry_url(entry, user)
    return entries
