import django_filters
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from wel.filters import WelFilterSet, YesNoFilter

from .models import Report


class ReportFilter(WelFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Report.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Report.Status.choices)
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.none())
    scheduled = YesNoFilter(label=_("Scheduled"))

    class Meta:
        model = Report
        fields = ["kind", "status", "region", "scheduled"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the regions this user may see are offered (and accepted).
        self.filters["region"].queryset = Region.objects.visible_to(user).order_by("name")
