import copy

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from . import audit_events
from .forms import WelFormMixin
from .models import AuditEvent


class WelFilterSet(django_filters.FilterSet):
    """Every list filter of the product: its form is a :class:`~wel.forms.WelFormMixin` form,
    so a filter value the rules refuse (a date in year 9999, a control character) is shown as
    the field's error and that filter is not applied, never a 500."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        """As ``django_filters.FilterSet.__init__`` (django-filter 26), without its deep copy.

        django-filter deep-copies every filter for each request (their querysets, choice lists
        and lazy labels with them): 2–3 ms of every list page here. What a filter changes per
        request is its ``extra`` (the field's arguments, such as a scoped queryset), ``model``,
        ``parent``, the form field it builds and, for ``method=`` filters, the ``FilterMethod``
        that points back at it; so each filter is copied with its own
        ``extra`` and without a built field, and the rest (choices, labels) is shared and only
        read. tests/wel/test_filters.py checks that two filter sets share no state."""
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.__dict__.pop("_field", None)
            filter_.extra = dict(base.extra)
            if base.method is not None:
                filter_.method = base.method  # a FilterMethod of its own, bound to this copy
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (WelFormMixin, form_class), {})


class AuditEventFilter(WelFilterSet):
    """Lines written before event types existed have no type: the action filter finds them."""

    event_type = django_filters.ChoiceFilter(label=_("Event"), choices=audit_events.choices)
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditEvent.Action.choices)
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
        fields = [
            "event_type",
            "action",
            "outcome",
            "user_label",
            "jeugdige_reference",
            "since",
            "until",
        ]


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
