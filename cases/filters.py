"""The case list's filters. Choice lists come from the user's own scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import django_filters
from django import forms
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from regions.models import Gemeente
from wel.access import scope_for
from wel.filters import WelFilterSet
from wel.models import User
from wel.sql import rows
from wel.widgets import InlineSelect

from . import rules
from .models import Grondslag, Jeugdige, Status
from .search import parse, search_q

# The bands themselves are cases.rules.AGE_BANDS (the dashboard counts with the same ones).
AGE_BANDS = tuple((band.key, band.label) for band in rules.AGE_BANDS)
RENEWAL_CHOICES = (
    ("overdue", _("Overdue")),
    # the key stays "60" so saved links keep working
    ("60", format_lazy(_("Due within {n} days, not overdue"), n=rules.RENEWAL_SOON_DAYS)),
    ("none", _("No renewal date")),
)
YES_NO = (("1", _("Yes")), ("0", _("No")))


def age_band_q(band: str, today: dt.date | None = None) -> Q:
    """Born so that the age on ``today`` falls in the band (:func:`cases.rules.age_band_q`)."""
    return rules.age_band_q(band, today or timezone.localdate())


class _ChoicesInOnePlainQuery(django_filters.fields.ModelChoiceIterator):
    """Django reads a model choice list through ``queryset.iterator()``: on PostgreSQL outside
    a transaction a server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE), three round trips
    and a materialised cursor per list — ~12 % of the case list under load (py-spy). These
    lists are short (the region's municipalities and LPAs): one plain query each, or none when
    the filter set has read the options already (``options``: (pk, label) pairs)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        if self.field.options is not None:
            yield from self.field.options
            return
        for obj in self.queryset.all():
            yield self.choice(obj)


class Options:
    """A model choice list's options, (pk, label) pairs, read by ``read()`` when first shown
    (a filter set that is only applied, as by the export, reads none) and shared by the form's
    copies of the field."""

    def __init__(self, read: Callable[[], Iterable[tuple]]):
        self._read = read
        self._options: tuple | None = None

    def __iter__(self):
        if self._options is None:
            self._options = tuple(self._read())
        return iter(self._options)

    def __deepcopy__(self, memo):
        return self


class _ModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ChoicesInOnePlainQuery

    def __init__(self, *args, options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` whose options are read with one plain query, or given as
    ``options`` (:class:`Options`; the queryset still checks a chosen value)."""

    field_class = _ModelChoiceField


class JeugdigeFilter(WelFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Reference, name, BSN or date of birth (dd-mm-jjjj)"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    open = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        method="filter_open",
        choices=(("open", _("Open")), ("closed", _("Closed"))),
        empty_label=_("All"),
    )
    grondslag = django_filters.ChoiceFilter(label=_("Grondslag"), choices=Grondslag.choices)
    gemeente = ModelChoiceFilter(label=_("Municipality"), queryset=Gemeente.objects.none())
    is_focus = django_filters.ChoiceFilter(
        label=_("Focus case"), choices=YES_NO, method="filter_focus"
    )
    assigned_lpa = ModelChoiceFilter(label=_("Assigned LPA"), queryset=User.objects.none())
    age_band = django_filters.ChoiceFilter(
        label=_("Age (years)"), choices=AGE_BANDS, method="filter_age_band"
    )
    renewal = django_filters.ChoiceFilter(
        label=_("Renewal"), choices=RENEWAL_CHOICES, method="filter_renewal"
    )
    contact_overdue = django_filters.ChoiceFilter(
        label=_("Contact overdue"), choices=YES_NO, method="filter_contact_overdue"
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Default order"),
        fields=(
            ("reference", "reference"),
            ("family_name", "name"),
            ("date_of_birth", "date_of_birth"),
            ("status", "status"),
            ("next_contact_due", "next_contact_due"),
            ("renewal_due", "renewal_due"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "reference": _("Reference"),
            "family_name": _("Name"),
            "date_of_birth": _("Date of birth"),
            "status": _("Status"),
            "next_contact_due": _("Next contact"),
            "renewal_due": _("Renewal due"),
            "updated_at": _("Last changed"),
        },
    )

    class Meta:
        model = Jeugdige
        fields = ["q", "status", "grondslag", "gemeente", "assigned_lpa"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every list filter renders its options without a template per <option> (same HTML).
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
                filter_.extra.setdefault("widget", InlineSelect)
        scope = scope_for(user)
        gemeente_q = Q(pk__in=[])
        gemeenten_of = tuple(
            (region_id, scope.gemeente_ids_for_cases(region_id))
            for region_id in sorted(scope.region_ids)
        )
        for region_id, ids in gemeenten_of:
            gemeente_q |= Q(regions__id=region_id) if ids is None else Q(pk__in=sorted(ids))
        gemeenten = Gemeente.objects.filter(gemeente_q).distinct()
        lpas = (
            User.objects.filter(memberships__region_id__in=sorted(scope.region_ids))
            .distinct()
            .order_by("full_name", "pk")
        )
        self.filters["gemeente"].queryset = gemeenten
        self.filters["assigned_lpa"].queryset = lpas
        # The options as the fields' labels show them (str(): a municipality's name; a user's
        # name, else e-mail address), read with SQL built once per process for this scope
        # (wel.sql): the case list's two option lists were ~10 % of its CPU as model queries.
        key = tuple(
            (region_id, None if ids is None else tuple(sorted(ids)))
            for region_id, ids in gemeenten_of
        )
        self.filters["gemeente"].extra["options"] = Options(
            lambda: (
                (row["pk"], row["name"])
                for row in rows(
                    ("cases.filter.gemeente", key), lambda: gemeenten.values("pk", "name")
                )
            )
        )
        self.filters["assigned_lpa"].extra["options"] = Options(
            lambda: (
                (row["pk"], row["full_name"] or row["email"])
                for row in rows(
                    ("cases.filter.lpa", tuple(sorted(scope.region_ids))),
                    lambda: lpas.values("pk", "full_name", "email"),
                )
            )
        )
        for name in ("q",):
            self.filters[name].field.widget = forms.TextInput(attrs={"type": "search"})

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if (self.form.cleaned_data.get("q") or "").strip():
            queryset = _sort_search_matches(queryset)
        return queryset

    def search(self, queryset, name, value):
        """The header's search (:mod:`cases.search`): reference, name in any order and
        without accents, BSN (exact) or date of birth. The view audits a BSN search."""
        return queryset.filter(search_q(parse(value)))

    def filter_open(self, queryset, name, value):
        if value == "open":
            return queryset.filter(rules.case_open_q())
        if value == "closed":
            return queryset.exclude(rules.case_open_q())
        return queryset

    def filter_focus(self, queryset, name, value):
        return queryset.filter(is_focus=value == "1")

    def filter_age_band(self, queryset, name, value):
        return queryset.filter(age_band_q(value))

    def filter_renewal(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(rules.renewal_overdue_q(today))
        if value == "60":
            return queryset.filter(rules.renewal_due_soon_q(today))
        if value == "none":
            return queryset.filter(renewal_due__isnull=True)
        return queryset

    def filter_contact_overdue(self, queryset, name, value):
        overdue = rules.contact_overdue_q(timezone.localdate()) & rules.case_open_q()
        return queryset.filter(overdue) if value == "1" else queryset.exclude(overdue)


# Columns whose order is correlated with what a search matches (names and references).
_SEARCHED_SORT_FIELDS = {"family_name", "given_name", "reference"}


def _sort_search_matches(queryset):
    """Sort search results by name or reference without walking that column's index.

    With an index on the sort column PostgreSQL prefers to walk it in order and stop at the 25th
    match, assuming matches are spread evenly. For a name search sorted by name they are not
    (every "Jansen" sits together), so it read most of the region before finding them. Sorting
    by ``col || ''`` orders identically but cannot use that index, so PostgreSQL fetches the
    matches through the trigram indexes (cases migration 0004) and sorts only those.
    """
    order = []
    changed = False
    for item in queryset.query.order_by:
        field = item.lstrip("-") if isinstance(item, str) else None
        if field in _SEARCHED_SORT_FIELDS:
            expression = Concat(F(field), Value(""))
            order.append(expression.desc() if item.startswith("-") else expression.asc())
            changed = True
        else:
            order.append(item)
    return queryset.order_by(*order) if changed else queryset
