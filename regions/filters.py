import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wel.filters import WelFilterSet, YesNoFilter

from .models import Gemeente, Learning, Phase, Region, Theme


class RegionFilter(WelFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    phase = django_filters.ModelChoiceFilter(label=_("Phase"), queryset=Phase.objects.all())
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Region.Kind.choices)
    province = django_filters.ChoiceFilter(
        label=_("Province"), field_name="gemeenten__province", distinct=True, choices=()
    )
    is_active = YesNoFilter(label=_("Active"))

    class Meta:
        model = Region
        fields = ["q", "phase", "kind", "province", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = Gemeente.objects.order_by("province").values_list("province", flat=True)
        self.filters["province"].extra["choices"] = [(p, p) for p in dict.fromkeys(provinces)]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(gemeenten__name__icontains=value)
        ).distinct()


class LearningFilter(WelFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), field_name="themes__theme", choices=Theme.choices, distinct=True
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Learning.Kind.choices)
    region = django_filters.ModelChoiceFilter(
        label=_("Region of origin"), queryset=Region.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Learning.Status.choices)

    class Meta:
        model = Learning
        fields = ["q", "theme", "kind", "region", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(lesson__icontains=value) | Q(context__icontains=value)
        )
