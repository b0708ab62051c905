"""The processing log by the Logius standard Logboek Dataverwerkingen (issue 22 §3).

The field list below is written from the standard's text, not from our code:
Logius-standaarden/logboek-dataverwerkingen, ``sections/specificaties.md`` at commit
46aea1893ba05fa68e421778ea2dcd8c6b3e817d (Werkversie; js/config.mjs at 68c6e7c names version
0.8.0), section "Component: Logboek" → "Interface" and "attributes".
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import make_jeugdige
from tests.conftest import need_services
from wel import audit, processing_log
from wel.models import AuditEvent, ProcessingRecord
from wel.purposes import PURPOSES, parse_processing_activities

pytestmark = pytest.mark.django_db

# -- the standard's interface (Veld, Type, Verplicht?) ----------------------------------------
REQUIRED_FIELDS = {"trace_id", "span_id", "status", "name", "start_time", "end_time", "attributes"}
OPTIONAL_FIELDS = {"parent_span_id", "resource"}
STATUS_VALUES = {"Unset", "Ok", "Error"}
# "De volgende velden zijn vereist in de namespace core" (a line about a person)
CORE_ATTRIBUTES = {
    "dpl.core.processing_activity_id",
    "dpl.core.data_subject_id",
    "dpl.core.data_subject_id_type",
}
# only when there is a calling application
FOREIGN_ATTRIBUTES = {"dpl.core.foreign_operation.processor"}
HEX16 = re.compile(r"[0-9a-f]{32}")  # trace_id: 16 bytes, lower-case hex as in W3C Trace Context
HEX8 = re.compile(r"[0-9a-f]{16}")  # span_id / parent_span_id: 8 bytes
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")

VALID_PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def validate(line: dict) -> None:
    """One exported line against the standard's field list (raises AssertionError)."""
    keys = set(line)
    assert keys >= REQUIRED_FIELDS, REQUIRED_FIELDS - keys
    assert keys <= REQUIRED_FIELDS | OPTIONAL_FIELDS, keys - REQUIRED_FIELDS - OPTIONAL_FIELDS
    assert HEX16.fullmatch(line["trace_id"]) and set(line["trace_id"]) != {"0"}
    assert HEX8.fullmatch(line["span_id"]) and set(line["span_id"]) != {"0"}
    if "parent_span_id" in line:
        assert HEX8.fullmatch(line["parent_span_id"])
    assert line["status"] in STATUS_VALUES
    assert isinstance(line["name"], str) and line["name"]
    for moment in ("start_time", "end_time"):  # uint64, milliseconds since the epoch
        assert isinstance(line[moment], int) and 0 <= line[moment] < 2**64
    assert line["start_time"] <= line["end_time"]
    if "resource" in line:
        assert set(line["resource"]) == {"attributes"}
        assert isinstance(line["resource"]["attributes"], dict)
    attributes = line["attributes"]
    assert isinstance(attributes, dict)
    assert set(attributes) <= CORE_ATTRIBUTES | FOREIGN_ATTRIBUTES, set(attributes)
    assert URI.fullmatch(attributes["dpl.core.processing_activity_id"])
    if "dpl.core.data_subject_id" in attributes:
        assert attributes["dpl.core.data_subject_id_type"]


def _export(client) -> list[dict]:
    response = client.get(reverse("processing_log_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jsonl"
    body = b"".join(response.streaming_content).decode()
    return [json.loads(text) for text in body.splitlines()]


def test_lines_of_a_case_view_validate_against_the_standard(world, client_for):
    case = make_jeugdige(world)
    kartrekker = client_for("kartrekker_a")
    assert kartrekker.get(reverse("cases:detail", args=[case.reference])).status_code == 200
    lines = _export(client_for("beheerder"))
    assert lines
    for line in lines:
        validate(line)
    viewed = [line for line in lines if line["name"].startswith("Dossier bekeken")] or [
        line
        for line in lines
        if line["attributes"].get("dpl.core.data_subject_id")
        == processing_log.data_subject_id(case.pk)
    ]
    assert viewed
    # The pseudonym, never the BSN, the name or the reference.
    text = json.dumps(lines)
    assert case.reference not in text and case.family_name not in text
    if case.bsn:
        assert case.bsn not in text


def test_every_event_about_a_child_writes_a_line_in_the_same_transaction(world, client_for):
    case = make_jeugdige(world)
    before = ProcessingRecord.objects.count()
    client_for("kartrekker_a").get(reverse("cases:detail", args=[case.reference]))
    event = AuditEvent.objects.filter(event_type="jeugdige.viewed", jeugdige_id=case.pk).first()
    line = ProcessingRecord.objects.get(audit_event_id=event.pk)
    assert ProcessingRecord.objects.count() == before + 1
    assert line.jeugdige_id == case.pk
    assert line.status == "Ok"
    assert line.purpose == "casusregie"
    assert line.processing_activity_id == "urn:wel:verwerkingsactiviteit:casusregie"
    assert line.start_time <= line.end_time


def test_one_action_on_three_children_writes_three_lines_with_one_trace(world, client_for):
    cases = [make_jeugdige(world, given_name=name) for name in ("Anna", "Bram", "Cas")]
    response = client_for("kartrekker_a").get(reverse("cases:export"))
    assert response.status_code == 200
    response.getvalue()  # streamed: each chunk's lines are written as it is sent
    event = AuditEvent.objects.get(event_type="case_list.exported")
    lines = list(ProcessingRecord.objects.filter(audit_event_id=event.pk))
    per_child = [line for line in lines if line.jeugdige_id is not None]
    assert sorted(line.jeugdige_id for line in per_child) == sorted(c.pk for c in cases)
    assert len({line.trace_id for line in lines}) == 1
    assert len({line.span_id for line in lines}) == len(lines)
    # The standard: several data subjects → a child action per subject under the action.
    (action,) = [line for line in lines if line.jeugdige_id is None]
    assert action.data_subject_id == ""
    assert {line.parent_span_id for line in per_child} == {action.span_id}


def test_record_with_three_subjects_outside_a_request_shares_one_trace(world):
    cases = [make_jeugdige(world, given_name=name) for name in ("Anna", "Bram", "Cas")]
    with processing_log.trace() as running:
        audit.record(
            audit.events.CASE_LIST_EXPORTED, user=world.user("kartrekker_a"), subjects=cases
        )
    lines = ProcessingRecord.objects.filter(event_type="case_list.exported")
    assert sorted(line.jeugdige_id for line in lines if line.jeugdige_id) == [c.pk for c in cases]
    assert {line.trace_id for line in lines} == {running.trace_hex}


def test_an_incoming_traceparent_is_honoured(world, client_for):
    case = make_jeugdige(world)
    client_for("kartrekker_a").get(
        reverse("cases:detail", args=[case.reference]), HTTP_TRACEPARENT=VALID_PARENT
    )
    line = ProcessingRecord.objects.get(event_type="jeugdige.viewed", jeugdige_id=case.pk)
    assert line.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert line.parent_span_id == "00f067aa0ba902b7"
    assert line.span_id != "00f067aa0ba902b7"


@pytest.mark.parametrize(
    "header",
    [
        "garbage",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # version ff is invalid
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  # upper case
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  # short
    ],
)
def test_a_malformed_traceparent_is_replaced(world, client_for, header):
    case = make_jeugdige(world)
    client_for("kartrekker_a").get(
        reverse("cases:detail", args=[case.reference]), HTTP_TRACEPARENT=header
    )
    line = ProcessingRecord.objects.get(event_type="jeugdige.viewed", jeugdige_id=case.pk)
    assert HEX16.fullmatch(line.trace_id)
    assert line.trace_id not in header.lower()
    assert line.parent_span_id == ""


def test_each_request_has_its_own_trace(world, client_for):
    case = make_jeugdige(world)
    client = client_for("kartrekker_a")
    for _ in range(2):
        client.get(reverse("cases:detail", args=[case.reference]))
    lines = ProcessingRecord.objects.filter(event_type="jeugdige.viewed", jeugdige_id=case.pk)
    assert len({line.trace_id for line in lines}) == 2


def _refuse_lines(monkeypatch) -> None:
    """Make writing a line fail in the database: bulk_create raises (SQLite, and several
    children); on PostgreSQL the one-statement path gets a status longer than its column."""

    def refuse(lines, *args, **kwargs):
        raise DatabaseError("log unavailable")

    monkeypatch.setattr(ProcessingRecord.objects, "bulk_create", refuse)
    monkeypatch.setattr(processing_log, "_status", lambda entry: "far too long a status")


@pytest.mark.parametrize("children", [1, 2])
def test_a_line_that_cannot_be_written_fails_the_event(world, monkeypatch, children):
    cases = [make_jeugdige(world, given_name=f"Kind{i}") for i in range(children)]
    events_before = AuditEvent.objects.count()
    _refuse_lines(monkeypatch)
    with pytest.raises(DatabaseError), transaction.atomic():
        audit.record(
            audit.events.CASE_LIST_EXPORTED, user=world.user("kartrekker_a"), subjects=cases
        )
    assert AuditEvent.objects.count() == events_before


def test_an_unconfirmed_line_is_an_error(world, monkeypatch):
    """Where the lines are INSERTed on their own (SQLite, or COPY_FROM lines and more)."""
    cases = [make_jeugdige(world, given_name=f"Kind{i}") for i in range(2)]
    monkeypatch.setattr(processing_log, "COPY_FROM", 1)
    monkeypatch.setattr(processing_log, "_copy", lambda common, rows: 0)
    monkeypatch.setattr(ProcessingRecord.objects, "bulk_create", lambda lines, **kw: [])
    with pytest.raises(processing_log.ProcessingLogNotWritten), transaction.atomic():
        audit.record(
            audit.events.CASE_LIST_EXPORTED, user=world.user("kartrekker_a"), subjects=cases
        )


@pytest.mark.parametrize("children", [1, 3])
def test_a_line_skipped_by_the_database_is_an_error(world, children):
    """The one-statement path (PostgreSQL): a trigger that silently drops the lines (returns
    NULL) leaves RETURNING short, and the event fails rather than pass unlogged."""
    need_services(postgres=True)
    cases = [make_jeugdige(world, given_name=f"Kind{i}") for i in range(children)]
    events_before = AuditEvent.objects.count()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE FUNCTION pg_temp.drop_line() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RETURN NULL; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER drop_line BEFORE INSERT ON wel_processingrecord "
                "FOR EACH ROW EXECUTE FUNCTION pg_temp.drop_line()"
            )
        with pytest.raises(processing_log.ProcessingLogNotWritten), transaction.atomic():
            audit.record(
                audit.events.CASE_LIST_EXPORTED, user=world.user("kartrekker_a"), subjects=cases
            )
        transaction.set_rollback(True)
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("children", [1, 3, 25])
def test_an_event_and_its_lines_are_one_statement(world, django_assert_num_queries, children):
    """Issue 23: an event about children and its processing-log lines are one INSERT on
    PostgreSQL, the same for one child (a case page) as for a page of 25 (a list): one query
    less on every such page, and a list's count does not depend on its rows."""
    need_services(postgres=True)
    cases = [make_jeugdige(world, given_name=f"Kind{i}") for i in range(children)]
    user = world.user("kartrekker_a")
    audit.scope_for(user)  # the scope is cached on the user: not part of the count
    with django_assert_num_queries(1):
        entry = audit.record(audit.events.CASE_LIST_EXPORTED, user=user, subjects=cases)
    lines = list(ProcessingRecord.objects.filter(audit_event_id=entry.pk))
    per_child = [line for line in lines if line.jeugdige_id is not None]
    assert sorted(line.jeugdige_id for line in per_child) == sorted(c.pk for c in cases)
    assert len(lines) == children + (1 if children > 1 else 0)
    if children > 1:
        (action,) = [line for line in lines if line.jeugdige_id is None]
        assert {line.parent_span_id for line in per_child} == {action.span_id}
    assert AuditEvent.objects.get(pk=entry.pk).event_type == "case_list.exported"


def test_the_one_statement_is_the_same_sql_for_any_number_of_children(world):
    """Issue 23: the lines' varying columns travel as arrays, so the statement's text (and its
    number of parameters) does not grow with the children: the worklist's 150 lines were 2,400
    parameters to quote and parse."""
    need_services(postgres=True)
    from django.test.utils import CaptureQueriesContext

    user = world.user("kartrekker_a")
    audit.scope_for(user)
    statements = []
    for children in (2, 3, 40):
        cases = [make_jeugdige(world, given_name=f"N{children}x{i}") for i in range(children)]
        with CaptureQueriesContext(connection) as captured:
            audit.record(audit.events.CASE_LIST_EXPORTED, user=user, subjects=cases)
        (query,) = captured.captured_queries
        statements.append(re.sub(r"ARRAY\[[^\]]*\]", "ARRAY[]", query["sql"]))
    assert len({len(re.sub(r"'[^']*'", "''", s)) for s in statements}) == 1


def test_one_statement_writes_the_lines_the_general_path_writes(world):
    """The PostgreSQL one-statement path and the general one (event saved, lines inserted) give
    the same lines, column by column, but for the random span ids and the moments."""
    need_services(postgres=True)
    cases = [make_jeugdige(world, given_name=f"Same{i}") for i in range(4)]
    user = world.user("kartrekker_a")
    one = audit.record(audit.events.CASE_LIST_EXPORTED, user=user, subjects=cases)
    entry = AuditEvent.objects.get(pk=one.pk)
    entry.pk = None
    entry._state.adding = True
    entry.save()
    processing_log.write(entry, audit.events.CASE_LIST_EXPORTED, [c.pk for c in cases])
    varying = {"id", "span_id", "parent_span_id", "audit_event_id", "trace_id"}
    varying |= {"start_time", "end_time"}

    def shape(event_id):
        lines = ProcessingRecord.objects.filter(audit_event_id=event_id).order_by("id")
        return [{f: getattr(line, f) for f in LINE_FIELDS if f not in varying} for line in lines]

    assert shape(one.pk) == shape(entry.pk)
    assert len(shape(one.pk)) == 5


def test_the_log_has_no_index_a_line_does_not_need(world):
    """Each index is written for every line: a page of 150 children wrote 150 random leaves in
    an index on the span id (64 random bits, looked up by no query) and two LIKE-pattern
    indexes nobody uses (issue 23). What the log is read by stays indexed."""
    need_services(postgres=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s",
            [ProcessingRecord._meta.db_table],
        )
        indexes = [row[0] for row in cursor.fetchall()]
    assert not [i for i in indexes if "pattern_ops" in i]
    assert not [i for i in indexes if "(span_id)" in i]
    for column in ("trace_id", "jeugdige_id", "audit_event_id", "end_time"):
        assert [i for i in indexes if f"({column})" in i], column


def test_the_log_is_append_only(world):
    case = make_jeugdige(world)
    audit.record(
        audit.events.JEUGDIGE_VIEWED, user=world.user("kartrekker_a"), obj=case, jeugdige=case
    )
    line = ProcessingRecord.objects.first()
    with pytest.raises(TypeError):
        line.save()
    with pytest.raises(TypeError):
        ProcessingRecord.objects.all().delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE wel_processingrecord SET name = 'x' WHERE id = %s", [line.pk])


def test_every_event_type_has_a_known_purpose():
    for code, event_type in audit.events.REGISTRY.items():
        assert event_type.purpose in PURPOSES, code


def test_processing_activities_setting():
    assert parse_processing_activities("") == {
        p: f"urn:wel:verwerkingsactiviteit:{p}" for p in PURPOSES
    }
    given = parse_processing_activities('{"casusregie": "https://register.example.nl/va/42"}')
    assert given["casusregie"] == "https://register.example.nl/va/42"
    assert given["inzage"] == "urn:wel:verwerkingsactiviteit:inzage"
    for bad in (
        "not json",
        "[1]",
        '{"shopping": "https://x"}',
        '{"casusregie": "no uri"}',
        '{"casusregie": 42}',
    ):
        with pytest.raises(ImproperlyConfigured, match="WEL_PROCESSING_ACTIVITIES"):
            parse_processing_activities(bad)


def test_the_configured_activity_is_on_the_line(world, settings):
    settings.WEL_PROCESSING_ACTIVITIES = parse_processing_activities(
        '{"casusregie": "https://register.example.nl/va/42"}'
    )
    case = make_jeugdige(world)
    audit.record(
        audit.events.JEUGDIGE_VIEWED, user=world.user("kartrekker_a"), obj=case, jeugdige=case
    )
    line = ProcessingRecord.objects.get(event_type="jeugdige.viewed")
    assert line.processing_activity_id == "https://register.example.nl/va/42"


# -- the exports ------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["lpa_a", "kartrekker_a", "lpa_b", "landelijk"])
def test_only_the_beheerder_exports_the_whole_log(client_for, persona):
    assert client_for(persona).get(reverse("processing_log_export")).status_code in (403, 404)


def test_the_whole_export_is_audited(client_for):
    _export(client_for("beheerder"))
    assert AuditEvent.objects.filter(event_type="processing_log.exported").exists()


def test_the_kartrekker_exports_one_case(world, client_for):
    case = make_jeugdige(world)
    other = make_jeugdige(world, given_name="Other")
    client_for("lpa_a").get(reverse("cases:detail", args=[other.reference]))
    response = client_for("kartrekker_a").get(
        reverse("cases:processing_log", args=[case.reference])
    )
    assert response.status_code == 200
    lines = [json.loads(t) for t in b"".join(response.streaming_content).decode().splitlines()]
    assert lines
    mine = processing_log.data_subject_id(case.pk)
    for line in lines:
        validate(line)
        assert line["attributes"]["dpl.core.data_subject_id"] == mine
    assert AuditEvent.objects.filter(
        event_type="processing_log.case_exported", jeugdige_id=case.pk
    ).exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("lpa_a", 403), ("lpa_b", 404), ("landelijk", 403), ("beheerder", 403)]
)
def test_the_case_export_is_for_the_kartrekker_only(world, client_for, persona, status):
    case = make_jeugdige(world)
    response = client_for(persona).get(reverse("cases:processing_log", args=[case.reference]))
    assert response.status_code == status


def test_the_application_role_may_only_read_and_append_the_processing_log(world):
    """``grant_app_role``: on wel_processingrecord the application role has SELECT and INSERT
    only, like the audit log (the role disappears with the test's rollback)."""
    need_services(postgres=True)
    import uuid

    from django.core.management import call_command

    role = f"wel_app_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    call_command("grant_app_role", role)
    case = make_jeugdige(world)

    def as_app(sql):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'SET ROLE "{role}"')
            cursor.execute(sql)
            rows = cursor.fetchall() if cursor.description else None
            cursor.execute("RESET ROLE")
            return rows

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
        audit.record(
            audit.events.JEUGDIGE_VIEWED, user=world.user("kartrekker_a"), obj=case, jeugdige=case
        )
        cursor.execute("RESET ROLE")
    assert as_app("SELECT count(*) FROM wel_processingrecord")[0][0] >= 1
    for sql in (
        "UPDATE wel_processingrecord SET name = 'x'",
        "DELETE FROM wel_processingrecord",
        "TRUNCATE wel_processingrecord",
    ):
        with pytest.raises(DatabaseError, match="permission denied"):
            as_app(sql)


def test_the_case_list_names_every_child_on_the_page(world, client_for):
    cases = [make_jeugdige(world, given_name=name) for name in ("Anna", "Bram")]
    assert client_for("lpa_a").get(reverse("cases:list")).status_code == 200
    event = AuditEvent.objects.get(event_type="case_list.viewed")
    lines = ProcessingRecord.objects.filter(audit_event_id=event.pk, jeugdige_id__isnull=False)
    assert sorted(line.jeugdige_id for line in lines) == sorted(c.pk for c in cases)


def test_the_exports_are_linked_for_those_who_may_download(world, client_for):
    case = make_jeugdige(world)
    assert (
        reverse("processing_log_export")
        in client_for("beheerder").get(reverse("audit_log")).content.decode()
    )
    history = reverse("cases:history", args=[case.reference])
    link = reverse("cases:processing_log", args=[case.reference])
    assert link in client_for("kartrekker_a").get(history).content.decode()
    assert link not in client_for("lpa_a").get(history).content.decode()


def test_a_type_without_a_purpose_is_refused():
    from wel.audit_events import _type

    with pytest.raises(ValueError, match="has no purpose"):
        _type("nothing_known.done", "view", "", "x")
    assert "nothing_known.done" not in audit.events.REGISTRY


def test_a_family_invitation_is_their_own_contribution_not_case_work():
    assert audit.events.INVITATION_OPENED.purpose == "eigen_inbreng"
    assert audit.events.INVITATION_CREATED.purpose == "casusregie"
    assert audit.events.WHO_LOOKED_VIEWED.purpose == "inzage"
    assert audit.events.PROCESSING_LOG_EXPORTED.purpose == "verantwoording"


def test_a_bad_processing_activities_variable_stops_start_up():
    from tests.wel.test_settings import run_check

    good = {"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "wel.example"}
    result = run_check({**good, "WEL_PROCESSING_ACTIVITIES": '{"casusregie": "not a uri"}'})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "WEL_PROCESSING_ACTIVITIES" in result.stderr
    result = run_check(
        {**good, "WEL_PROCESSING_ACTIVITIES": '{"casusregie": "https://register.example.nl/1"}'}
    )
    assert result.returncode == 0, result.stderr


def test_a_page_that_fails_after_reading_a_case_logs_an_error(world, client_for, monkeypatch):
    # The invitation form reads the case (jeugdige_get notes it as shown) and writes no event
    # of its own: the middleware writes it, here for a page that then fails.
    from family import views as family_views

    case = make_jeugdige(world)

    def broken(*args, **kwargs):
        raise RuntimeError("the form failed")

    monkeypatch.setattr(family_views, "InvitationForm", broken)
    client = client_for("lpa_a")
    client.raise_request_exception = False
    assert client.get(reverse("family:invite", args=[case.reference])).status_code == 500
    event = AuditEvent.objects.get(event_type="jeugdige.viewed", jeugdige_id=case.pk)
    assert event.outcome == "failure"
    assert event.detail["status"] == 500
    line = ProcessingRecord.objects.get(audit_event_id=event.pk)
    assert line.status == "Error"
    validate(processing_log.as_standard(line))


def test_a_refusal_is_unset_not_ok(world, client_for):
    case = make_jeugdige(world)
    assert (
        client_for("lpa_b").get(reverse("cases:detail", args=[case.reference])).status_code == 404
    )
    line = ProcessingRecord.objects.get(event_type="access.refused", jeugdige_id=case.pk)
    assert line.status == "Unset"


# -- COPY for many lines (issue 23) --------------------------------------------------------------
LINE_FIELDS = [f.name for f in ProcessingRecord._meta.concrete_fields if not f.primary_key]


@pytest.mark.parametrize("count", [processing_log.COPY_FROM - 1, processing_log.COPY_FROM])
def test_many_lines_are_written_and_confirmed_alike_by_insert_and_by_copy(world, count):
    """Below COPY_FROM lines the log INSERTs, from it on PostgreSQL COPYs: both write the same
    lines and confirm each one."""
    case = make_jeugdige(world)
    entry = audit.record(audit.events.CASE_LIST_EXPORTED, user=world.user("kartrekker_a"))
    action = processing_log.StreamedAction(entry, audit.events.CASE_LIST_EXPORTED)
    action.add([case.pk] * count)
    lines = ProcessingRecord.objects.filter(audit_event_id=entry.pk).exclude(jeugdige_id=None)
    assert lines.count() == count == action.count
    assert {line.parent_span_id for line in lines} == {action.span_id}
    assert {line.data_subject_id for line in lines} == {processing_log.data_subject_id(case.pk)}


@pytest.mark.parametrize(
    "text", ["tab\there", "back\\slash", "new\nline\r", "\\N", "€ ünïcode", "", "quote\"'"]
)
def test_copy_writes_any_text_as_insert_would(world, monkeypatch, text):
    need_services(postgres=True)
    monkeypatch.setattr(processing_log, "COPY_FROM", 1)
    entry = audit.record(audit.events.CASE_LIST_EXPORTED, user=world.user("kartrekker_a"))
    line = ProcessingRecord(
        trace_id="4bf92f3577b34da6a3ce929d0e0e4736",
        span_id="00f067aa0ba902b7",
        parent_span_id="",
        name=text,
        status="Ok",
        start_time=timezone.now(),
        end_time=timezone.now(),
        processing_activity_id=text,
        purpose="casusregie",
        data_subject_id=text,
        data_subject_id_type="",
        jeugdige_id=None,
        audit_event_id=entry.pk,
        event_type="case_list.exported",
    )
    varying = processing_log.LINE_VARYING
    common = {f: getattr(line, f) for f in LINE_FIELDS if f not in varying}
    row = tuple(getattr(line, f) for f in varying)
    assert processing_log._confirmed(entry, common, [row]) == 1
    (stored,) = ProcessingRecord.objects.filter(audit_event_id=entry.pk, span_id=line.span_id)
    for field in LINE_FIELDS:
        assert getattr(stored, field) == getattr(line, field), field
