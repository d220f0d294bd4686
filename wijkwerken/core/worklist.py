"""What waits for each role: the counts on the start page, each linked to the (filtered) list where the work is done.

Core knows no other app, so each app says what waits in its own `worklist.py` module (found at start-up by
`autodiscover_modules("worklist")` in `CoreConfig.ready`):

    @work_items(Role.BEMIDDELAAR, Role.BEHEERDER)
    def prestaties_waiting(user):
        counts = ...aggregate(...)          # one aggregate query, never rows loaded to be counted
        return [WorkItem(...), ...]

The same modules add charts to a start page (`start_charts`) and name the objects a start page's "recent
activity" links to (`audit_links`).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class WorkItem:
    """One count on a start page. `label` is already in the right plural; `hint` says what to do about it."""

    label: str
    count: int
    url: str
    hint: str = ""
    order: int = 50
    urgent: bool = False
    # A figure (how many clients, …) rather than work: shown without the "to do" emphasis.
    figure: bool = False
    # A few rows behind the count (the next jobs, …): (text, url) pairs.
    details: tuple[tuple[str, str], ...] = ()


_providers: dict[str, list[Callable]] = defaultdict(list)


def work_items(*roles) -> Callable:
    """Register `provider(user) -> Iterable[WorkItem]` for the start page of `roles`."""

    def register(provider):
        for role in roles:
            if provider not in _providers[role]:
                _providers[role].append(provider)
        return provider

    return register


def work_items_for(user) -> list[WorkItem]:
    """Every count that waits for `user`, in a stable order (by `order`, then label)."""
    items: list[WorkItem] = []
    for provider in _providers.get(user.role, []):
        items.extend(provider(user) or [])
    return sorted(items, key=lambda item: (item.order, item.label))


_chart_providers: dict[str, list[Callable]] = defaultdict(list)


def start_charts(*roles) -> Callable:
    """Register `provider(user) -> Chart | None` (wijkwerken.core.charts) for the start page of `roles`."""

    def register(provider):
        for role in roles:
            if provider not in _chart_providers[role]:
                _chart_providers[role].append(provider)
        return provider

    return register


def charts_for(user) -> list:
    return [chart for provider in _chart_providers.get(user.role, []) if (chart := provider(user)) is not None]


# "app_label.model" → the URL name of the object's page, which takes the object's pk.
_audit_links: dict[str, tuple[str, tuple]] = {}


# Audit actions that are bookkeeping, not news for a colleague (a step that always follows another one).
_quiet_actions: set[str] = set()


def audit_links(links: dict[str, str], *, roles: Iterable = (), quiet: Iterable[str] = ()) -> None:
    """Name the page of each model (`{"assignments.prestatie": "assignments:prestatie_detail"}`) so a feed of
    audit entries can link to the object. `roles` limits the link to readers with one of those roles; `quiet`
    names actions on these models that the feed leaves out."""
    for label, url_name in links.items():
        _audit_links[label] = (url_name, tuple(roles))
    _quiet_actions.update(quiet)


def audit_link_models() -> list[str]:
    return list(_audit_links)


def quiet_actions() -> list[str]:
    return sorted(_quiet_actions)


def audit_entry_url(entry, user) -> str:
    """The page of the entry's object for `user`, or "" when there is none."""
    if entry.content_type_id is None or not entry.object_id:
        return ""
    label = f"{entry.content_type.app_label}.{entry.content_type.model}"
    url_name, roles = _audit_links.get(label, ("", ()))
    if not url_name or (roles and user.role not in roles):
        return ""
    try:
        return reverse(url_name, args=[entry.object_id])
    except NoReverseMatch:
        return ""
