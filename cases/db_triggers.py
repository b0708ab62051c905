"""The database triggers that replace a region's case token (``cases_casesversion``) whenever
rows of ``cases_jeugdige`` are inserted, updated or deleted, whoever writes them
(cases/counts.py).

**PostgreSQL**, in two steps, so that no writer holds a token while it works or waits:

1. Per statement (``AFTER INSERT``/``UPDATE``/``DELETE ... FOR EACH STATEMENT``, with transition
   tables), the regions the statement touched are noted in the transaction-local setting
   ``wel.case_regions``. This takes no lock; a rolled-back savepoint takes its notes back with it.
2. At COMMIT, a deferred constraint trigger (``DEFERRABLE INITIALLY DEFERRED``, per row) replaces
   the tokens: its first firing upserts every noted region in one statement, in region order
   (two commits that both touch several regions lock them in the same order); every later
   firing finds its region done (``wel.case_tokens``, stamped with the statement's start) and
   returns. So an import writing 50,000 rows in one transaction does not hold the region's other
   writers back while it runs, and a deleted account's several ``SET NULL`` statements cannot
   deadlock with an LPA's save (both found in review of a first, per-statement trigger).

The commit itself still takes as long as it takes: Django's foreign keys are checked at COMMIT
too, and behind a 50,000-row commit another writer of the region waited 0.4 s (insert) to 2 s
(delete) in review. With the trigger set ``IMMEDIATE`` (the tests do, as their transaction never
commits) the tokens are replaced after every statement.

**SQLite** (``make run``, ``make test`` without DATABASE_URL): row triggers. SQLite writes one
transaction at a time, so there is nothing to defer. Django rebuilds a SQLite table to alter it,
which drops its triggers; they are installed again after every ``migrate`` (cases/apps.py). A
data migration that writes cases after such a rebuild in the same run must call
:func:`install` first.

Until the trigger has run (the writing transaction commits) the old token stands, so counts read
inside a transaction are never cached (cases.counts.in_transaction). On PostgreSQL a migration
that writes cases leaves trigger events pending until its COMMIT, and PostgreSQL refuses to
ALTER the table while they are: write cases in a migration of their own, or run ``SET
CONSTRAINTS cases_jeugdige_token IMMEDIATE`` first. ``TRUNCATE`` fires no row trigger; the product
never truncates cases (the test runner does).
"""

from __future__ import annotations

TRIGGER = "cases_jeugdige_token"
OLD_ROWS, NEW_ROWS = "OLD TABLE AS old_rows", "NEW TABLE AS new_rows"
NOTE_TRIGGERS = {
    "cases_jeugdige_regions_ins": ("INSERT", f"REFERENCING {NEW_ROWS}"),
    "cases_jeugdige_regions_upd": ("UPDATE", f"REFERENCING {OLD_ROWS} {NEW_ROWS}"),
    "cases_jeugdige_regions_del": ("DELETE", f"REFERENCING {OLD_ROWS}"),
}
SQLITE_TRIGGERS = {
    "cases_jeugdige_token_ins": "INSERT",
    "cases_jeugdige_token_upd": "UPDATE",
    "cases_jeugdige_token_del": "DELETE",
}

# Constant texts (no values are put into them): names are spelled out.
POSTGRES_FUNCTIONS = [
    """
CREATE OR REPLACE FUNCTION cases_jeugdige_note_regions() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    touched text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT string_agg(DISTINCT region_id::text, ',') INTO touched FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT string_agg(DISTINCT region_id::text, ',') INTO touched FROM old_rows;
    ELSE
        SELECT string_agg(DISTINCT changed.region_id::text, ',') INTO touched
        FROM (SELECT region_id FROM new_rows UNION SELECT region_id FROM old_rows) AS changed;
    END IF;
    IF touched IS NOT NULL THEN
        PERFORM set_config(
            'wel.case_regions',
            coalesce(current_setting('wel.case_regions', true), '') || ',' || touched || ',',
            true
        );
    END IF;
    RETURN NULL;
END;
$$;
""",
    """
CREATE OR REPLACE FUNCTION cases_jeugdige_new_token() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    stamp text := statement_timestamp()::text;
    done text := coalesce(current_setting('wel.case_tokens', true), '');
    own bigint[];
    region bigint;
    pending boolean := false;
    wanted bigint[];
BEGIN
    IF split_part(done, '|', 1) IS DISTINCT FROM stamp THEN
        done := stamp || '|,';
    END IF;
    IF TG_OP = 'INSERT' THEN
        own := ARRAY[NEW.region_id];
    ELSIF TG_OP = 'DELETE' THEN
        own := ARRAY[OLD.region_id];
    ELSE
        own := ARRAY[NEW.region_id, OLD.region_id];
    END IF;
    FOREACH region IN ARRAY own LOOP
        IF strpos(done, ',' || region || ',') = 0 THEN
            pending := true;
        END IF;
    END LOOP;
    IF NOT pending THEN
        RETURN NULL;  -- every later row of this commit
    END IF;
    SELECT array_agg(DISTINCT candidate ORDER BY candidate) INTO wanted
    FROM (
        SELECT noted::bigint AS candidate
        FROM unnest(string_to_array(current_setting('wel.case_regions', true), ',')) AS noted
        WHERE noted <> ''
        UNION
        SELECT unnest(own)
    ) AS regions
    WHERE strpos(done, ',' || candidate || ',') = 0;
    IF wanted IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO cases_casesversion (region_id, token)
    SELECT candidate, gen_random_uuid() FROM unnest(wanted) AS candidate ORDER BY candidate
    ON CONFLICT (region_id) DO UPDATE SET token = EXCLUDED.token;
    PERFORM set_config('wel.case_tokens', done || array_to_string(wanted, ',') || ',', true);
    RETURN NULL;
END;
$$;
""",
]
POSTGRES_TRIGGERS = {
    TRIGGER: (
        "CREATE CONSTRAINT TRIGGER cases_jeugdige_token AFTER INSERT OR UPDATE OR DELETE "
        "ON cases_jeugdige DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "EXECUTE FUNCTION cases_jeugdige_new_token()"
    ),
    **{
        name: (
            f"CREATE TRIGGER {name} AFTER {event} ON cases_jeugdige {referencing} "
            "FOR EACH STATEMENT EXECUTE FUNCTION cases_jeugdige_note_regions()"
        )
        for name, (event, referencing) in NOTE_TRIGGERS.items()
    },
}
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
                "AND tgname LIKE 'cases_jeugdige_%%'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'cases_jeugdige' AND name LIKE 'cases_jeugdige_%'"
            )
        return {row[0] for row in cursor.fetchall()}


def expected(connection) -> set[str]:
    return set(POSTGRES_TRIGGERS if connection.vendor == "postgresql" else SQLITE_TRIGGERS)


def install(connection) -> None:
    """(Re)create the functions and create the triggers that are missing; idempotent. Raises
    ``NotImplementedError`` on a database other than PostgreSQL or SQLite (cached counts would
    go stale there)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"WEL runs on PostgreSQL or SQLite, not on {connection.vendor}.")
    missing = expected(connection) - installed(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for function in POSTGRES_FUNCTIONS:
                cursor.execute(function)
            for name in sorted(missing):
                cursor.execute(POSTGRES_TRIGGERS[name])
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
            for name in POSTGRES_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON cases_jeugdige")
            cursor.execute("DROP FUNCTION IF EXISTS cases_jeugdige_new_token()")
            cursor.execute("DROP FUNCTION IF EXISTS cases_jeugdige_note_regions()")
        else:
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
