"""On PostgreSQL the audit table refuses UPDATE and DELETE (NEN 7513: an unalterable log).

TRUNCATE is a table-level privilege, not a row change: in production the application's database
role must not own the table (docs/security.md). The test runner's flush relies on TRUNCATE.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION wel_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'wel_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS wel_auditevent_append_only ON wel_auditevent;
CREATE TRIGGER wel_auditevent_append_only
    BEFORE UPDATE OR DELETE ON wel_auditevent
    FOR EACH ROW EXECUTE FUNCTION wel_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS wel_auditevent_append_only ON wel_auditevent;
DROP FUNCTION IF EXISTS wel_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("wel", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
