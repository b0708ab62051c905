"""Retention of the audit log: the append-only trigger lets a DELETE through only for lines
older than five years (NEN 7513's minimum), and only inside a transaction that declared a
retention purge (``SET LOCAL wel.audit_retention_purge = 'on'``, cases/retention.py).
UPDATE stays refused always, and so does deleting any younger line.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION wel_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('wel.audit_retention_purge', true) = 'on'
       AND OLD.occurred_at < now() - interval '5 years' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'wel_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS = """
CREATE OR REPLACE FUNCTION wel_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'wel_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS, params=None)


class Migration(migrations.Migration):
    dependencies = [("wel", "0003_auth_email_case_insensitive")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
