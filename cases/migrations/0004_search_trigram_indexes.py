"""Trigram indexes for the case list search (PostgreSQL only).

The search is ``icontains`` on reference, given name and family name, which Django writes as
``UPPER(col::text) LIKE UPPER('%word%')``: no B-tree index can serve a leading wildcard, so every
search read the whole region. GIN trigram indexes on exactly those expressions can. They need the
``pg_trgm`` extension (a trusted contrib extension); where it is not available or the database user
may not create it, or on SQLite, the migration does nothing and the search works as before, only
slower.
"""

from django.db import DatabaseError, migrations, transaction

COLUMNS = {
    "jeugdige_reference_trgm": "reference",
    "jeugdige_given_name_trgm": "given_name",
    "jeugdige_family_name_trgm": "family_name",
}


def _trgm_ready(connection) -> bool:
    """pg_trgm is installed, or available and this database user may install it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT installed_version FROM pg_available_extensions WHERE name = 'pg_trgm'"
        )
        row = cursor.fetchone()
    if row is None:
        return False
    if row[0] is not None:
        return True
    try:
        # In a savepoint: when the user may not create extensions, only this is rolled back.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return False
    return True


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _trgm_ready(schema_editor.connection):
        return
    for name, column in COLUMNS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_jeugdige "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
    schema_editor.execute("ANALYZE cases_jeugdige")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_worklist_open_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
