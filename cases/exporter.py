"""Export of the filtered, scoped case list as CSV or XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.utils.translation import gettext as _

from .models import Jeugdige

# Cells a spreadsheet would read as a formula (or that hide one behind a tab / line break).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def columns() -> list[tuple[str, callable]]:
    def d(value):
        return value.strftime("%d-%m-%Y") if value else ""

    return [
        (_("Reference"), lambda j: j.reference),
        (_("Given name"), lambda j: j.given_name),
        (_("Family name"), lambda j: j.family_name),
        (_("Date of birth"), lambda j: j.date_of_birth),
        (_("BSN"), lambda j: j.bsn),
        (_("Municipality"), lambda j: j.gemeente.name),
        (_("Grondslag"), lambda j: j.get_grondslag_display()),
        (_("Status"), lambda j: j.get_status_display()),
        (_("Closing reason"), lambda j: j.get_closing_reason_display() if j.closing_reason else ""),
        (_("Exemption starts"), lambda j: j.exemption_start),
        (_("Exemption ends"), lambda j: j.exemption_end),
        (_("Renewal due"), lambda j: j.renewal_due),
        (_("Last school"), lambda j: j.last_school),
        (_("Assigned LPA"), lambda j: str(j.assigned_lpa) if j.assigned_lpa_id else ""),
        (_("Focus case"), lambda j: _("yes") if j.is_focus else _("no")),
        (_("Next contact due"), lambda j: j.next_contact_due),
        (_("Last contact"), lambda j: j.last_contact_on),
    ]


def _as_text(value) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


def export_csv(jeugdigen) -> bytes:
    """Semicolon-separated UTF-8 with BOM: opens correctly in Dutch Excel."""
    cols = columns()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for label, _get in cols])
    for j in jeugdigen:
        writer.writerow([neutralise(_as_text(get(j))) for _label, get in cols])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(jeugdigen) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Jeugdigen"))[:31])
    cols = columns()
    sheet.append([label for label, _get in cols])
    for j in jeugdigen:
        cells = []
        for _label, get in cols:
            value = get(j)
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD-MM-YYYY"
            else:
                # Always a string cell: openpyxl would otherwise store "=…" as a formula.
                cell = WriteOnlyCell(sheet, value=neutralise(_as_text(value)))
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_rows(qs) -> QuerySet[Jeugdige]:  # noqa: F821
    return qs.select_related("gemeente", "assigned_lpa").iterator(chunk_size=2000)
