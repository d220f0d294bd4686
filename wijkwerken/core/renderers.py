"""The form renderer: Django's own, with the select widget's options written inline (`core/widgets/select.html`).

Django renders every <option> of a select through a template include of its own: about 60 µs an option, 8 ms for
the staff lists (bemiddelaar, werkcoach) of an organiser with 80 staff members on the worker form. The inline
template writes the same HTML.
"""

from django.forms.renderers import DjangoTemplates

OVERRIDES = {"django/forms/widgets/select.html": "core/widgets/select.html"}


class FormRenderer(DjangoTemplates):
    def get_template(self, template_name):
        return super().get_template(OVERRIDES.get(template_name, template_name))
