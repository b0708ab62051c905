"""Importing an exemption list exported from a municipal leerplicht system (CSV or XLSX):
read (:mod:`.read`) -> check (:mod:`.check`) -> write (:mod:`.write`), all rows or none.

Accepted columns and aliases: :mod:`.columns` and docs/cases.md.
"""

from ..rules import kwalificatieplicht_ended
from .check import ImportResult, Row, parse_date
from .columns import COLUMNS, REQUIRED, column_for, normalise_grondslag
from .messages import counts, imported, summary_lines, where_read
from .read import MAX_BYTES, MAX_ROWS, ImportRefused, decode, find_table, read_sheets
from .write import run_import, template_csv

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "REQUIRED",
    "ImportRefused",
    "ImportResult",
    "Row",
    "column_for",
    "counts",
    "decode",
    "find_table",
    "imported",
    "kwalificatieplicht_ended",
    "normalise_grondslag",
    "parse_date",
    "read_sheets",
    "run_import",
    "summary_lines",
    "template_csv",
    "where_read",
]
