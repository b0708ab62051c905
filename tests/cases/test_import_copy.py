"""The import's two ways of writing (issue 23): on PostgreSQL each table by COPY of prepared
tuples (cases/importer/write.py, wel/db_copy.py), elsewhere through the ORM. The same file
must leave the same rows either way — cases, history, timeline, findings, the audit event and
the processing log — and a failure in the middle of a COPY must leave nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from cases import importer
from cases.importer import write
from cases.models import CasesVersion, Jeugdige, ReferenceCounter, RuleFinding, TimelineEntry
from tests.cases.factories import make_jeugdige
from tests.conftest import need_services
from wel import processing_log
from wel.models import AuditEvent, ProcessingRecord

pytestmark = pytest.mark.django_db

HEADER = (
    "bsn;voornaam;tussenvoegsel;achternaam;geboortedatum;gemeente;grondslag;"
    "vrijstelling_ingang;vrijstelling_einde;laatste_school;toelichting"
)
# Text COPY must escape (tab, backslash, line breaks, "\N"), accents, every grondslag shape the
# rows give (a warning to confirm: artikel 5a), empty and filled optional dates.
LINES = [
    '111222333;Sanne;de;Vries;14-03-2014;0114;5a;01-08-2025;31-07-2026;OBS De Esch;"tab\there"',
    ';Daan;;Bakker;2012-11-02;GM0114;absoluut verzuim;;;;"back\\slash \\N"',
    ';Zoë;van der;Berg;01-02-2015;Borger-Odoorn;vrijstelling 5 onder a;;;;"regel 1\nregel 2\r"',
    ";Circus;;Kind;04-06-2016;0114;Art. 5a Lpw;01-08-2026;;;",
    ";Çelik;;Yılmaz;04-06-2016;1681;5b;01-08-2026;;'t Hooghe Landt;€ ünïcode",
]
FIXED = dt.datetime(2026, 9, 14, 10, 30, 15, 123456, tzinfo=dt.UTC)


def _data() -> bytes:
    return ("\r\n".join([HEADER, *LINES]) + "\r\n").encode("utf-8")


def _import(world, *, copy: bool, monkeypatch):
    monkeypatch.setattr(write, "copy_supported", lambda: copy)
    # The processing log COPYs from COPY_FROM lines on: both ways for these few rows.
    monkeypatch.setattr(processing_log, "COPY_FROM", 1 if copy else 10**9)
    result = importer.run_import(
        _data(),
        filename="lijst.csv",
        region=world.region_a,
        by=world.user("kartrekker_a"),
        decisions={"confirm_warnings": True},
    )
    assert result.ok and result.created == len(LINES), [r.errors for r in result.bad_rows]
    return result


def _fields(model, *, without=()):
    return [f.attname for f in model._meta.concrete_fields if f.attname not in without]


def _snapshot(result) -> dict:
    """Every row the import wrote, field by field; ids replaced by the case's reference, the
    random span and trace ids by their structure."""
    cases = Jeugdige.objects.filter(reference__in=result.references)
    ref = dict(cases.values_list("pk", "reference"))
    history = Jeugdige.history.model
    event = AuditEvent.objects.filter(event_type="jeugdigen.imported").latest("pk")
    lines = list(
        ProcessingRecord.objects.filter(audit_event_id=event.pk).order_by("jeugdige_id", "pk")
    )
    (action,) = [line for line in lines if line.jeugdige_id is None]
    for line in lines:
        if line.jeugdige_id is not None:
            assert line.parent_span_id == action.span_id
            assert line.data_subject_id == processing_log.data_subject_id(line.jeugdige_id)
    random_ids = {"id", "trace_id", "span_id", "parent_span_id", "data_subject_id"}
    return {
        "cases": sorted(
            (tuple(getattr(j, f) for f in _fields(Jeugdige, without={"id"})) for j in cases),
        ),
        "history": sorted(
            (ref[h.id], *(getattr(h, f) for f in _fields(history, without={"id", "history_id"})))
            for h in history.objects.filter(id__in=ref)
        ),
        "timeline": sorted(
            (ref[t.jeugdige_id], *(getattr(t, f) for f in _fields(TimelineEntry)[2:]))
            for t in TimelineEntry.objects.filter(jeugdige_id__in=ref)
        ),
        "findings": sorted(
            (ref[r.jeugdige_id], *(getattr(r, f) for f in _fields(RuleFinding)[2:]))
            for r in RuleFinding.objects.filter(jeugdige_id__in=ref)
        ),
        "event": (
            event.event_type,
            event.user_id,
            event.object_id,
            dict(event.detail),
        ),
        "log": [
            (
                ref.get(line.jeugdige_id),
                *(
                    getattr(line, f)
                    for f in _fields(
                        ProcessingRecord, without=random_ids | {"audit_event_id", "jeugdige_id"}
                    )
                ),
            )
            for line in lines
        ],
    }


def test_copy_writes_the_same_rows_as_the_orm(world, monkeypatch):
    need_services(postgres=True)
    monkeypatch.setattr(timezone, "now", lambda: FIXED)
    counter_before = list(ReferenceCounter.objects.values_list("pk", "last"))

    orm = _snapshot(_import(world, copy=False, monkeypatch=monkeypatch))
    # The same references again: the counter back, the ORM's rows gone.
    Jeugdige.objects.filter(region=world.region_a).delete()
    Jeugdige.history.all().delete()
    ReferenceCounter.objects.exclude(pk__in=[pk for pk, _last in counter_before]).delete()
    for pk, last in counter_before:
        ReferenceCounter.objects.filter(pk=pk).update(last=last)
    copied = _snapshot(_import(world, copy=True, monkeypatch=monkeypatch))

    assert len(orm["cases"]) == len(LINES) and orm["findings"], orm["findings"]
    assert len(orm["log"]) == len(LINES) + 1  # the action's line and one per child
    for table in orm:
        assert copied[table] == orm[table], table


def test_the_copy_fires_the_case_token_trigger(world, monkeypatch):
    need_services(postgres=True)
    make_jeugdige(world, given_name="Anders")
    before = CasesVersion.objects.get(region=world.region_a).token
    _import(world, copy=True, monkeypatch=monkeypatch)
    assert CasesVersion.objects.get(region=world.region_a).token != before


def _counts() -> dict:
    return {
        "cases": Jeugdige.objects.count(),
        "history": Jeugdige.history.count(),
        "timeline": TimelineEntry.objects.count(),
        "findings": RuleFinding.objects.count(),
        "events": AuditEvent.objects.filter(event_type="jeugdigen.imported").count(),
        "log": ProcessingRecord.objects.count(),
    }


@pytest.mark.parametrize("where", ["cases", "timeline"])
def test_a_failure_in_the_middle_of_a_copy_leaves_nothing_written(world, monkeypatch, where):
    """All rows or none: a unique violation on the last case (its rows before it already
    copied), or a refused timeline entry after the cases and their history were copied."""
    need_services(postgres=True)
    existing = make_jeugdige(world, given_name="Anders")
    before = _counts()
    if where == "cases":
        real = write.next_references

        def clashing(*, region, count):
            return [*real(region=region, count=count)[:-1], existing.reference]

        monkeypatch.setattr(write, "next_references", clashing)
    else:
        with connection.cursor() as cursor:  # undone with the test's transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: may ALTER
            cursor.execute(
                "ALTER TABLE cases_timelineentry ADD CONSTRAINT refuse_import "
                "CHECK (kind <> 'import')"
            )
    with pytest.raises(IntegrityError):
        _import(world, copy=True, monkeypatch=monkeypatch)
    assert _counts() == before


def test_foreign_keys_are_checked_as_the_rows_are_copied_and_deferred_after(world):
    """wel.db_copy.foreign_keys_checked_per_row: inside, a row whose key points nowhere fails
    in its COPY (not at COMMIT); after the block the keys are deferred again, as Django made
    them (an ORM row pointing nowhere is accepted until the constraints are checked)."""
    from django.db import transaction

    from wel import db_copy

    need_services(postgres=True)
    entry = TimelineEntry(at=FIXED, kind=TimelineEntry.Kind.IMPORT, text="x")
    copy = db_copy.Copy(TimelineEntry, template=entry, varying=("jeugdige_id",), omit=("id",))
    refused = pytest.raises(IntegrityError, match="cases_timelineentry_jeugdige_id")
    with refused, transaction.atomic(), db_copy.foreign_keys_checked_per_row(TimelineEntry):
        copy.write([(987654321,)])
    with transaction.atomic():
        with db_copy.foreign_keys_checked_per_row(TimelineEntry):
            assert copy.write([(make_jeugdige(world).pk,)]) == 1
        copy.write([(987654321,)])  # deferred again: accepted for now
        refused = pytest.raises(IntegrityError, match="cases_timelineentry_jeugdige_id")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        TimelineEntry.objects.filter(jeugdige_id=987654321).delete()  # its check goes with it


def test_the_indexes_no_query_reads_are_gone(world):
    """cases migration 0019 (issue 23): every one of these was written for each case saved
    or imported, and read by no query."""
    need_services(postgres=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN "
            "('cases_jeugdige', 'cases_historicaljeugdige', 'cases_timelineentry')"
        )
        names = {row[0] for row in cursor.fetchall()}
    gone = {
        "jeugdige_given_name_trgm",
        "jeugdige_family_name_trgm",
        *(
            n
            for n in names
            if n.startswith("cases_timelineentry_at_")
            or any(
                n.startswith(f"cases_historicaljeugdige_{c}_")
                for c in (
                    "region_id",
                    "gemeente_id",
                    "assigned_lpa_id",
                    "created_by_id",
                    "reference",
                )
            )
        ),
    }
    assert not names & gone, sorted(names & gone)
    # what the queries read stays: the history by case, the timeline by case, the region first
    assert any(n.startswith("cases_historicaljeugdige_id_") for n in names)
    assert any(n.startswith("cases_timelineentry_jeugdige_id_") for n in names)
    assert {"jeugdige_region_status", "jeugdige_search_name_trgm"} <= names
    # the region's own index stays: the count of a region's cases reads it alone (index only);
    # without it PostgreSQL counted by reading the table (0.03 s instead of 0.008 s)
    assert any(n.startswith("cases_jeugdige_region_id_") for n in names)
