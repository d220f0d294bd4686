from django import template

from wijkwerken.accounts.permissions import sees_personal_data as _sees_personal_data
from wijkwerken.core.money import format_euro

register = template.Library()


@register.filter
def euro(value):
    if value is None or value == "":
        return ""
    return format_euro(value)


@register.filter
def minutes(duration):
    """A timedelta as whole minutes (rounded up), for messages such as the login lock-out."""
    if not duration:
        return 0
    seconds = int(duration.total_seconds())
    return -(-seconds // 60)


@register.filter
def hours(minutes):
    """Minutes as hours and minutes: 750 → "12 u 30"."""
    if minutes in (None, ""):
        return ""
    minutes = int(minutes)
    return f"{minutes // 60} u {minutes % 60:02d}"


@register.filter
def sees_personal_data(user):
    """`{% if user|sees_personal_data %}`: see `wijkwerken.accounts.permissions.sees_personal_data`."""
    return _sees_personal_data(user)


# The colour of a status badge of money and reports (`cheques/_status_badge.html`): a lookup, not a chain of
# template comparisons (the badge is drawn once per row of long lists).
_BADGE_CLASSES = {
    **dict.fromkeys(("betaald", "gekoppeld", "manueel_gekoppeld", "beschikbaar", "klaar"), "text-bg-success"),
    **dict.fromkeys(("geannuleerd", "genegeerd", "vervallen", "gebruikt"), "text-bg-secondary"),
    **dict.fromkeys(("open", "te_behandelen", "wachtrij", "bezig"), "text-bg-warning"),
    "mislukt": "text-bg-danger",
}


@register.filter
def badge_class(status):
    return _BADGE_CLASSES.get(str(status), "text-bg-info")
