import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Gemeente, Phase, Region


class RegionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    phase = django_filters.ModelChoiceFilter(label=_("Phase"), queryset=Phase.objects.all())
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Region.Kind.choices)
    province = django_filters.ChoiceFilter(
        label=_("Province"), field_name="gemeenten__province", distinct=True, choices=()
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

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
