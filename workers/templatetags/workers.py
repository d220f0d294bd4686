from django import template

register = template.Library()


@register.simple_tag
def slot(weekday, part):
    """The availability slot code "weekday-part" used by the form and the model."""
    return f"{weekday}-{part}"
