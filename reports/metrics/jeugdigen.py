"""Tables about the jeugdigen themselves: grondslag, step, age, worklist, focus."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import rules
from cases.models import Grondslag, Jeugdige, Status

from ..tables import Column, Row, Table
from .build import choice_labels, total_row
from .counts.interviews import InterviewCounts, interview_counts_for
from .counts.jeugdigen import JeugdigeCounts, jeugdige_counts_for
from .span import Span

TRAJECTORY = [s for s in Status.values if rules.case_open(s)]  # the steps, in order


def jeugdigen_by_grondslag(span: Span, counts: JeugdigeCounts | None = None) -> Table:
    """Jeugdigen registered, per grondslag: open and closed. One query, none with ``counts``."""
    c = jeugdige_counts_for(span, counts)
    total = c.by("grondslag")
    open_ = c.by("grondslag", open_only=True)
    labels = choice_labels(Grondslag.choices)
    rows = []
    for value in Grondslag.values:
        n_open = open_.get(value, 0)
        n_closed = total.get(value, 0) - n_open
        rows.append(Row(value, [labels[value], n_open, n_closed, n_open + n_closed]))
    columns = [
        Column("grondslag", _("Grondslag")),
        Column("open", _("Open"), count=True),
        Column("closed", _("Closed"), count=True),
        Column("total", _("Total"), count=True, sums=("open", "closed")),
    ]
    return Table(
        key="grondslag",
        caption=_("Jeugdigen by grondslag"),
        columns=columns,
        rows=rows,
        total=total_row(columns, rows),
    )


def jeugdigen_by_status(span: Span, counts: JeugdigeCounts | None = None) -> Table:
    """Jeugdigen per step of the trajectory (closed last), with the focus cases. One query,
    none with ``counts``."""
    c = jeugdige_counts_for(span, counts)
    n, focus = c.by("status"), c.by("status", is_focus=True)
    labels = choice_labels(Status.choices)
    rows = [Row(s, [labels[s], n.get(s, 0), focus.get(s, 0)]) for s in Status.values]
    columns = [
        Column("step", _("Step")),
        Column("jeugdigen", _("Jeugdigen"), count=True),
        Column("focus", _("Of which focus"), count=True),
    ]
    return Table(
        key="status",
        caption=_("Jeugdigen by step in the trajectory"),
        columns=columns,
        rows=rows,
        total=total_row(columns, rows),
    )


def jeugdigen_by_age_band(span: Span, counts: JeugdigeCounts | None = None) -> Table:
    """Open cases per age band on the period's end date (no dates of birth leave). One query,
    none with ``counts``."""
    c = jeugdige_counts_for(span, counts, signals=True)
    n = c.totals([f"age{i}" for i in range(len(rules.AGE_BANDS))], open_only=True)
    rows = [Row(band.key, [band.label, n[f"age{i}"]]) for i, band in enumerate(rules.AGE_BANDS)]
    columns = [Column("age", _("Age (years)")), Column("jeugdigen", _("Jeugdigen"), count=True)]
    return Table(
        key="age",
        caption=_("Open cases by age"),
        columns=columns,
        rows=rows,
        total=total_row(columns, rows),
    )


def worklist(
    span: Span, counts: JeugdigeCounts | None = None, interviews: InterviewCounts | None = None
) -> Table:
    """Open cases per worklist signal (the worklist's own filters, ``cases.rules``): contact
    overdue, six months without contact, renewal due soon, renewal overdue, and a next step
    overdue. Two queries; none with ``counts`` and ``interviews`` (made with ``next_steps``)."""
    today = span.today
    jc = jeugdige_counts_for(span, counts, signals=True)
    c = jc.totals(
        ["contact_overdue", "no_recent_contact", "renewal_due_soon", "renewal_overdue"],
        open_only=True,
    )
    steps = interview_counts_for(span, interviews, next_steps=True).total["next_steps"]
    rows = [
        Row("contact_overdue", [_("Contact overdue"), c["contact_overdue"]]),
        Row("no_recent_contact", [_("No contact in six months"), c["no_recent_contact"]]),
        Row(
            "renewal_due_soon",
            [
                _("Renewal due within %(n)s days") % {"n": rules.RENEWAL_SOON_DAYS},
                c["renewal_due_soon"],
            ],
        ),
        Row("renewal_overdue", [_("Renewal overdue"), c["renewal_overdue"]]),
        Row("next_step_overdue", [_("Next step overdue"), steps]),
    ]
    return Table(
        key="worklist",
        caption=_("Worklist: jeugdigen needing attention"),
        columns=[Column("signal", _("Signal")), Column("jeugdigen", _("Jeugdigen"), count=True)],
        rows=rows,
        description=_("Open cases per signal on %(day)s.") % {"day": today.strftime("%d-%m-%Y")},
    )


def focus_trajectories(span: Span) -> Table:
    """The focus cases by reference (no names): step, since when, last contact, activities.
    One query."""
    labels = choice_labels(Status.choices)
    qs = (
        Jeugdige.objects.filter(span.q(), is_focus=True)
        .annotate(
            activities=Count(
                "activiteiten", filter=rules.activity_current_q(span.today, "activiteiten__")
            )
        )
        .order_by("region__name", "reference")
        .values(
            "reference",
            "region__name",
            "grondslag",
            "status",
            "status_changed_at",
            "last_contact_on",
            "activities",
        )
    )
    grondslagen = choice_labels(Grondslag.choices)
    steps = len(TRAJECTORY)
    rows = []
    for j in qs:
        step = TRAJECTORY.index(j["status"]) + 1 if j["status"] in TRAJECTORY else steps + 1
        rows.append(
            Row(
                j["reference"],
                [
                    j["reference"],
                    grondslagen.get(j["grondslag"], j["grondslag"]),
                    labels.get(j["status"], j["status"]),
                    step,
                    timezone.localtime(j["status_changed_at"]).date()
                    if j["status_changed_at"]
                    else None,
                    j["last_contact_on"],
                    j["activities"],
                ],
            )
        )
    return Table(
        key="focus",
        caption=_("Focus jeugdigen through the trajectory"),
        columns=[
            Column("reference", _("Reference")),
            Column("grondslag", _("Grondslag")),
            Column("step", _("Step")),
            # drawn as the bar; not a count of children
            Column("step_number", _("Step number (of %(n)s)") % {"n": steps + 1}, count=True),
            Column("step_since", _("Step since")),
            Column("last_contact", _("Last contact")),
            Column("activities", _("Current activities"), number=True),
        ],
        rows=rows,
        sensitive=False,  # no counts of children; references are pseudonymous (docs/security.md)
        description=_("Step reached per focus jeugdige, 1 is registered, %(n)s is closed.")
        % {"n": steps + 1},
    )
