"""What the command and the preview say about a checked file, with Dutch plural forms."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .check import ImportResult

# The command names the grondslag and renewal date of the first new rows (the preview shows
# the same first rows).
SHOWN_NEW_ROWS = 20


def where_read(result: ImportResult) -> str:
    """Which sheet and row the column names were read from (and the CSV's encoding)."""
    if result.file_kind == "xlsx":
        return _("Column names read from sheet “%(sheet)s”, row %(row)d.") % {
            "sheet": result.sheet,
            "row": result.header_row,
        }
    return _("Column names read from line %(row)d; characters read as %(encoding)s.") % {
        "row": result.header_row,
        "encoding": result.encoding.upper(),
    }


def counts(result: ImportResult) -> str:
    """ "3 rows: 1 new, 2 already registered, 0 rows with errors" in the user's language."""
    n_rows, n_new = len(result.rows), len(result.new_rows)
    n_known, n_bad = len(result.duplicate_rows), len(result.bad_rows)
    return _("%(rows)s: %(new)s, %(known)s, %(bad)s.") % {
        "rows": ngettext("%(n)d row", "%(n)d rows", n_rows) % {"n": n_rows},
        "new": ngettext("%(n)d new jeugdige", "%(n)d new jeugdigen", n_new) % {"n": n_new},
        "known": ngettext(
            "%(n)d jeugdige already registered", "%(n)d jeugdigen already registered", n_known
        )
        % {"n": n_known},
        "bad": ngettext("%(n)d row with errors", "%(n)d rows with errors", n_bad) % {"n": n_bad},
    }


def imported(result: ImportResult) -> str:
    """ "2 jeugdigen have been imported." followed by the counts."""
    n = result.created
    return (
        ngettext("%(n)d jeugdige has been imported.", "%(n)d jeugdigen have been imported.", n)
        % {"n": n}
        + " "
        + counts(result)
    )


def column_problems(result: ImportResult) -> list[str]:
    lines = [
        _(
            "Column “%(column)s” holds data the import cannot place. Rename it to one of the "
            "column names in the manual, or confirm that it may be ignored."
        )
        % {"column": column}
        for column in result.unplaced_columns
    ]
    lines += [
        _(
            "Columns %(columns)s all give “%(target)s”, with different data. Confirm which "
            "of them may be ignored."
        )
        % {"columns": ", ".join(f"“{c}”" for c in columns), "target": target}
        for target, columns in result.conflicting_columns
    ]
    return lines


def summary_lines(result: ImportResult) -> dict:
    """Lines for the command: ``info`` (stdout), ``problems`` (stderr), ``summary``."""
    info = [where_read(result)]
    if result.ignored_columns:
        info.append(_("Columns not used:") + " " + ", ".join(result.ignored_columns))
    for row in result.remark_rows:
        for column, remark in row.remarks:
            info.append(
                _("line %(n)d, %(column)s: %(reason)s")
                % {"n": row.number, "column": column, "reason": remark}
            )
    for row in result.duplicate_rows:
        info.append(
            _("line %(n)d: already registered as %(reference)s, skipped")
            % {"n": row.number, "reference": row.duplicate_of}
        )
    for row in result.new_rows[:SHOWN_NEW_ROWS]:
        info.append(
            _("line %(n)d: %(grondslag)s, renewal due %(due)s")
            % {
                "n": row.number,
                "grondslag": row.cleaned.get("grondslag_label", ""),
                "due": row.cleaned["renewal_due"].strftime("%d-%m-%Y")
                if row.cleaned.get("renewal_due")
                else _("none"),
            }
        )
    for row in result.hidden_in_file:
        info.append(
            (
                _("line %(n)d: filtered out in the file")
                if row.hidden == "filtered"
                else _("line %(n)d: hidden in the file")
            )
            % {"n": row.number}
            + (" " + _("(left out)") if result.hidden_rows == "skip" else "")
        )
    problems = column_problems(result)
    if result.hidden_rows == "ask" and result.hidden_in_file:
        problems.append(
            _(
                "The file hides rows (listed above). Decide: --hidden-rows import, or "
                "--hidden-rows skip."
            )
        )
    for row in result.warning_rows:
        for column, _code, reason in row.warnings:
            line = _("line %(n)d, %(column)s: %(reason)s") % {
                "n": row.number,
                "column": column,
                "reason": reason,
            }
            if result.confirm_warnings:
                info.append(line)
            else:
                problems.append(line)
    if result.warning_rows and not result.confirm_warnings:
        problems.append(
            _("Check the warnings; to import these rows as they are, add --confirm-warnings.")
        )
    for row in result.bad_rows:
        for column, reason in row.errors:
            problems.append(
                _("line %(n)d, %(column)s: %(reason)s")
                % {"n": row.number, "column": column, "reason": reason}
            )
    return {
        "info": info,
        "problems": problems,
        "summary": counts(result),
        "nothing_written": _("Nothing was written."),
    }
