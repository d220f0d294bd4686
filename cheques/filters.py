"""Filters for the staff lists; they always receive a queryset already scoped to the user."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wijkwerken.core.fields import DateFilter, typed_number

from .models import OrderStatus
from .references import structured_communications_in


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Client, number or communication"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OrderStatus.choices, empty_label=_("All"))
    municipality = django_filters.ModelChoiceFilter(label=_("Municipality"), field_name="client__municipality",
                                                    queryset=None, empty_label=_("All municipalities"))
    ordered_from = DateFilter(label=_("Ordered from"), field_name="ordered_on", lookup_expr="gte",
                                             widget=forms.DateInput(attrs={"type": "date"}))
    ordered_until = DateFilter(label=pgettext_lazy("date range", "until"), field_name="ordered_on",
                               lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"}))
    overdue = django_filters.BooleanFilter(label=_("Past the due date"), method="filter_overdue",
                                           widget=forms.CheckboxInput)

    def __init__(self, data=None, *args, municipalities, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["municipality"].queryset = municipalities

    def filter_q(self, queryset, name, value):
        value = value.strip()
        condition = Q(client__name__icontains=value)
        if (number := typed_number(value)) is not None:
            condition |= Q(pk=number) | Q(client__number=number)
        communications = structured_communications_in(value)
        if communications:
            condition |= Q(structured_communication__in=communications)
        return queryset.filter(condition)

    def filter_overdue(self, queryset, name, value):
        from wijkwerken.core.dates import today

        if value:
            return queryset.filter(status__in=[OrderStatus.OPEN, OrderStatus.PARTIALLY_PAID], due_on__lt=today())
        return queryset
