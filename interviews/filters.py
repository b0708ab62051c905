import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.models import Gemeente, Region
from wel.access import scope_for
from wel.filters import WelFilterSet
from wel.models import User

from .models import AgendaStatus, BelemmerendeFactor, Category, Interview, Level, MoreelBeraad

DATE = {"type": "date"}


class InterviewFilter(WelFilterSet):
    respondent_kind = django_filters.ChoiceFilter(
        label=_("Respondent"), choices=Interview.RespondentKind.choices
    )
    held_from = django_filters.DateFilter(
        label=_("From"),
        field_name="held_on",
        lookup_expr="gte",
        widget=django_filters.widgets.forms.DateInput(attrs=DATE),
    )
    held_to = django_filters.DateFilter(
        label=_("Until"),
        field_name="held_on",
        lookup_expr="lte",
        widget=django_filters.widgets.forms.DateInput(attrs=DATE),
    )
    gemeente = django_filters.ModelChoiceFilter(
        label=_("Municipality"), field_name="jeugdige__gemeente", queryset=Gemeente.objects.none()
    )
    interviewer = django_filters.ModelChoiceFilter(
        label=_("Interviewer"), queryset=User.objects.none()
    )

    class Meta:
        model = Interview
        fields = ["respondent_kind", "held_from", "held_to", "gemeente", "interviewer"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        self.filters["gemeente"].queryset = Gemeente.objects.filter(
            regions__in=sorted(scope.region_ids)
        ).distinct()
        self.filters["interviewer"].queryset = User.objects.filter(
            memberships__region__in=sorted(scope.region_ids)
        ).distinct()


class BeraadFilter(WelFilterSet):
    method = django_filters.ChoiceFilter(label=_("Method"), choices=MoreelBeraad.Method.choices)
    held_from = django_filters.DateFilter(
        label=_("From"),
        field_name="held_on",
        lookup_expr="gte",
        widget=django_filters.widgets.forms.DateInput(attrs=DATE),
    )
    held_to = django_filters.DateFilter(
        label=_("Until"),
        field_name="held_on",
        lookup_expr="lte",
        widget=django_filters.widgets.forms.DateInput(attrs=DATE),
    )

    class Meta:
        model = MoreelBeraad
        fields = ["method", "held_from", "held_to"]


class ObstacleFilter(WelFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgendaStatus.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    source = django_filters.ChoiceFilter(
        label=_("Raised from"), choices=BelemmerendeFactor.Source.choices
    )
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.none())

    class Meta:
        model = BelemmerendeFactor
        fields = ["q", "status", "level", "category", "source", "region"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = sorted(scope_for(user).region_ids)
        self.filters["region"].queryset = Region.objects.filter(pk__in=ids)
        if len(ids) <= 1:
            del self.filters["region"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(description__icontains=value) | Q(agenda_where__icontains=value))


class NationalAgendaFilter(WelFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgendaStatus.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.all())

    class Meta:
        model = BelemmerendeFactor
        fields = ["status", "category", "region"]
