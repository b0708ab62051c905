"""``manage.py grant_app_role ROLE``: run by the owner role after ``migrate`` (PostgreSQL).

Two database roles (docs/security.md, "Two database roles"): the *owner* owns the schema and
runs the migrations; the *application* role that web, worker and beat log in with may read and
write the tables but on the audit table only ``SELECT, INSERT`` — so the running application
cannot ``UPDATE``, ``DELETE`` or ``TRUNCATE`` its own access log (NEN 7513: the log cannot be
altered by those it records). Safe to run again after every migration.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from wel.models import AuditEvent, ProcessingRecord


def grant_statements(role: str) -> list[str]:
    """The SQL that gives ``role`` the application's rights (quoted; PostgreSQL)."""
    r = connection.ops.quote_name(role)
    audit = connection.ops.quote_name(AuditEvent._meta.db_table)
    processing = connection.ops.quote_name(ProcessingRecord._meta.db_table)
    return [
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {r}",
        # Tables that later migrations create get the same rights without a new grant…
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {r}",
        # …but the audit log: read and append, nothing else.
        f"REVOKE ALL ON {audit} FROM {r}",
        f"GRANT SELECT, INSERT ON {audit} TO {r}",
        # The processing log (Logboek Dataverwerkingen) likewise.
        f"REVOKE ALL ON {processing} FROM {r}",
        f"GRANT SELECT, INSERT ON {processing} TO {r}",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
        # Retention: expired lines (older than five years) go only through this function of
        # the owner's (migration wel.0007), never through a DELETE of the application's own.
        f"GRANT EXECUTE ON FUNCTION wel_audit_purge(timestamptz) TO {r}",
    ]


class Command(BaseCommand):
    help = (
        "Grant the application's database role its rights: all tables read/write, the audit "
        "table SELECT and INSERT only. Run as the owner role after migrate (PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The application's database role, e.g. wel_app.")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL; SQLite has no roles.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"No database role {role!r}. Create it first (CREATE ROLE).")
            cursor.execute("SELECT current_user")
            if cursor.fetchone()[0] == role:
                raise CommandError("Run this as the owner role, not as the application role.")
            with transaction.atomic():
                for statement in grant_statements(role):
                    cursor.execute(statement)
        self.stdout.write(f"{role}: tables read/write; {AuditEvent._meta.db_table} SELECT, INSERT.")
