from django import template

from ..writers import cell_text

register = template.Library()


@register.filter
def cell(value):
    """A report table's cell as text: "1.234,50", "€ 12,50", "+8,3 %", "< 5" or "—"."""
    return cell_text(value)
