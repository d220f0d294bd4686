import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.accounts.models import Role, User
from wijkwerken.core.models import Municipality
from workers.models import WorkerStatus
from workers.selectors import status_condition

from .selectors.caseload import AttentionKind

ANY_ATTENTION = "iets"


def _name_filter(queryset, value):
    for word in value.split():
        queryset = queryset.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return queryset


class CaseloadFilter(django_filters.FilterSet):
    """Filters the coach's caseload (already scoped and annotated with the status); `rows` are the computed
    caseload rows, which the attention filter narrows on."""

    attention = django_filters.ChoiceFilter(
        label=_("Needs attention"), method="filter_attention", empty_label=_("Everyone"),
        choices=[(ANY_ATTENTION, _("anything")), *AttentionKind.choices],
    )
    name = django_filters.CharFilter(label=_("Name"), method="filter_name")
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=_("All municipalities")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), field_name="worker_status", choices=WorkerStatus.choices, empty_label=_("All")
    )

    def __init__(self, *args, rows, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.filters["municipality"].queryset = municipalities

    def filter_name(self, queryset, name, value):
        return _name_filter(queryset, value)

    def filter_attention(self, queryset, name, value):
        if value == ANY_ATTENTION:
            ids = [pk for pk, row in self.rows.items() if row.attention]
        else:
            ids = [pk for pk, row in self.rows.items() if value in row.kinds]
        return queryset.filter(pk__in=ids)


WITHOUT_COACH = "geen"


class AssignFilter(django_filters.FilterSet):
    """The bemiddelaar's list for assigning and handing over: by current coach, municipality, status, name."""

    coach = django_filters.ChoiceFilter(label=_("Current work coach"), method="filter_coach", empty_label=_("All"))
    name = django_filters.CharFilter(label=_("Name"), method="filter_name")
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=_("All municipalities")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status", choices=WorkerStatus.choices, empty_label=_("All")
    )

    def __init__(self, *args, organiser_id, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = municipalities
        coaches = User.objects.filter(organiser_id=organiser_id, role=Role.WERKCOACH).order_by("last_name")
        self.filters["coach"].extra["choices"] = [(WITHOUT_COACH, _("without a work coach")),
                                                  *((str(c.pk), c.get_full_name()) for c in coaches)]

    def filter_name(self, queryset, name, value):
        return _name_filter(queryset, value)

    def filter_status(self, queryset, name, value):
        # The status as a semi-join on the trajectories (as the workers list filters it), not a filter on the
        # per-row status annotation, which would compute it for every worker of the organiser.
        return queryset.filter(status_condition(value))

    def filter_coach(self, queryset, name, value):
        if value == WITHOUT_COACH:
            return queryset.filter(coach__isnull=True)
        return queryset.filter(coach_id=value) if value.isdigit() else queryset.none()
