"""Checking: every row against the rules, the region's gemeenten (with herindelingen) and the
cases already registered. Nothing is written here.

Each problem is a row error ``(column, reason)``; one row error means nothing is written.
A column holding data that the import cannot place refuses the file unless the user said it
may be ignored. Remarks (e.g. a former gemeente mapped to its successor) are shown in the
preview and do not stop the import.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from localflavor.nl.validators import NLBSNFieldValidator

from regions.herindeling import successors
from wel.sql import AnyOf

from .. import rules
from ..models import Grondslag, Jeugdige, Status
from ..services import RuleError, check_rules, default_renewal_due
from .columns import EXPORT_ONLY, header_key, normalise_grondslag, status_value, yes_no
from .gemeenten import GemeenteNames
from .read import MAX_ROWS, ImportRefused, Table, cell_text

_DATE_RE = (
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), ("y", "m", "d")),
)
_bsn_validator = NLBSNFieldValidator()
_SPACES = re.compile(r"\s+")
_BSN_GROUPING = re.compile(r"[\s.\-\u2010-\u2013]")
_GM_PREFIX = re.compile(r"^gm")


@dataclass(slots=True)
class Row:
    number: int  # the line (CSV) or row (XLSX) in the file
    values: dict[str, str]
    cleaned: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)
    remarks: list[tuple[str, str]] = field(default_factory=list)  # (column, remark)
    # (column, code, reason): conditions of the grondslag the user must confirm
    warnings: list[tuple[str, str, str]] = field(default_factory=list)
    duplicate_of: str = ""  # reference of an existing case: skipped, not an error
    hidden: str = ""  # "hidden" or "filtered": the row is not shown in the XLSX file

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    rows: list[Row]
    ignored_columns: list[str]  # headers of columns without data, or ignored on request
    file_kind: str
    sheet: str = ""
    header_row: int = 1
    encoding: str = ""
    unplaced_columns: list[str] = field(default_factory=list)  # hold data, not confirmed
    conflicting_columns: list[tuple[str, list[str]]] = field(default_factory=list)
    created: int = 0
    references: list[str] = field(default_factory=list)
    confirm_warnings: bool = False  # the user confirmed every row's warnings
    hidden_rows: str = "ask"  # hidden/filtered XLSX rows: "ask", "import" or "skip"
    skipped_hidden: list[Row] = field(default_factory=list)  # left out on the user's word

    @property
    def warning_rows(self) -> list[Row]:
        return [r for r in self.rows if r.warnings and not r.errors and not r.duplicate_of]

    @property
    def hidden_in_file(self) -> list[Row]:
        return [r for r in self.rows if r.hidden] + self.skipped_hidden

    @property
    def undecided(self) -> bool:
        """Something only the user can decide: warnings to confirm, hidden rows."""
        hidden_open = self.hidden_rows == "ask" and any(r.hidden for r in self.rows)
        return hidden_open or (bool(self.warning_rows) and not self.confirm_warnings)

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def duplicate_rows(self) -> list[Row]:
        return [r for r in self.rows if r.duplicate_of and not r.errors]

    @property
    def new_rows(self) -> list[Row]:
        return [r for r in self.rows if r.ok and not r.duplicate_of]

    @property
    def remark_rows(self) -> list[Row]:
        return [r for r in self.rows if r.remarks]

    @property
    def columns_ok(self) -> bool:
        return not self.unplaced_columns and not self.conflicting_columns

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.bad_rows and self.columns_ok and not self.undecided


# The product's export puts ' before text that a spreadsheet would run as a formula
# (cases/exporter.py); read back, that ' is the product's own and is taken off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def unguard(text: str) -> str:
    """Text without the leading ' the export adds to formula-like cells ("'=1+1" -> "=1+1");
    other text as it is ("'t Hart" stays)."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r\n":
        return text[1:]
    return text


def join_prefix(prefix: str, name: str) -> str:
    """The family name from the BRP's voorvoegsel and geslachtsnaam, as the BRP writes it
    in a name: "van der" + "Berg" = "van der Berg"; after an elision no space: "d'" +
    "Ancona" = "d'Ancona", "l'" + "Écluse" = "l'Écluse". A voorvoegsel is written in lower
    case after a given name ("Van der" -> "van der")."""
    prefix = _SPACES.sub(" ", prefix or "").strip().replace("\u2019", "'")
    name = _SPACES.sub(" ", name or "").strip()
    if not prefix:
        return name
    prefix = prefix.lower()
    if prefix.endswith("'") and not prefix.endswith(" '"):
        return f"{prefix}{name}" if name else prefix
    return f"{prefix} {name}".strip()


def parse_date(value) -> dt.date | None:
    """dd-mm-jjjj or jjjj-mm-dd (also with / or .); Excel date cells as they come."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _parse_date_text(str(value).strip())


@functools.lru_cache(maxsize=4096)
def _parse_date_text(text: str) -> dt.date | None:
    # Cached: a list repeats its dates (one school year's exemption dates on every row).
    if " " in text:  # "2014-03-14 00:00:00" from some exports
        text = text.split(" ", 1)[0]
    for pattern, order in _DATE_RE:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def _has_data(table: Table, i: int) -> bool:
    return any(i < len(raw) and cell_text(raw[i]) for _n, raw in table.body)


def _place_columns(
    table: Table, ignore_columns: frozenset[str]
) -> tuple[dict[str, int], list[str], list[str], list[tuple[str, list[str]]]]:
    """Which cell index feeds which column; the ignored, the unplaced and the conflicting."""
    ignore_keys = {header_key(c) for c in ignore_columns}
    by_column: dict[str, list[int]] = {}
    ignored, unplaced = [], []
    for i, (cell, column) in enumerate(zip(table.header, table.columns, strict=True)):
        named = cell_text(cell)
        label = named or _("column %(n)d") % {"n": i + 1}
        if header_key(label) in ignore_keys:
            ignored.append(label)
            continue
        if column is None:
            if _has_data(table, i):
                unplaced.append(label)
            elif named:  # an empty column without a name is not worth a mention
                ignored.append(label)
            continue
        by_column.setdefault(column, []).append(i)
    conflicting = []
    index = {}
    for column, positions in by_column.items():
        filled = [p for p in positions if _has_data(table, p)]
        if len(filled) > 1:
            conflicting.append((column, [cell_text(table.header[p]) for p in filled]))
        index[column] = (filled or positions)[0]
    return index, ignored, unplaced, conflicting


def check_table(
    table: Table,
    *,
    region,
    allowed_gemeente_ids: frozenset[int] | None,
    ignore_columns: frozenset[str] = frozenset(),
    today: dt.date | None = None,
    progress=None,
    confirm_warnings: bool = False,
    hidden_rows: str = "ask",
) -> ImportResult:
    """Check every row; each problem is recorded as (column, reason). Nothing is written.

    ``confirm_warnings``: the user confirmed the rows' warnings. ``hidden_rows``: what to do
    with rows the XLSX file hides (by hand or by a filter): "ask" (the preview names them and
    nothing is written until the user decides), "import" or "skip"."""
    index, ignored, unplaced, conflicting = _place_columns(table, ignore_columns)
    body = [(n, r) for n, r in table.body if any(cell_text(c) for c in r)]
    if not body:
        raise ImportRefused(_("The file has column names but no rows. Add the jeugdigen."))
    if len(body) > MAX_ROWS:
        raise ImportRefused(
            _("The file has more than %(n)d rows. Split the list into smaller files.")
            % {"n": MAX_ROWS}
        )
    result = ImportResult(
        rows=[],
        ignored_columns=ignored,
        file_kind=table.kind,
        sheet=table.sheet,
        header_row=table.header_row,
        encoding=table.encoding,
        unplaced_columns=unplaced,
        conflicting_columns=conflicting,
        confirm_warnings=confirm_warnings,
        hidden_rows=hidden_rows,
    )
    gemeenten = list(region.gemeenten.all())
    by_code = {g.cbs_code: g for g in gemeenten}
    names = _GemeenteCells(GemeenteNames(gemeenten))
    today = today or timezone.localdate()
    hidden = table.hidden_rows or {}
    for count, (number, raw) in enumerate(body):
        if progress is not None and count % 2000 == 0:
            progress(count, len(body))
        values = {
            name: unguard(cell_text(raw[i])) if i < len(raw) else "" for name, i in index.items()
        }
        raw_values = {name: raw[i] if i < len(raw) else None for name, i in index.items()}
        row = Row(number=number, values=values, hidden=hidden.get(number, ""))
        if row.hidden and hidden_rows == "skip":
            result.skipped_hidden.append(row)
            continue
        _check_row(row, raw_values, by_code, names, region, allowed_gemeente_ids, today)
        result.rows.append(row)
    if not result.rows:
        raise ImportRefused(
            _("Every row of the file is hidden and was left out. Nothing to import.")
        )
    _mark_duplicates(result.rows, region)
    # Rule outcomes by the values they read, and labels by grondslag: a list repeats them.
    outcomes: dict = {}
    for row in result.new_rows:
        _check_new_row(row, today, outcomes)
    return result


def _check_row(row, raw_values, by_code, names, region, allowed_gemeente_ids, today) -> None:
    values = row.values
    err = row.errors.append
    c = row.cleaned

    for name in ("voornaam", "achternaam"):
        if not values.get(name):
            err((name, _("is required")))
    # BRP style: "van der" + "Berg" is "van der Berg", "d'" + "Ancona" is "d'Ancona".
    family = join_prefix(values.get("tussenvoegsel", ""), values.get("achternaam", ""))
    c["given_name"] = values.get("voornaam", "")
    c["family_name"] = family if values.get("achternaam") else ""
    limits = (("voornaam", "given_name", 100), ("achternaam", "family_name", 150))
    for name, key, label_max in limits:
        if len(c[key]) > label_max:
            err((name, _("is longer than %(n)d characters") % {"n": label_max}))

    c["date_of_birth"] = None
    if not values.get("geboortedatum"):
        err(("geboortedatum", _("is required")))
    else:
        dob = parse_date(raw_values["geboortedatum"])
        if dob is None:
            err(("geboortedatum", _("is not a date; write dd-mm-jjjj, e.g. 14-03-2014")))
        elif dob > today:
            err(("geboortedatum", _("is in the future")))
        elif dob.year < today.year - 30:
            err(("geboortedatum", _("is more than 30 years ago; check the year")))
        c["date_of_birth"] = dob

    c["gemeente"] = names.gemeente(row, values.get("gemeente", ""), by_code, region)
    gemeente = c["gemeente"]
    if (
        gemeente is not None
        and allowed_gemeente_ids is not None
        and gemeente.pk not in allowed_gemeente_ids
    ):
        err(("gemeente", _("you do not work on cases in %(gemeente)s") % {"gemeente": gemeente}))

    grondslag_value = values.get("grondslag", "")
    c["grondslag"] = None
    if not grondslag_value:
        err(("grondslag", _("is required")))
    else:
        grondslag = normalise_grondslag(grondslag_value)
        if grondslag is None:
            err(
                (
                    "grondslag",
                    _("“%(value)s” is not known; write e.g. 5a, absoluut verzuim, 5b")
                    % {"value": grondslag_value},
                )
            )
        c["grondslag"] = grondslag

    # "123.456.782", "123 456 782" and "123-456-782" are one BSN.
    written = values.get("bsn", "")
    bsn = _BSN_GROUPING.sub("", written)
    if bsn:
        if bsn.isdigit() and len(bsn) == 8:
            bsn = "0" + bsn  # Excel drops the leading zero
        if not bsn.isdigit() or len(bsn) != 9:
            err(
                (
                    "bsn",
                    _(
                        "“%(value)s” is not written as a BSN: nine digits, optionally "
                        "grouped with dots, spaces or hyphens"
                    )
                    % {"value": written},
                )
            )
        else:
            try:
                _bsn_validator(bsn)
            except Exception:  # noqa: BLE001 - the validator raises ValidationError
                err(("bsn", _("is not a valid BSN (nine digits that pass the 11-test)")))
    c["bsn"] = bsn

    for column, target in (
        ("vrijstelling_ingang", "exemption_start"),
        ("vrijstelling_einde", "exemption_end"),
        ("verlenging_nodig", "renewal_due_given"),
        ("datum_kennisgeving", "notice_date"),
        ("datum_verklaring", "doctor_statement_date"),
    ):
        c[target] = None
        if values.get(column):
            parsed = parse_date(raw_values[column])
            if parsed is None:
                err((column, _("is not a date; write dd-mm-jjjj, e.g. 01-08-2025")))
            c[target] = parsed
    if c["exemption_start"] and c["exemption_end"] and c["exemption_end"] < c["exemption_start"]:
        err(("vrijstelling_einde", _("is before vrijstelling_ingang")))

    school = values.get("laatste_school", "")
    if len(school) > 200:
        err(("laatste_school", _("is longer than %(n)d characters") % {"n": 200}))
    c["last_school"] = school
    c["notes"] = values.get("toelichting", "")
    c["reference"] = values.get("referentie", "").strip().upper()


class _GemeenteCells:
    """The gemeente of each cell text, worked out once per text: a list repeats a few
    gemeenten on every row (issue 23: 20,000 look-ups of two names took 0.1 s). The errors and
    remarks the look-up gave are added to every row with that text."""

    def __init__(self, names: GemeenteNames) -> None:
        self.names = names
        self._seen: dict[str, tuple] = {}

    def gemeente(self, row: Row, value: str, by_code, region):
        seen = self._seen.get(value)
        if seen is None:
            probe = Row(number=row.number, values={})
            found = _gemeente(probe, value, by_code, self.names, region)
            seen = self._seen[value] = (found, tuple(probe.errors), tuple(probe.remarks))
        found, errors, remarks = seen
        row.errors.extend(errors)
        row.remarks.extend(remarks)
        return found


def _gemeente(row: Row, value: str, by_code, names: GemeenteNames, region):
    """The gemeente of the region a cell names (CBS code "0114"/"GM0114"/"114", or a name as
    people write it: "Den Haag", "Den Bosch", "’s-Hertogenbosch", "Sudwest-Fryslan"), following
    a herindeling since 2019 to the successor, with a remark saying so. Nothing matching: the
    nearest gemeente of the region is suggested."""
    err = row.errors.append
    if not value:
        err(("gemeente", _("is required")))
        return None
    code = _GM_PREFIX.sub("", value.lower()).strip()
    is_code = code.isdigit() and len(code) <= 4
    key = code.zfill(4) if is_code else value.strip().lower()
    gemeente = by_code.get(key) if is_code else names.find(value)
    if gemeente is not None:
        return gemeente
    merged = successors(key)
    if len(merged) == 1:
        h = merged[0]
        gemeente = by_code.get(h.new_code)
        if gemeente is not None:
            row.remarks.append(
                (
                    "gemeente",
                    _(
                        "%(old_code)s %(old_name)s merged into %(new_name)s (%(new_code)s) on "
                        "%(date)s; registered under %(new_name)s"
                    )
                    % {
                        "old_code": h.old_code,
                        "old_name": h.old_name,
                        "new_name": h.new_name,
                        "new_code": h.new_code,
                        "date": h.date.strftime("%d-%m-%Y"),
                    },
                )
            )
            return gemeente
    elif len(merged) > 1:
        err(
            (
                "gemeente",
                _(
                    "%(old_name)s (%(old_code)s) was split on %(date)s between %(names)s; "
                    "write the current gemeente of this young person"
                )
                % {
                    "old_name": merged[0].old_name,
                    "old_code": merged[0].old_code,
                    "date": merged[0].date.strftime("%d-%m-%Y"),
                    "names": ", ".join(h.new_name for h in merged),
                },
            )
        )
        return None
    nearest = None if is_code else names.nearest(value)
    if nearest is not None:
        err(
            (
                "gemeente",
                _(
                    "“%(value)s” is not a municipality of region %(region)s. Did you mean "
                    "%(name)s (%(code)s)? Write its name or CBS code."
                )
                % {
                    "value": value,
                    "region": region.name,
                    "name": nearest.name,
                    "code": nearest.cbs_code,
                },
            )
        )
        return None
    err(
        (
            "gemeente",
            _("“%(value)s” is not a municipality of region %(region)s")
            % {"value": value, "region": region.name},
        )
    )
    return None


def _same_person(a: tuple, b: tuple) -> bool:
    def norm(text: str) -> str:
        return _SPACES.sub(" ", text or "").strip().lower()

    return norm(a[0]) == norm(b[0]) and norm(a[1]) == norm(b[1]) and a[2] == b[2]


def _mark_duplicates(rows: list[Row], region) -> None:
    """Two rows for one young person are an error; a row for an existing case is skipped.

    The same BSN (or reference) as an existing case with another name or date of birth is an
    error, never a skip: it is a typo or another child. So is the same name and date of birth
    as an existing case with another BSN.
    """
    seen_bsn: dict[str, int] = {}
    seen_name: dict[tuple, int] = {}
    for row in rows:
        c = row.cleaned
        if c.get("bsn"):
            if c["bsn"] in seen_bsn:
                row.errors.append(
                    ("bsn", _("appears twice (also on line %(n)d)") % {"n": seen_bsn[c["bsn"]]})
                )
            seen_bsn.setdefault(c["bsn"], row.number)
        key = (
            c.get("given_name", "").lower(),
            c.get("family_name", "").lower(),
            c.get("date_of_birth"),
        )
        if all(key):
            if key in seen_name:
                row.errors.append(
                    (
                        "achternaam",
                        _("this name and date of birth appear twice (also on line %(n)d)")
                        % {"n": seen_name[key]},
                    )
                )
            seen_name.setdefault(key, row.number)

    fields = ("bsn", "reference", "given_name", "family_name", "date_of_birth")
    in_region = Jeugdige.objects.filter(region=region)
    existing_bsn = {
        r[0]: r for r in in_region.filter(AnyOf(F("bsn"), list(seen_bsn))).values_list(*fields)
    }
    refs = [r.cleaned["reference"] for r in rows if r.cleaned.get("reference")]
    existing_ref = {
        r[1]: r for r in in_region.filter(AnyOf(F("reference"), refs)).values_list(*fields)
    }
    # Streamed, keeping only the names of the list: by date of birth, a list of 20,000 children
    # reads nearly every case of a large region (100,000 rows), which held in full took 45 MB
    # (issue 23). Not narrowed by name in the database: its lower() need not be Python's.
    dobs = {k[2] for k in seen_name}
    wanted = {
        (
            r.cleaned.get("given_name", "").lower(),
            r.cleaned.get("family_name", "").lower(),
            r.cleaned.get("date_of_birth"),
        )
        for r in rows
    }
    existing_name = {}
    for r in (
        in_region.filter(AnyOf(F("date_of_birth"), list(dobs)))
        .values_list(*fields)
        .iterator(chunk_size=5000)
    ):
        key = (r[2].lower(), r[3].lower(), r[4])
        if key in wanted:
            existing_name.setdefault(key, r)
    for row in rows:
        c = row.cleaned
        person = (c.get("given_name", ""), c.get("family_name", ""), c.get("date_of_birth"))
        by_bsn = existing_bsn.get(c.get("bsn") or "")
        by_ref = existing_ref.get(c.get("reference") or "")
        by_name = existing_name.get((person[0].lower(), person[1].lower(), person[2]))
        if by_bsn is not None and not _same_person(person, by_bsn[2:]):
            row.errors.append(
                (
                    "bsn",
                    _(
                        "the BSN is already registered for %(reference)s with a different "
                        "name or date of birth: a typo, or another child? Correct the row."
                    )
                    % {"reference": by_bsn[1]},
                )
            )
            continue
        if by_ref is not None and not _same_person(person, by_ref[2:]):
            row.errors.append(
                (
                    "referentie",
                    _(
                        "%(reference)s is registered with a different name or date of birth. "
                        "Correct the row, or leave the reference empty for a new jeugdige."
                    )
                    % {"reference": by_ref[1]},
                )
            )
            continue
        if c.get("reference") and by_ref is None:
            row.errors.append(
                (
                    "referentie",
                    _(
                        "%(reference)s is not a case of this region. Leave the reference "
                        "empty for a new jeugdige: the import gives it one."
                    )
                    % {"reference": c["reference"]},
                )
            )
            continue
        if by_name is not None and c.get("bsn") and by_name[0] and by_name[0] != c["bsn"]:
            row.errors.append(
                (
                    "bsn",
                    _(
                        "this name and date of birth are registered as %(reference)s with "
                        "another BSN: a typo, or another child? Correct the row."
                    )
                    % {"reference": by_name[1]},
                )
            )
            continue
        match = by_bsn or by_ref or by_name
        row.duplicate_of = match[1] if match is not None else ""


def _check_new_row(row: Row, today: dt.date, outcomes: dict) -> None:
    """Checks that only matter for a row that would become a new case."""
    c = row.cleaned
    v = row.values
    err = row.errors.append
    dob = c.get("date_of_birth")
    if dob and rules.kwalificatieplicht_ended(dob, today):
        err(
            (
                "geboortedatum",
                _(
                    "this young person is 18 or older: the kwalificatieplicht has ended "
                    "(Leerplichtwet art. 4b) and the law no longer applies. Remove the row."
                ),
            )
        )
    # Columns of the product's export that a new case does not take over: they must be
    # empty (or say what a new case is anyway), so no value is dropped without a word.
    for column in EXPORT_ONLY:
        value = v.get(column, "")
        if not value or column in ("referentie", "verlenging_nodig"):
            continue
        if column == "status" and status_value(value) == Status.AANGEMELD:
            continue
        if column == "focus" and yes_no(value) is False:
            continue
        err(
            (
                column,
                _(
                    "“%(value)s” cannot be imported: a new case starts registered, unassigned "
                    "and without contacts. Leave the cell empty and set it on the case after "
                    "the import."
                )
                % {"value": value},
            )
        )
    if c.get("grondslag") == Grondslag.VERVANGENDE_LEERPLICHT:
        err(
            (
                "grondslag",
                _(
                    "say which vervangende leerplicht: write “3a” (a programme with practical "
                    "work at the school, from 14) or “3b” (the last school year at an MBO "
                    "institution), as it was granted"
                ),
            )
        )
    elif c.get("grondslag"):
        _check_conditions(row, outcomes)
    if c.get("grondslag"):
        c["renewal_due"] = default_renewal_due(
            grondslag=c["grondslag"], start=c.get("exemption_start"), end=c.get("exemption_end")
        )
        label_key = ("label", c["grondslag"])  # translated once per grondslag
        if label_key not in outcomes:
            outcomes[label_key] = str(Grondslag(c["grondslag"]).label)
        c["grondslag_label"] = outcomes[label_key]
    given = c.get("renewal_due_given")
    if given and c.get("grondslag"):
        due = default_renewal_due(
            grondslag=c["grondslag"], start=c.get("exemption_start"), end=c.get("exemption_end")
        )
        if due != given:
            err(
                (
                    "verlenging_nodig",
                    _(
                        "the file says %(given)s, but the exemption dates give %(due)s. Leave "
                        "the cell empty: the import works out the renewal date."
                    )
                    % {
                        "given": given.strftime("%d-%m-%Y"),
                        "due": due.strftime("%d-%m-%Y") if due else _("no renewal"),
                    },
                )
            )


# Where each condition's field is in the import file.
_RULE_COLUMNS = {
    "grondslag": "grondslag",
    "exemption_start": "vrijstelling_ingang",
    "exemption_end": "vrijstelling_einde",
    "exemption_duration": "grondslag",
    "renewal_due": "verlenging_nodig",
    "doctor_statement_date": "datum_verklaring",
    "notice_date": "datum_kennisgeving",
    "advice_date": "grondslag",
}


def _check_conditions(row: Row, outcomes: dict) -> None:
    """The grondslag's conditions (cases.rules.CONDITIONS, through the services' own
    ``check_rules``): errors are row errors, warnings need the user's confirmation.

    ``outcomes`` keeps the outcome for each set of values already checked in this file (the
    rules read nothing else), so rows with the same dates are checked once."""
    c = row.cleaned
    values = {
        "grondslag": c["grondslag"],
        "date_of_birth": c.get("date_of_birth"),
        "exemption_start": c.get("exemption_start"),
        "exemption_end": c.get("exemption_end"),
        "notice_date": c.get("notice_date"),
        "doctor_statement_date": c.get("doctor_statement_date"),
    }
    key = tuple(values.values())
    outcome = outcomes.get(key)
    if outcome is None:
        values["renewal_due"] = default_renewal_due(
            grondslag=c["grondslag"], start=values["exemption_start"], end=values["exemption_end"]
        )
        try:
            outcome = outcomes[key] = (False, check_rules(values, include_warnings=False))
        except RuleError as exc:
            outcome = outcomes[key] = (True, exc.findings)
    failed, findings = outcome
    if failed:
        for finding in findings:
            row.errors.append((_RULE_COLUMNS.get(finding.field, "grondslag"), finding.message))
        return
    for finding in findings:
        row.warnings.append(
            (_RULE_COLUMNS.get(finding.field, "grondslag"), finding.code, finding.message)
        )
