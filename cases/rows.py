"""The table rows of the case list and the worklist, written in Python.

These two pages show up to 25 and 200 rows. Through Django's template engine every cell is a
variable lookup, a filter and an autoescape, and each overdue badge an ``{% include %}``: on
the benchmark machine the rows were 17–27 ms of the case list and most of the worklist's
rendering (docs/benchmarks.md). Here each row is one f-string: every value that comes from the
database is escaped (``html.escape``, as :func:`django.utils.html.escape` does), labels come
from the same translations as before, and the date rules are the ones of :mod:`cases.rules`,
judged on one ``today`` for the whole page. The markup is what the templates wrote
(tests/cases/test_rows.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from html import escape as _escape_str
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import rules
from .models import Grondslag, Jeugdige, Status

# Column sets of the worklist's four sections (``date_field`` of :func:`worklist_rows`).
WORKLIST_DATE_FIELDS = ("next_contact_due", "renewal_due", "last_contact_on")
_STATUS = dict(Status.choices)
_GRONDSLAG = dict(Grondslag.choices)


def nl_date(day: dt.date | None) -> str:
    """``dd-mm-jjjj`` (as the template filter ``date:"d-m-Y"``); ``""`` for no date."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}" if day else ""


def detail_url_maker() -> Callable[[str], str]:
    """A function giving a case page's URL from its reference, as
    ``Jeugdige.get_absolute_url`` does, with ``reverse`` called once instead of per row (it
    was half of the worklist rows' time). Quoting as Django's ``reverse`` quotes a path."""
    marker = "WELREFERENCE"
    head, tail = reverse("cases:detail", kwargs={"reference": marker}).split(marker)
    safe = RFC3986_SUBDELIMS + "~:@"
    return lambda reference: f"{head}{quote(reference, safe=safe)}{tail}"


def escape(value) -> str:
    """``django.utils.html.escape`` for the strings of a row (the same ``html.escape``, without
    its lazy-string wrapper, which was a third of the rows' time)."""
    return _escape_str(str(value))


def _status_cells() -> dict[str, str]:
    """Each status's badge, in the active language, made once per table."""
    return {
        status: f'<span class="status-badge status-{escape(status)}">{escape(label)}</span>'
        for status, label in _STATUS.items()
    }


def _status_cell(cells: dict[str, str], status: str) -> str:
    if status in cells:
        return cells[status]
    return f'<span class="status-badge status-{escape(status)}">{escape(status)}</span>'


# Translated strings stand outside the f-strings: xgettext (makemessages) loses its way in an
# f-string that calls _() and then misses the strings after it.
def _overdue_badge() -> str:
    label = escape(_("overdue"))
    return f'<span class="badge text-bg-danger">{label}</span>'


def case_list_rows(cases: Iterable[Jeugdige], *, today: dt.date) -> SafeString:
    """The ``<tr>`` rows of the case list (``cases/jeugdige_list.html``): reference with the
    focus badge, name, date of birth with the age on ``today``, municipality, grondslag, status,
    next contact and renewal (each with the overdue badge when :mod:`cases.rules` says so on
    ``today``) and the assigned LPA. Needs ``gemeente`` and ``assigned_lpa`` selected with the
    cases. One row saying nothing matches when ``cases`` is empty."""
    overdue, dash = _overdue_badge(), "–"
    title, label = escape(_("Focus case")), escape(_("focus"))
    focus = f' <span class="badge text-bg-warning" title="{title}">{label}</span>'
    url, cells, out = detail_url_maker(), _status_cells(), []
    grondslagen = {key: escape(label) for key, label in _GRONDSLAG.items()}
    for j in cases:
        is_open = rules.case_open(j.status)
        contact = dash
        if j.next_contact_due:
            contact = nl_date(j.next_contact_due)
            if is_open and rules.contact_overdue(j.next_contact_due, today):
                contact += f" {overdue}"
        renewal = nl_date(j.renewal_due) or dash
        if is_open and rules.renewal_overdue(j.renewal_due, today):
            renewal += f" {overdue}"
        lpa = escape(str(j.assigned_lpa)) if j.assigned_lpa_id else dash
        out.append(
            f'<tr><td><a href="{escape(url(j.reference))}">{escape(j.reference)}</a>'
            f"{focus if j.is_focus else ''}</td>"
            f"<td>{escape(j.given_name)} {escape(j.family_name)}</td>"
            f"<td>{nl_date(j.date_of_birth)} "
            f'<span class="text-body-secondary small">({rules.age_on(j.date_of_birth, today)})'
            "</span></td>"
            f"<td>{escape(j.gemeente.name)}</td>"
            f"<td>{grondslagen.get(j.grondslag) or escape(j.grondslag)}</td>"
            f"<td>{_status_cell(cells, j.status)}</td><td>{contact}</td><td>{renewal}</td>"
            f"<td>{lpa}</td></tr>"
        )
    if not out:
        nothing = escape(_("No jeugdigen match this filter."))
        out.append(f'<tr><td colspan="9">{nothing}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every value from the database is escaped


def worklist_rows(cases: Iterable[Jeugdige], *, date_field: str, today: dt.date) -> SafeString:
    """The ``<tr>`` rows of one worklist section (``cases/_case_rows.html``): reference,
    name, municipality, status and the section's date — ``next_contact_due`` or
    ``renewal_due`` (with the overdue badge when :mod:`cases.rules` says so on ``today``) or
    ``last_contact_on`` ("never" when there was none). Needs ``gemeente`` selected with the
    cases. One row saying there is nothing to do when ``cases`` is empty.

    Raises ``ValueError`` for any other ``date_field``."""
    if date_field not in WORKLIST_DATE_FIELDS:
        raise ValueError(f"worklist date column {date_field!r}: not one of {WORKLIST_DATE_FIELDS}")
    overdue, never = _overdue_badge(), escape(_("never"))
    url, cells, out = detail_url_maker(), _status_cells(), []
    for j in cases:
        if date_field == "next_contact_due":
            date = nl_date(j.next_contact_due)
            if rules.case_open(j.status) and rules.contact_overdue(j.next_contact_due, today):
                date += f" {overdue}"
        elif date_field == "renewal_due":
            date = nl_date(j.renewal_due)
            if rules.case_open(j.status) and rules.renewal_overdue(j.renewal_due, today):
                date += f" {overdue}"
        else:
            date = nl_date(j.last_contact_on) or never
        out.append(
            f'<tr><td><a href="{escape(url(j.reference))}">{escape(j.reference)}</a></td>'
            f"<td>{escape(j.given_name)} {escape(j.family_name)}</td>"
            f"<td>{escape(j.gemeente.name)}</td><td>{_status_cell(cells, j.status)}</td>"
            f"<td>{date}</td></tr>"
        )
    if not out:
        nothing = escape(_("Nothing here. Well done."))
        out.append(f'<tr><td colspan="5" class="text-body-secondary">{nothing}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every value from the database is escaped
