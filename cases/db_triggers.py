"""The database trigger that replaces a region's case token (``cases_casesversion``) whenever a
row of ``cases_jeugdige`` is inserted, updated or deleted, whoever writes it (cases/counts.py).

- **PostgreSQL**: a deferred constraint trigger (``DEFERRABLE INITIALLY DEFERRED``, per row). It
  runs at COMMIT, so the token row is locked only for the moment of the commit: an import
  writing thousands of cases in one transaction does not hold every other writer of its region
  back, and no transaction holds the token while it waits for a case row (no deadlock between
  writers that lock cases in different orders). Each region's token is replaced once per commit,
  however many of its rows changed (the regions done are kept in the transaction-local setting
  ``wel.case_tokens``, stamped with the statement's start, so with the trigger set ``IMMEDIATE``,
  as the tests do, it is once per statement).
- **SQLite** (``make run``, ``make test`` without DATABASE_URL): row triggers. SQLite writes one
  transaction at a time, so there is nothing to defer. Django rebuilds a SQLite table to alter
  it, which drops its triggers, so they are installed again after every ``migrate``
  (cases/apps.py).

``TRUNCATE`` fires no row trigger; the product never truncates cases (the test runner does).
Until the trigger has run (the writing transaction commits), the old token stands: counts read
inside a transaction are therefore never cached (cases.counts.cached).
"""

from __future__ import annotations

TRIGGER = "cases_jeugdige_token"
FUNCTION = "cases_jeugdige_new_token"
SQLITE_TRIGGERS = {
    "cases_jeugdige_token_ins": "INSERT",
    "cases_jeugdige_token_upd": "UPDATE",
    "cases_jeugdige_token_del": "DELETE",
}

# Constant text (no values are put into it): the function's name is spelled out.
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION cases_jeugdige_new_token() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    stamp text := statement_timestamp()::text;
    done text := coalesce(current_setting('wel.case_tokens', true), '');
    regions bigint[];
    region bigint;
BEGIN
    IF split_part(done, '|', 1) IS DISTINCT FROM stamp THEN
        done := stamp || '|,';
    END IF;
    IF TG_OP = 'INSERT' THEN
        regions := ARRAY[NEW.region_id];
    ELSIF TG_OP = 'DELETE' THEN
        regions := ARRAY[OLD.region_id];
    ELSE
        regions := ARRAY[NEW.region_id, OLD.region_id];
    END IF;
    FOREACH region IN ARRAY regions LOOP
        IF strpos(done, ',' || region || ',') = 0 THEN
            INSERT INTO cases_casesversion (region_id, token)
            VALUES (region, gen_random_uuid())
            ON CONFLICT (region_id) DO UPDATE SET token = EXCLUDED.token;
            done := done || region || ',';
        END IF;
    END LOOP;
    PERFORM set_config('wel.case_tokens', done, true);
    RETURN NULL;
END;
$$;
"""
POSTGRES_TRIGGER = (
    f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON cases_jeugdige "
    f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
)
SQLITE_UPSERT = (
    "INSERT INTO cases_casesversion (region_id, token) "
    "VALUES ({row}.region_id, lower(hex(randomblob(16)))) "
    "ON CONFLICT (region_id) DO UPDATE SET token = excluded.token;"
)
SQLITE_ROWS = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}


def installed(connection) -> set[str]:
    """Names of the token triggers present on ``cases_jeugdige`` (one query)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'cases_jeugdige'::regclass "
                "AND tgname LIKE %s",
                [f"{TRIGGER}%"],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'cases_jeugdige' AND name LIKE %s",
                [f"{TRIGGER}%"],
            )
        return {row[0] for row in cursor.fetchall()}


def expected(connection) -> set[str]:
    return {TRIGGER} if connection.vendor == "postgresql" else set(SQLITE_TRIGGERS)


def install(connection) -> None:
    """Create the function and trigger(s) that are missing. Raises ``NotImplementedError`` on a
    database other than PostgreSQL or SQLite (cached counts would go stale there)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"WEL runs on PostgreSQL or SQLite, not on {connection.vendor}.")
    missing = expected(connection) - installed(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            if missing:
                cursor.execute(POSTGRES_TRIGGER)
            return
        for name in sorted(missing):
            event = SQLITE_TRIGGERS[name]
            body = " ".join(SQLITE_UPSERT.format(row=row) for row in SQLITE_ROWS[event])
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON cases_jeugdige "
                f"FOR EACH ROW BEGIN {body} END"
            )


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON cases_jeugdige")
            cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
        else:
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
