"""The worklist's panel of open next steps, its table rows written in Python.

The panel shows up to ten steps. Through the template engine each row was two ``reverse``
calls, a CSRF field, the request's path, three lookups through the step's interview and case
and two translations: 3 ms of the worklist's 12 ms of CPU on the benchmark machine
(docs/benchmarks.md). Here each row is one f-string, as :mod:`cases.rows` does for the case
list: every value from the database or the request is escaped, the labels are the same
translations, and the markup is what ``interviews/worklist_panel.html`` wrote
(tests/interviews/test_rows.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.rows import escape, nl_date

from .selectors import OpenStep


def _url_by_pk(name: str) -> Callable[[int], str]:
    """A function giving the URL named ``name`` for a primary key, with ``reverse`` called once
    instead of per row (a pk is digits: nothing to quote)."""
    marker = 987654321
    head, tail = reverse(name, kwargs={"pk": marker}).split(str(marker))
    return lambda pk: f"{head}{int(pk)}{tail}"


def next_step_rows(steps: Iterable[OpenStep], *, csrf_token: str, next_path: str) -> SafeString:
    """The ``<tr>`` rows of the open next steps panel: due date (with the overdue badge when the
    step's ``overdue`` is set), the case's reference linking to the interview, the step, its
    owner and a "Mark done" form that posts to ``interviews:next_step_done`` and comes back to
    ``next_path``. ``csrf_token``: the request's token as the ``{% csrf_token %}`` tag writes
    it (no field when it is empty or ``"NOTPROVIDED"``, as that tag does)."""
    interview_url = _url_by_pk("interviews:detail")
    done_url = _url_by_pk("interviews:next_step_done")
    overdue = f'<span class="badge text-bg-danger">{escape(_("overdue"))}</span> '
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        if csrf_token and csrf_token != "NOTPROVIDED"  # noqa: S105 - the tag's "no token" marker
        else ""
    )
    back = escape(next_path)
    button = escape(_("Mark done"))
    out = []
    for s in steps:
        out.append(
            f'<tr><td class="text-nowrap">{overdue if s.overdue else ""}{nl_date(s.due_on)}</td>'
            f'<td class="text-nowrap"><a href="{interview_url(s.interview_id)}">'
            f"{escape(s.reference)}</a></td>"
            f"<td>{escape(s.description)}</td><td>{escape(s.owner_label)}</td>"
            f'<td class="text-nowrap"><form method="post" action="{done_url(s.pk)}">{csrf}'
            '<input type="hidden" name="done" value="1">'
            f'<input type="hidden" name="next" value="{back}">'
            f'<button class="btn btn-sm btn-outline-success" type="submit">{button}</button>'
            "</form></td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value from the database is escaped
