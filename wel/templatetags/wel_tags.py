import functools

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


# The menu entries rendered per (scope, language, script prefix), per process: they depend on
# nothing else (``_partials/nav_items.html`` and the apps' ``_nav.html`` read only ``scope``),
# and rendering them (twenty links, four includes) was ~3 ms of every page (docs/benchmarks.md).
# A change of role, region or region name is a different scope, so a different entry.
@functools.lru_cache(maxsize=1024)
def _nav_items_html(scope, language: str, script_prefix: str) -> str:
    from django.template.loader import render_to_string

    return render_to_string("_partials/nav_items.html", {"scope": scope})


@register.simple_tag(takes_context=True)
def nav_items(context) -> str:
    """``{% nav_items %}``: the navigation's menu entries for the request's scope."""
    from django.urls import get_script_prefix
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    html = _nav_items_html(context.get("scope"), get_language(), get_script_prefix())
    return mark_safe(html)  # noqa: S308 - rendered by the template engine (autoescaped)
