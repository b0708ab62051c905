import django_filters
from django.utils.translation import gettext_lazy as _

from .forms import WelFormMixin
from .models import AuditEvent


class WelFilterSet(django_filters.FilterSet):
    """Every list filter of the product: its form is a :class:`~wel.forms.WelFormMixin` form,
    so a filter value the rules refuse (a date in year 9999, a control character) is shown as
    the field's error and that filter is not applied, never a 500."""

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (WelFormMixin, form_class), {})


class AuditEventFilter(WelFilterSet):
    action = django_filters.ChoiceFilter(label=_("Event"), choices=AuditEvent.Action.choices)
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=AuditEvent.Outcome.choices)
    user_label = django_filters.CharFilter(label=_("User"), lookup_expr="icontains")
    jeugdige_reference = django_filters.CharFilter(
        label=_("Jeugdige (reference)"), lookup_expr="iexact"
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="date__gte"
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="occurred_at", lookup_expr="date__lte"
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "outcome", "user_label", "jeugdige_reference", "since", "until"]


class YesNoAllWidget(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads "All" (not "Unknown"): no choice, no filter."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


class YesNoFilter(django_filters.BooleanFilter):
    """``BooleanFilter`` for lists: "All" / "Yes" / "No", "All" by default."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoAllWidget)
        super().__init__(*args, **kwargs)
