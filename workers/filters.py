import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.dates import today
from wijkwerken.core.fields import NumberFilter
from wijkwerken.core.models import Municipality

from . import selectors, signals
from .activities import main_activity_choices
from .forms import availability_choices
from .models import ActivityKind, Availability, Trajectory, TrajectoryStatus, WorkerActivity, WorkerStatus


class WorkerFilter(django_filters.FilterSet):
    """Filters the worker list; receives a queryset already scoped to the user and annotated with the status."""

    name = django_filters.CharFilter(label=_("Name"), method="filter_name")
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=_("All municipalities")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status", choices=WorkerStatus.choices, empty_label=_("All")
    )
    skill = django_filters.ChoiceFilter(
        label=_("Skill"), choices=main_activity_choices, method="filter_skill", empty_label=_("All")
    )
    available = django_filters.ChoiceFilter(
        label=_("Available on"), choices=availability_choices, method="filter_available", empty_label=_("Any time")
    )
    ending_within = NumberFilter(
        label=_("Trajectory ends within (days)"),
        method="filter_ending_within",
        min_value=0,
        max_value=400,
        widget=forms.NumberInput(attrs={"min": 0, "max": 400}),
    )
    evaluation_within = NumberFilter(
        label=_("Evaluation due within (days)"),
        method="filter_evaluation_within",
        min_value=0,
        max_value=400,
        widget=forms.NumberInput(attrs={"min": 0, "max": 400}),
    )

    hours_left = NumberFilter(
        label=_("At least this many hours left this month"),
        method="filter_hours_left",
        min_value=0,
        max_value=744,
        widget=forms.NumberInput(attrs={"min": 0, "max": 60, "step": 1}),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = municipalities
        if not signals.worker_hours_left_filter.has_listeners():
            del self.filters["hours_left"]

    def filter_hours_left(self, queryset, name, value):
        for _receiver, narrowed in signals.worker_hours_left_filter.send(
            sender=queryset.model, queryset=queryset, minutes=int(value * 60), on=today()
        ):
            queryset = narrowed
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(selectors.status_condition(value))

    def filter_name(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return queryset

    # The skill, availability and evaluation filters ask whether a worker has such a row (EXISTS) rather than
    # joining the rows and taking the DISTINCT workers: the DISTINCT over every column of the list, and its count,
    # grew with the pool.
    def filter_skill(self, queryset, name, value):
        return queryset.filter(Exists(WorkerActivity.objects.filter(worker=OuterRef("pk"), activity=value,
                                                                    kind=ActivityKind.SKILL)))

    def filter_available(self, queryset, name, value):
        weekday, _sep, part = value.partition("-")
        return queryset.filter(Exists(Availability.objects.filter(worker=OuterRef("pk"), weekday=int(weekday),
                                                                  part=part)))

    def filter_evaluation_within(self, queryset, name, value):
        return queryset.filter(Exists(Trajectory.objects.filter(
            worker=OuterRef("pk"), status=TrajectoryStatus.ACTIVE,
            evaluation_due_on__lte=today() + datetime.timedelta(days=int(value)))))

    def filter_ending_within(self, queryset, name, value):
        return queryset.filter(active_end__lte=today() + datetime.timedelta(days=int(value)))
