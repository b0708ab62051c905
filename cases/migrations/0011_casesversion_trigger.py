"""The database itself replaces a region's case token (CasesVersion) on every write to one of
its jeugdigen, in the same transaction (cases/counts.py).

Until now every writer had to call ``cases.counts.cases_changed``; a write that did not (a
``QuerySet.update``, a ``bulk_update``, the ``SET NULL`` of ``assigned_lpa`` when a beheerder
deletes an account, a future writer) left the region's cached counts stale. A trigger cannot be
forgotten by a writer.

- PostgreSQL: one statement-level trigger per event (``AFTER INSERT``/``UPDATE``/``DELETE ... FOR
  EACH STATEMENT`` with transition tables), so a bulk write of 100,000 rows replaces each
  region's token once. The regions are upserted in pk order, so writers lock them in one order.
- SQLite (``make run``, ``make test`` without DATABASE_URL): row-level triggers, each an upsert.

``TRUNCATE`` is not covered: the product never truncates cases (only the test runner does).
"""

from django.db import migrations

TOKEN_FUNCTION = "cases_jeugdige_new_token"
EVENTS = {"ins": "INSERT", "upd": "UPDATE", "del": "DELETE"}

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TOKEN_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cases_casesversion (region_id, token)
        SELECT changed.region_id, gen_random_uuid()
        FROM (SELECT DISTINCT region_id FROM new_rows) AS changed
        ORDER BY changed.region_id
        ON CONFLICT (region_id) DO UPDATE SET token = EXCLUDED.token;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO cases_casesversion (region_id, token)
        SELECT changed.region_id, gen_random_uuid()
        FROM (SELECT region_id FROM new_rows UNION SELECT region_id FROM old_rows) AS changed
        ORDER BY changed.region_id
        ON CONFLICT (region_id) DO UPDATE SET token = EXCLUDED.token;
    ELSE
        INSERT INTO cases_casesversion (region_id, token)
        SELECT changed.region_id, gen_random_uuid()
        FROM (SELECT DISTINCT region_id FROM old_rows) AS changed
        ORDER BY changed.region_id
        ON CONFLICT (region_id) DO UPDATE SET token = EXCLUDED.token;
    END IF;
    RETURN NULL;
END;
$$;
"""
POSTGRES_REFERENCING = {
    "ins": "REFERENCING NEW TABLE AS new_rows",
    "upd": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "del": "REFERENCING OLD TABLE AS old_rows",
}

SQLITE_UPSERT = (
    "INSERT INTO cases_casesversion (region_id, token) "
    "VALUES ({row}.region_id, lower(hex(randomblob(16)))) "
    "ON CONFLICT (region_id) DO UPDATE SET token = excluded.token;"
)
SQLITE_ROWS = {"ins": ["NEW"], "upd": ["OLD", "NEW"], "del": ["OLD"]}


def _trigger(key: str) -> str:
    return f"cases_jeugdige_token_{key}"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for key, event in EVENTS.items():
            schema_editor.execute(
                f"CREATE TRIGGER {_trigger(key)} AFTER {event} ON cases_jeugdige "
                f"{POSTGRES_REFERENCING[key]} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {TOKEN_FUNCTION}()"
            )
    elif vendor == "sqlite":
        for key, event in EVENTS.items():
            body = " ".join(SQLITE_UPSERT.format(row=row) for row in SQLITE_ROWS[key])
            schema_editor.execute(
                f"CREATE TRIGGER {_trigger(key)} AFTER {event} ON cases_jeugdige "
                f"FOR EACH ROW BEGIN {body} END"
            )
    else:  # the counts of cases.counts would go stale without the trigger
        raise NotImplementedError(f"WEL runs on PostgreSQL or SQLite, not on {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for key in EVENTS:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(key)} ON cases_jeugdige")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(key)}")
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {TOKEN_FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_family_timeline_kind"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
