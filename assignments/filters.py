"""Filters for the staff lists; they always receive a queryset already scoped to the user."""

import datetime

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import today
from wijkwerken.core.fields import typed_number

from .models import ClientCategory, ClientStatus, MainActivity, RequestStatus

AGE_CHOICES = [
    ("0-2", _("less than 3 days")),
    ("3-7", _("3 to 7 days")),
    ("8-30", _("8 to 30 days")),
    ("31-", _("more than 30 days")),
]


class HelpRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RequestStatus.choices,
                                         empty_label=_("Open requests"), method="filter_status")
    municipality = django_filters.ModelChoiceFilter(label=_("Municipality"), queryset=None,
                                                    empty_label=_("All municipalities"))
    category = django_filters.ChoiceFilter(label=_("Client category"), field_name="client__category",
                                           choices=ClientCategory.choices, empty_label=_("All categories"))
    main_activity = django_filters.ModelChoiceFilter(label=_("Activity"), field_name="activity__main_activity",
                                                     queryset=MainActivity.objects.all(),
                                                     empty_label=_("All activities"))
    age = django_filters.ChoiceFilter(label=_("Asked"), choices=AGE_CHOICES, method="filter_age",
                                      empty_label=_("Any time"))

    def __init__(self, data=None, *args, municipalities, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["municipality"].queryset = municipalities

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=[RequestStatus.NEW, RequestStatus.IN_PROGRESS])
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value else queryset

    def filter_age(self, queryset, name, value):
        low, _sep, high = value.partition("-")
        now = today()
        queryset = queryset.filter(created_at__date__lte=now - datetime.timedelta(days=int(low)))
        if high:
            queryset = queryset.filter(created_at__date__gte=now - datetime.timedelta(days=int(high)))
        return queryset


class ClientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ClientStatus.choices,
                                         empty_label=_("All statuses"))
    category = django_filters.ChoiceFilter(label=_("Client category"), choices=ClientCategory.choices,
                                           empty_label=_("All categories"))
    municipality = django_filters.ModelChoiceFilter(label=_("Municipality"), queryset=None,
                                                    empty_label=_("All municipalities"))

    def __init__(self, data=None, *args, municipalities, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["municipality"].queryset = municipalities

    def search(self, queryset, name, value):
        value = value.strip()
        condition = Q(name__icontains=value) | Q(email__icontains=value) | Q(city__icontains=value)
        if (number := typed_number(value)) is not None:
            condition |= Q(number=number)
        return queryset.filter(condition)
