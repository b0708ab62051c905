"""The year overview per gemeente (Leerplichtwet art. 25; DUO collects it each autumn as the
Leerplichttelling): per gemeente and school year, the counts of absoluut verzuim, the
vrijstellingen per ground and vervangende leerplicht, each from its rule in
:mod:`cases.rules` (``COUNT_ROWS``) and each traceable to its cases.

Read from the cases the user may see (``Jeugdige.objects.visible_to``): an LPA's own gemeenten,
a kartrekker's region. The page, the three downloads and ``manage.py leerplichttelling`` all
use :func:`telling_for`, so screen, file and command never disagree.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.models import Gemeente
from wel.access import scope_for

from . import rules
from .models import Jeugdige

# What each row of the overview is called, and the article it counts.
LABELS = {
    "absoluut_verzuim": (gettext_lazy("Absoluut verzuim: total"), "Lpw art. 2, 4a, 22"),
    "absoluut_verzuim_long": (
        gettext_lazy("Absoluut verzuim: longer than three months"),
        "Lpw art. 25 lid 2",
    ),
    "absoluut_verzuim_solved": (
        gettext_lazy("Absoluut verzuim: solved within the school year (enrolled again)"),
        "Lpw art. 25 lid 2",
    ),
    "vrijstelling_5a": (gettext_lazy("Vrijstelling 5 onder a"), "Lpw art. 5 onder a, 7"),
    "vrijstelling_5b": (gettext_lazy("Vrijstelling 5 onder b"), "Lpw art. 5 onder b, 8"),
    "vrijstelling_5c": (gettext_lazy("Vrijstelling 5 onder c"), "Lpw art. 5 onder c, 9"),
    "artikel_5a": (gettext_lazy("Vrijstelling artikel 5a (trekkend bestaan)"), "Lpw art. 5a"),
    "artikel_15": (gettext_lazy("Vrijstelling artikel 15"), "Lpw art. 15"),
    "vervangende_leerplicht_3a": (gettext_lazy("Vervangende leerplicht art. 3a"), "Lpw art. 3a"),
    "vervangende_leerplicht_3b": (gettext_lazy("Vervangende leerplicht art. 3b"), "Lpw art. 3b"),
    "vervangende_leerplicht": (
        gettext_lazy("Vervangende leerplicht, article not recorded (to review)"),
        "Lpw art. 3a, 3b",
    ),
}
FORMATS = ("csv", "xlsx", "pdf")


@dataclass(frozen=True)
class TellingRow:
    key: str
    label: str
    source: str
    count: int
    ids: tuple[int, ...]


@dataclass(frozen=True)
class Telling:
    gemeente: Gemeente
    year: rules.SchoolYear
    rows: tuple[TellingRow, ...]
    made_at: object

    def row(self, key: str) -> TellingRow:
        return next(r for r in self.rows if r.key == key)

    @property
    def sections(self) -> list[tuple[str, list[TellingRow]]]:
        absence = [r for r in self.rows if r.key.startswith("absoluut_verzuim")]
        substitute = [r for r in self.rows if r.key.startswith("vervangende_leerplicht")]
        exemptions = [r for r in self.rows if r not in absence and r not in substitute]
        return [
            (_("Absoluut verzuim"), absence),
            (_("Vrijstellingen"), exemptions),
            (_("Vervangende leerplicht"), substitute),
        ]


def telling_gemeenten(*, user):
    """The gemeenten whose overview this user may see: an LPA's own gemeenten, a kartrekker's
    region's (national roles: none)."""
    scope = scope_for(user)
    q = Q(pk__in=[])
    for region_id in scope.region_ids:
        ids = scope.gemeente_ids_for_cases(region_id)
        q |= Q(regions__id=region_id) if ids is None else Q(pk__in=sorted(ids))
    return Gemeente.objects.filter(q).distinct().order_by("name")


def default_year(today=None) -> rules.SchoolYear:
    """The last school year that has ended (art. 25 reports "het laatst afgesloten
    schooljaar")."""
    today = today or timezone.localdate()
    return rules.SchoolYear(rules.SchoolYear.containing(today).first - 1)


def candidates(*, user, gemeente, year: rules.SchoolYear):
    """The cases of the gemeente, visible to the user, that ran during the school year."""
    return (
        Jeugdige.objects.visible_to(user)
        .filter(gemeente=gemeente)
        .filter(rules.in_school_year_q(year))
    )


def count_facts(row: dict) -> rules.CountFacts:
    return rules.CountFacts(
        grondslag=row["grondslag"],
        registered_on=timezone.localdate(row["created_at"]),
        exemption_start=row["exemption_start"],
        exemption_end=row["exemption_end"],
        closed_on=row["closed_on"],
        closing_reason=row["closing_reason"],
    )


def telling_for(*, user, gemeente, year: rules.SchoolYear) -> Telling:
    """Every figure of the overview with the ids of the cases it counts (one query)."""
    values = candidates(user=user, gemeente=gemeente, year=year).values(
        "pk",
        "grondslag",
        "created_at",
        "exemption_start",
        "exemption_end",
        "closed_on",
        "closing_reason",
    )
    facts = [(v["pk"], count_facts(v)) for v in values]
    today = timezone.localdate()
    rows = []
    for count_row in rules.COUNT_ROWS:
        ids = tuple(sorted(pk for pk, f in facts if count_row.rule(f, year, today)))
        label, source = LABELS[count_row.key]
        rows.append(TellingRow(count_row.key, str(label), source, len(ids), ids))
    return Telling(gemeente=gemeente, year=year, rows=tuple(rows), made_at=timezone.now())


# -- files ------------------------------------------------------------------------------------
def _table(telling: Telling) -> list[list]:
    header = [_("Gemeente"), _("CBS code"), _("School year"), _("Figure"), _("Count"), _("Source")]
    rows = [header]
    for row in telling.rows:
        rows.append(
            [
                telling.gemeente.name,
                telling.gemeente.cbs_code,
                telling.year.label,
                row.label,
                row.count,
                row.source,
            ]
        )
    return rows


def telling_csv(telling: Telling) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(_table(telling))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def telling_xlsx(telling: Telling) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Leerplichttelling")[:31])
    for row in _table(telling):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def telling_pdf(telling: Telling) -> bytes:
    """One page, rendered at once with WeasyPrint (one gemeente, a dozen figures)."""
    from django.conf import settings
    from weasyprint import HTML

    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string("cases/leerplichttelling_pdf.html", {"telling": telling})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def telling_file(telling: Telling, fmt: str) -> tuple[bytes, str]:
    """The overview as a file: (body, content type)."""
    if fmt == "xlsx":
        return (
            telling_xlsx(telling),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    if fmt == "pdf":
        return telling_pdf(telling), "application/pdf"
    return telling_csv(telling), "text/csv; charset=utf-8"


def filename(telling: Telling, fmt: str) -> str:
    return f"leerplichttelling-{telling.gemeente.cbs_code}-{telling.year.label}.{fmt}"
