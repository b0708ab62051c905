"""Form widgets that render without a template per part.

Django's ``Select`` renders ``select.html`` and then includes ``select_option.html`` once per
``<option>``. On the case list (eleven filters, two of them lists of every municipality and LPA
of the region) that was most of the request (py-spy: 63 % of the page in template rendering of
options; docs/benchmarks.md). :class:`InlineSelect` writes the very same markup in Python:
same attributes in the same order, same escaping, same whitespace — checked byte for byte
against Django's own rendering in tests/wel/test_widgets.py.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from . import memo


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: ``False`` leaves the attribute out, ``True`` writes
    its bare name, anything else ``name="value"`` (escaped)."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


class InlineSelect(forms.Select):
    """``forms.Select`` with the options written in Python instead of one template each.

    The context (``get_context``: choices, selected value, ``attrs`` added by crispy-forms) is
    Django's own, so only the string building differs; the HTML is identical.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                out.append(
                    f'\n  <option value="{conditional_escape(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")  # the form renderer strips the last newline
        return mark_safe("".join(out))  # noqa: S308 - every part above is escaped


# -- a form field in Bootstrap 5 markup, as crispy-forms writes it ----------------------------
def _is_fast_path(bound_field) -> bool:
    """Text-like inputs and single selects: what the list pages' filter panels hold."""
    widget = bound_field.field.widget
    if widget.is_hidden or getattr(widget, "allow_multiple_selected", False):
        return False
    if isinstance(widget, forms.Select):
        return not isinstance(widget, forms.RadioSelect | forms.NullBooleanSelect)
    return isinstance(widget, forms.widgets.Input) and not isinstance(
        widget, forms.CheckboxInput | forms.FileInput
    )


def bootstrap_field(bound_field) -> str:
    """One form field as crispy-forms' ``bootstrap5/field.html`` renders it (label, widget with
    ``form-control``/``form-select`` and ``is-invalid``, the errors block, the help text), built
    in Python instead of six nested templates.

    The filter panel of every list page renders up to eleven fields; through crispy's templates
    that was 17 ms of the case list's 67 ms of CPU on the benchmark machine (docs/benchmarks.md).
    Text-like inputs and single selects take this path; any other widget (checkbox, radio,
    file, multiple select, hidden) is handed to crispy-forms unchanged. The markup equals
    crispy's apart from whitespace between tags (tests/wel/test_widgets.py compares them for
    every filter form, bound and with errors).

    Input: a ``BoundField``; output: safe HTML. The widget's own attributes are not changed.
    """
    if not _is_fast_path(bound_field):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound_field)
    # The same field with the same value, options, label and errors gives the same markup:
    # remembered per process (wel.memo), a select's options read once (one query for a list
    # of model choices, as before) and handed to the widget.
    widget = bound_field.field.widget
    options = ()
    if isinstance(widget, forms.Select):
        widget.choices = list(iter(widget.choices))  # iter: no COUNT for a length hint
        options = tuple((str(getattr(v, "value", v)), str(label)) for v, label in widget.choices)
    value = bound_field.value()
    made_of = (
        type(bound_field.field).__name__,
        type(widget).__name__,
        sorted((str(k), str(v)) for k, v in widget.attrs.items()),
        bound_field.html_name,
        bound_field.auto_id,
        str(bound_field.label),
        str(bound_field.help_text),
        bound_field.field.required,
        [str(e) for e in bound_field.errors],
        str(bound_field.css_classes()),
        [str(v) for v in value] if isinstance(value, list | tuple) else str(value),
        value is None,
        options,
    )
    return memo.remembered("bootstrap_field", lambda: _bootstrap_field(bound_field), made_of)


def _bootstrap_field(bound_field) -> str:
    if not _is_fast_path(bound_field):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound_field)
    from django.conf import settings

    field, widget = bound_field.field, bound_field.field.widget
    # crispy's CrispyFieldNode: the widget's class, its converted type name, then Bootstrap's.
    type_class = widget.__class__.__name__.lower()
    type_class = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(type_class, type_class)
    css = widget.attrs.get("class", "")
    css = (f"{css} {type_class}" if type_class not in css else css) if css else type_class
    extra = ["form-select" if isinstance(widget, forms.Select) else "form-control"]
    if bound_field.errors:
        extra.append("is-invalid")
    css += "".join(f" {c}" for c in extra if c not in css.split())
    auto_id = bound_field.auto_id
    out = [f'<div id="div_{auto_id}" class="mb-3']
    if bound_field.css_classes():
        out.append(f" {conditional_escape(bound_field.css_classes())}")
    out.append('">')
    if bound_field.label:
        required, asterisk = ("", "")
        if field.required:
            required, asterisk = " requiredField", '<span class="asteriskField">*</span>'

        out.append(
            f'<label for="{conditional_escape(bound_field.id_for_label)}" '
            f'class="form-label{required}">{conditional_escape(bound_field.label)}{asterisk}</label>'
        )
    out.append(str(bound_field.as_widget(attrs={"class": css})))
    if bound_field.errors:
        out.append(f'<div id="{conditional_escape(bound_field.errors.field_id)}_error" '
                   'class="invalid-feedback">')  # fmt: skip
        for n, error in enumerate(bound_field.errors, start=1):
            error = conditional_escape(error)
            out.append(f'<p id="error_{n}_{auto_id}"><strong>{error}</strong></p>')
        out.append("</div>")
    if bound_field.help_text:
        # crispy writes help text with |safe: it comes from the code, never from users.
        out.append(f'<div id="{auto_id}_helptext" class="form-text">{bound_field.help_text}</div>')
    out.append("</div>")
    return mark_safe("".join(out))  # noqa: S308 - every user-supplied part above is escaped
