"""Every dashboard table as CSV or XLSX, safe against formula injection."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from django.http import HttpResponse

from .tables import Table

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        return "'" + text if text.startswith(DANGEROUS) else text
    return value


def rows(table: Table) -> list[list]:
    return [[safe_cell(v) for v in row] for row in table.as_rows()]


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow([table.caption])
    writer.writerows(rows(table))
    return response


def xlsx_bytes(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = table.key[:31]
    ws.append([table.caption])
    ws["A1"].font = Font(bold=True)
    for row in rows(table):
        # openpyxl would store a string starting with "=" as a formula; safe_cell prevents it.
        ws.append(row)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(table),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
