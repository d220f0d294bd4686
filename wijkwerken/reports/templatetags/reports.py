from django import template

from wijkwerken.core.money import format_euro

from ..writers import cell_text

register = template.Library()


@register.filter
def cell(value):
    """A report table's cell as text: "1.234,50", "€ 12,50", "+8,3 %", "< 5" or "—"."""
    return cell_text(value)


@register.filter
def euro_nowrap(value):
    """€ 12,90 that never breaks between the sign and the amount."""
    return format_euro(value).replace(" ", "\u00a0")
