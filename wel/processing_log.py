"""The processing log by the Logius standard *Logboek Dataverwerkingen* (docs/security.md,
"Processing log").

Every audit event about a child's data (:func:`wel.audit.record` with ``jeugdige=`` or
``subjects=``) writes, in the same transaction, one :class:`~wel.models.ProcessingRecord` per
child: the standard's "for every data subject a separate log line". When one action touches
several children, the action gets a line of its own without a data subject and each child's
line is a child action under it (``parent_span_id``), as the standard prescribes.

Trace context is W3C Trace Context: a request's valid ``traceparent`` header is honoured (its
trace id is kept and its span becomes the parent), a missing or malformed one replaced by a new
trace. The ids come from the OpenTelemetry SDK's ``RandomIdGenerator`` and the header is read by
OpenTelemetry's ``TraceContextTextMapPropagator``; WEL does not export spans through
OpenTelemetry: the log is a table next to the audit log, written and confirmed in the same
transaction. No sampling: every event is written.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from opentelemetry import trace as otel_trace
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from . import db_copy
from .models import AuditEvent, ProcessingRecord

_ids = RandomIdGenerator()
_propagator = TraceContextTextMapPropagator()

# What a line names its data subject by: a keyed pseudonym of the jeugdige's internal number
# (the standard: "versleuteld"; pseudonymising is RECOMMENDED). Never the BSN.
DATA_SUBJECT_ID_TYPE = "urn:wel:pseudoniem:jeugdige"
_SUBJECT_SALT = "wel.processing_log.data_subject_id"


class ProcessingLogNotWritten(RuntimeError):
    """The log did not confirm a line: the action it records must not pass silently."""


@dataclass
class Trace:
    """One processing (a request, a task, a command): its trace id and, when it came from
    another application, that application's span as the parent."""

    trace_id: int
    parent_span_id: int | None = None
    started_at: dt.datetime = field(default_factory=timezone.now)
    incoming: bool = False

    @property
    def trace_hex(self) -> str:
        return otel_trace.format_trace_id(self.trace_id)


_current: ContextVar[Trace | None] = ContextVar("wel_processing_trace", default=None)


def new_trace() -> Trace:
    return Trace(trace_id=_ids.generate_trace_id())


def new_span_id() -> str:
    return otel_trace.format_span_id(_ids.generate_span_id())


def trace_from_headers(traceparent: str | None, tracestate: str | None = None) -> Trace:
    """The trace of an incoming request: the caller's when ``traceparent`` is valid (W3C Trace
    Context, read by OpenTelemetry's propagator), otherwise a new one."""
    if traceparent:
        carrier = {"traceparent": traceparent}
        if tracestate:
            carrier["tracestate"] = tracestate
        context = _propagator.extract(carrier)
        span_context = otel_trace.get_current_span(context).get_span_context()
        if span_context.is_valid and span_context.is_remote:
            return Trace(
                trace_id=span_context.trace_id,
                parent_span_id=span_context.span_id,
                incoming=True,
            )
    return new_trace()


def current() -> Trace | None:
    return _current.get()


@contextmanager
def trace(existing: Trace | None = None) -> Iterator[Trace]:
    """Run a processing (a request, a task, a command) under one trace: every line written
    inside shares its trace id."""
    started = existing or new_trace()
    token = _current.set(started)
    try:
        yield started
    finally:
        _current.reset(token)


def data_subject_id(jeugdige_id: int) -> str:
    """The pseudonym a line names a jeugdige by: an HMAC-SHA256 of the internal number, keyed
    by the site's secret (the same child gets the same pseudonym; nobody can work back)."""
    return _pseudonym(jeugdige_id, settings.SECRET_KEY)


@lru_cache(maxsize=16384)
def _pseudonym(jeugdige_id: int, secret: str) -> str:
    # Kept per process (by number and secret): a list page names the same 150 children on
    # every view, and deriving the key and the HMAC for each was 4 % of the worklist's CPU
    # (issue 23). What is kept is what the log lines hold anyway.
    return salted_hmac(
        _SUBJECT_SALT, str(jeugdige_id), secret=secret, algorithm="sha256"
    ).hexdigest()


def subject_ids(*groups: Any) -> list[int]:
    """The distinct jeugdige ids of the given jeugdigen, ids or iterables of them, in order."""
    seen: dict[int, None] = {}

    def add(item: Any) -> None:
        if item is None:
            return
        if isinstance(item, int):
            seen.setdefault(item, None)
        elif hasattr(item, "pk"):
            if item.pk is not None:
                seen.setdefault(int(item.pk), None)
        elif isinstance(item, Iterable) and not isinstance(item, str | bytes):
            for sub in item:
                add(sub)
        else:
            raise TypeError(f"not a jeugdige or its id: {item!r}")

    for group in groups:
        add(group)
    return list(seen)


def _name(event_type) -> str:
    # "a textual description meant for people": the type's label in Dutch, the language of
    # the organisations that account with the log.
    with translation.override("nl"):
        return str(event_type.label)[:200]


def _status(entry: AuditEvent) -> str:
    """The standard's status: ``Ok`` for a success; ``Error`` for an internal error (the
    middleware's failure line of a page that answered 5xx); ``Unset`` otherwise — a refusal or a
    wrong code was handled without an internal error, which the standard calls Unset."""
    if entry.outcome == AuditEvent.Outcome.SUCCESS:
        return ProcessingRecord.Status.OK
    status = entry.detail.get("status") if isinstance(entry.detail, dict) else None
    if entry.outcome == AuditEvent.Outcome.FAILURE and isinstance(status, int) and status >= 500:
        return ProcessingRecord.Status.ERROR
    return ProcessingRecord.Status.UNSET


def _common(entry: AuditEvent, event_type) -> dict:
    running = current() or new_trace()
    now = timezone.now()
    return {
        "trace_id": running.trace_hex,
        "name": _name(event_type),
        "status": _status(entry),
        "start_time": min(running.started_at, now),
        "end_time": now,
        "processing_activity_id": settings.WEL_PROCESSING_ACTIVITIES[event_type.purpose],
        "purpose": event_type.purpose,
        "audit_event_id": entry.pk,
        "event_type": event_type.code,
    }


def _parent_span(running: Trace | None) -> str:
    if running is None or not running.parent_span_id:
        return ""
    return otel_trace.format_span_id(running.parent_span_id)


# A line as the writers pass it on: the columns that differ between the lines of one action
# (the rest, ``_common``, is the same for all of them). No model instance per line: an import
# of 20,000 children spent as long building the lines' instances as writing them (issue 23).
LINE_VARYING = (
    "span_id",
    "parent_span_id",
    "jeugdige_id",
    "data_subject_id",
    "data_subject_id_type",
)


def _action_row(span_id: str, parent: str) -> tuple:
    """The line of the action itself: no data subject."""
    return (span_id, parent, None, "", "")


def _child_rows(parent: str, subjects: Iterable[int]) -> list[tuple]:
    return [
        (new_span_id(), parent, jeugdige_id, data_subject_id(jeugdige_id), DATA_SUBJECT_ID_TYPE)
        for jeugdige_id in subjects
    ]


def _records(common: dict, rows: Iterable[tuple]) -> list[ProcessingRecord]:
    return [ProcessingRecord(**dict(zip(LINE_VARYING, row, strict=True)), **common) for row in rows]


# Above this many lines, PostgreSQL gets them by COPY rather than INSERT: a streamed export or
# an import of 20,000 rows writes a line per child, and COPY writes them several times faster.
COPY_FROM = 200


def _copy(common: dict, rows: list[tuple]) -> int:
    """Write the lines with one COPY statement (wel.db_copy: the shared values prepared once
    by the fields, as an INSERT would); the number of rows PostgreSQL confirms."""
    lines = db_copy.Copy(
        ProcessingRecord,
        template=ProcessingRecord(**common),
        varying=LINE_VARYING,
        omit=("id",),
    )
    with transaction.atomic(savepoint=False):
        return lines.write(rows)


def _confirmed(entry: AuditEvent, common: dict, rows: list[tuple]) -> int:
    """Write the lines (``common`` and per line the values of ``LINE_VARYING``) and return how
    many; raises :class:`ProcessingLogNotWritten` unless the database confirmed every one
    (INSERT … RETURNING ids, or COPY's row count)."""
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
        written = _copy(common, rows)
    else:
        created = ProcessingRecord.objects.bulk_create(_records(common, rows))
        written = sum(1 for line in created if line.pk is not None)
    if written != len(rows):
        raise ProcessingLogNotWritten(f"{entry.event_type}: {len(rows)} lines not confirmed")
    return written


def _rows_of(subjects: list[int]) -> list[tuple]:
    """The standard's lines of one action on ``subjects``: one line per child, and when there
    are several, the action's own line first with each child's line under it."""
    parent = _parent_span(current())
    rows = []
    if len(subjects) > 1:
        # One action, several children: the action itself, then a child action per child.
        action_span = new_span_id()
        rows.append(_action_row(action_span, parent))
        parent = action_span
    return rows + _child_rows(parent, subjects)


def write(entry: AuditEvent, event_type, subjects: list[int]) -> int:
    """The lines of one saved audit event about ``subjects`` (jeugdige ids); called by
    :func:`wel.audit.record` inside its transaction. Returns the number of lines written;
    raises :class:`ProcessingLogNotWritten` when a line is not confirmed."""
    if not subjects:
        return 0
    return _confirmed(entry, _common(entry, event_type), _rows_of(subjects))


def save_with_lines(entry: AuditEvent, event_type, subjects: list[int]) -> int:
    """Save the unsaved ``entry`` and its lines about ``subjects`` in ONE statement
    (PostgreSQL: the audit row in a data-modifying ``WITH``, each line's ``audit_event_id``
    taken from it), for fewer than :data:`COPY_FROM` lines: every page about a child writes
    both, and one round trip less is one query less on each of them, the same for one child as
    for a list of 25 (issue 23). Sets ``entry.pk``; returns the number of lines; raises
    :class:`ProcessingLogNotWritten` unless the database returned every line.

    The columns all lines share are parameters once; the five that differ per line
    (:data:`LINE_VARYING`) are one array each, read back by ``unnest``: the worklist's 150 lines
    were 2,400 parameters for psycopg2 to quote and PostgreSQL to parse, most of the
    statement's 41 ms (docs/benchmarks.md, issue 23)."""
    ops = connection.ops
    event_fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    event_values = [f.get_db_prep_save(f.pre_save(entry, True), connection) for f in event_fields]
    rows = _rows_of(subjects)
    # The shared columns' values, prepared by their fields as Django would save them.
    shared_line = ProcessingRecord(**_common(entry, event_type))
    fields = {
        f.attname: f
        for f in ProcessingRecord._meta.concrete_fields
        if not f.primary_key and f.attname != "audit_event_id"
    }
    shared = [f for name, f in fields.items() if name not in LINE_VARYING]
    shared_values = [f.get_db_prep_save(f.pre_save(shared_line, True), connection) for f in shared]
    columns = [fields[name] for name in LINE_VARYING]
    arrays = [list(values) for values in zip(*rows, strict=True)]  # one array per column
    count = len(rows)
    pk = ops.quote_name(AuditEvent._meta.pk.column)
    # Table, column and type names from the models' own metadata, quoted; every value a
    # parameter.
    event_table = ops.quote_name(AuditEvent._meta.db_table)
    line_table = ops.quote_name(ProcessingRecord._meta.db_table)
    line_columns = [ops.quote_name(f.column) for f in [*shared, *columns]]
    unnest = ", ".join(f"%s::{f.db_type(connection)}[]" for f in columns)
    sql = " ".join(
        [
            f"WITH e AS (INSERT INTO {event_table}",  # noqa: S608
            f"({', '.join(ops.quote_name(f.column) for f in event_fields)})",
            f"VALUES ({', '.join(['%s'] * len(event_values))}) RETURNING {pk})",
            f"INSERT INTO {line_table} ({', '.join(line_columns)}, audit_event_id)",  # noqa: S608
            f"SELECT {', '.join(['%s'] * len(shared_values))},",
            f"{', '.join(f'l.{name}' for name in LINE_VARYING)}, e.{pk}",
            f"FROM e, unnest({unnest}) WITH ORDINALITY AS l({', '.join(LINE_VARYING)}, n)",
            "ORDER BY l.n RETURNING audit_event_id, id",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*event_values, *shared_values, *arrays])
        returned = cursor.fetchall()
    if len(returned) != count or any(a is None or b is None for a, b in returned):
        raise ProcessingLogNotWritten(f"{entry.event_type}: {count} lines not confirmed")
    entry.pk = returned[0][0]
    entry._state.adding = False
    entry._state.db = connection.alias
    return len(returned)


class StreamedAction:
    """The lines of one action whose children are known only while it runs: a streamed export
    of 100,000 cases logs each chunk's children just before that chunk's rows leave, rather
    than all of them before the first byte (which took seconds and held every line in memory).

    ``StreamedAction(entry, event_type)`` writes the action's own line at once (no data
    subject); each :meth:`add` writes and confirms one child line per jeugdige id under it, in
    its own statement, and raises :class:`ProcessingLogNotWritten` when a line is not confirmed
    — the caller stops sending (the rows of that chunk never leave). The standard's "for every
    data subject a separate log line" holds for every row that was sent; a download broken off
    halfway has logged exactly the children whose rows were sent, and at most one chunk more.
    """

    def __init__(self, entry: AuditEvent, event_type) -> None:
        self.entry = entry
        self.common = _common(entry, event_type)
        self.span_id = new_span_id()
        self.count = 0
        _confirmed(entry, self.common, [_action_row(self.span_id, _parent_span(current()))])

    def add(self, subjects: Iterable[int]) -> None:
        rows = _child_rows(self.span_id, subjects)
        if rows:
            _confirmed(self.entry, self.common, rows)
            self.count += len(rows)


# -- the standard's shape ---------------------------------------------------------------------
def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


@cache
def _version() -> str:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as project:
        return tomllib.load(project)["project"]["version"]


def resource() -> dict:
    """The standard's ``resource``: the application, as OpenTelemetry's resource attributes."""
    return {
        "attributes": {
            "service.name": "WEL",
            "service.version": _version(),
        }
    }


def as_standard(line: ProcessingRecord, *, resource_: dict | None = None) -> dict:
    """One line in the fields of the Logboek Dataverwerkingen interface (``trace_id``,
    ``span_id``, ``status``, ``name``, ``start_time`` and ``end_time`` in milliseconds since the
    epoch, ``parent_span_id``, ``resource``, ``attributes`` with ``dpl.core.*``)."""
    attributes = {"dpl.core.processing_activity_id": line.processing_activity_id}
    if line.data_subject_id:
        attributes["dpl.core.data_subject_id"] = line.data_subject_id
        attributes["dpl.core.data_subject_id_type"] = line.data_subject_id_type
    record = {
        "trace_id": line.trace_id,
        "span_id": line.span_id,
        "status": line.status,
        "name": line.name,
        "start_time": _ms(line.start_time),
        "end_time": _ms(line.end_time),
        "resource": resource_ if resource_ is not None else resource(),
        "attributes": attributes,
    }
    if line.parent_span_id:
        record["parent_span_id"] = line.parent_span_id
    return record


def export_lines(lines) -> Iterator[str]:
    """JSON lines, one per processing log line, in the standard's fields (oldest first)."""
    shared = resource()
    for line in lines.order_by("end_time", "id").iterator(chunk_size=2000):
        yield json.dumps(as_standard(line, resource_=shared), ensure_ascii=False) + "\n"


def export_response(request, lines, *, filename: str, event, **record_kw):
    """A JSON-lines download of ``lines``, audited with ``event`` (rows counted first)."""
    from . import audit  # audit imports this module

    rows = lines.count()
    audit.record(event, request=request, detail={"rows": rows, "format": "jsonl"}, **record_kw)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(export_lines(lines), content_type="application/jsonl")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.jsonl"'
    return response
