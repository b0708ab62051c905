from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination and sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag
def active_filter_count(filterset) -> int:
    """How many of a django-filter FilterSet's filters narrow the list (sorting does not)."""
    import django_filters

    data = filterset.form.data if filterset.is_bound else {}
    return sum(
        1
        for name, flt in filterset.filters.items()
        if not isinstance(flt, django_filters.OrderingFilter)
        and any(str(v).strip() for v in data.getlist(name) if v is not None)
        if hasattr(data, "getlist")
    )


@register.filter
def bootstrap_field(bound_field) -> str:
    """``{{ field|bootstrap_field }}``: crispy's ``as_crispy_field`` markup without its
    templates for text inputs and selects (:func:`wel.widgets.bootstrap_field`)."""
    from wel.widgets import bootstrap_field as render

    return render(bound_field)
