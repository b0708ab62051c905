"""The application role may purge expired audit lines without holding DELETE on the table.

``wel_audit_purge(before)`` runs with the rights of its owner (the migration role), declares the
retention purge for the append-only trigger (migration 0004) and deletes only lines older than
both ``before`` and five years (NEN 7513's minimum). Nobody may execute it until
``manage.py grant_app_role`` grants the application role EXECUTE (docs/security.md).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION wel_audit_purge(before timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    deleted bigint;
BEGIN
    PERFORM set_config('wel.audit_retention_purge', 'on', true);
    DELETE FROM public.wel_auditevent
        WHERE occurred_at < LEAST(before, now() - interval '5 years');
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM set_config('wel.audit_retention_purge', 'off', true);
    RETURN deleted;
END;
$$;
REVOKE ALL ON FUNCTION wel_audit_purge(timestamptz) FROM PUBLIC;
"""

DROP = "DROP FUNCTION IF EXISTS wel_audit_purge(timestamptz);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("wel", "0006_audit_password_set_action")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
