"""Writing many rows of one model to PostgreSQL with ``COPY … FROM STDIN`` (issue 23): no
model instances and no per-value preparation by Django's SQL compiler, which for an import of
20,000 cases (1.7 million values with their history) took most of the time.

A :class:`Copy` is made from a *template* instance that holds every value the rows share
(region, status, the moment, the user, the fields' defaults): those are prepared once, by
each field's own ``pre_save`` and ``get_db_prep_save``, exactly as Django prepares them for an
INSERT. Only the columns named in ``varying`` differ per row; they are given as tuples, and
must be fields whose prepared value is the plain Python value (character, text, date and
integer fields, foreign keys to such keys). Any other field is prepared per value by the
field itself. tests/cases/test_import_copy.py compares rows written this way with rows the
ORM writes, field by field.

COPY fires the table's row and statement triggers (the case tokens of cases/db_triggers.py)
and checks its constraints as an INSERT does; it runs inside the caller's transaction, so a
failure leaves nothing of the transaction written.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models

# Fields whose prepared value is the Python value itself (exact classes: a subclass may
# prepare differently, and DateTimeField is a subclass of DateField).
PLAIN = (
    models.CharField,
    models.TextField,
    models.DateField,
    models.IntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.SmallIntegerField,
    models.AutoField,
    models.BigAutoField,
)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text_of(value) -> str:
    """A prepared value in COPY's text format: ``\\N`` for NULL; backslash, tab and line
    breaks escaped. Raises TypeError for a value this module does not know how to write."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise TypeError(f"a naive datetime cannot be written: {value!r}")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"no COPY text for {type(value).__name__}")


def _plain(field) -> bool:
    if field.is_relation:
        return _plain(field.target_field)
    return type(field) in PLAIN


def next_ids(model, count: int) -> list[int]:
    """``count`` new primary keys from the table's own sequence (ascending), for rows written
    by COPY that other rows then refer to."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


@contextmanager
def foreign_keys_checked_per_row(*models) -> Iterator[None]:
    """Inside the block, the foreign keys of these models' tables are checked as each row is
    written (``SET CONSTRAINTS … IMMEDIATE``), not at COMMIT; after it, deferred again.

    Django creates foreign keys ``DEFERRABLE INITIALLY DEFERRED``, so the checks of a COPY of
    20,000 rows (one per row and key) all ran at COMMIT, while the command waited with nothing
    else to do; checked per row, PostgreSQL does them while the next rows are still being made
    and sent (issue 23: the import's COMMIT 0.6 s → 0.05 s, its COPY 0.3 s longer). Only
    foreign keys: the case tokens' constraint trigger (cases/db_triggers.py) stays deferred.
    A row whose key points nowhere raises IntegrityError at that row instead of at COMMIT; the
    transaction is rolled back either way. On an error inside the block the setting is not
    restored: the transaction (or savepoint, which restores it) is being rolled back.
    PostgreSQL only; elsewhere it does nothing.
    """
    if connection.vendor != "postgresql" or not models:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(quote_ident(conname), ', ' ORDER BY conname) FROM pg_constraint "
            "WHERE contype = 'f' AND condeferred AND conrelid = ANY(%s::regclass[])",
            [[m._meta.db_table for m in models]],
        )
        names = cursor.fetchone()[0]
    if not names:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")  # names quoted by quote_ident
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


class Copy:
    """COPY of rows of ``model``: per row the values of the ``varying`` fields (attnames, in
    that order), every other column (except those in ``omit``, e.g. a primary key the table
    fills in) from ``template``."""

    def __init__(self, model, *, template: models.Model, varying: Sequence[str], omit=()):
        fields = [f for f in model._meta.concrete_fields if f.attname not in omit]
        by_name = {f.attname: f for f in fields}
        unknown = [name for name in varying if name not in by_name]
        if unknown:
            raise ValueError(f"{model.__name__} has no column {unknown}")
        self.model = model
        self.varying = [by_name[name] for name in varying]
        # Per varying column: None (the value is written as it is) or the field's own
        # preparation, called per value.
        self.prepare = [
            None if _plain(f) else (lambda value, f=f: f.get_db_prep_save(value, connection))
            for f in self.varying
        ]
        shared = [f for f in fields if f.attname not in set(varying)]
        prepared = [f.get_db_prep_save(f.pre_save(template, True), connection) for f in shared]
        texts = _shared_texts(prepared)
        self.columns = [f.column for f in self.varying] + [f.column for f in shared]
        self.tail = "".join("\t" + t for t in texts)

    def lines(self, rows: Iterable[Sequence]) -> Iterable[str]:
        prepare, tail = self.prepare, self.tail
        if not any(prepare):
            for row in rows:
                yield "\t".join(map(text_of, row)) + tail + "\n"
            return
        for row in rows:
            yield (
                "\t".join(
                    text_of(value if p is None else p(value))
                    for value, p in zip(row, prepare, strict=True)
                )
                + tail
                + "\n"
            )

    def write(self, rows: Iterable[Sequence]) -> int:
        """Write the rows in one COPY statement; the number of rows PostgreSQL confirms.

        The text is made while it is sent (psycopg2 reads it in blocks), so PostgreSQL works on
        the first rows while the next are made, and the whole text is never held in memory."""
        body = _Reader(self.lines(rows))
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        sql = f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.cursor.copy_expert(sql, body)
            return cursor.cursor.rowcount


def _shared_texts(prepared: list) -> list[str]:
    """The COPY text of each shared value; values other than plain ones (a JSON adapter) are
    rendered by PostgreSQL itself, from the parameter Django would send."""
    texts: list[str | None] = []
    other = []
    for value in prepared:
        try:
            texts.append(text_of(value))
        except TypeError:
            texts.append(None)
            other.append(value)
    if other:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["%s::text"] * len(other)), other)
            rendered = iter(cursor.fetchone())
        texts = [t if t is not None else text_of(next(rendered)) for t in texts]
    return texts


class _Reader(io.TextIOBase):
    """A file of the lines an iterator yields, read by psycopg2's ``copy_expert``."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        if size is None or size < 0:
            return "".join(self._lines)
        block, length = [], 0
        for line in self._lines:
            block.append(line)
            length += len(line)
            if length >= size:
                break
        return "".join(block)

    def readline(self, size: int | None = -1) -> str:
        return next(self._lines, "")
