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
