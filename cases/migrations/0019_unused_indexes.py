"""Indexes no query reads, dropped: each was written for every case saved or imported
(issue 23; the import of 20,000 cases wrote 25 indexes of ``cases_jeugdige`` and 10 of its
history).

- The trigram indexes on ``UPPER(given_name)`` and ``UPPER(family_name)`` (migration 0004, on
  PostgreSQL with ``pg_trgm``): the search reads ``search_name`` since migration 0015, with its
  own trigram index. The reference's trigram index stays: the search still reads it. Reversing
  recreates the two where ``pg_trgm`` is installed.
- The history's indexes on its copies of region, gemeente, LPA, creator and reference (and the
  reference's pattern index): the history is read per case, by ``id``, only.
- ``cases_timelineentry.at``: the timeline is read per case (its jeugdige index), never across
  cases by moment.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "jeugdige_given_name_trgm": "given_name",
    "jeugdige_family_name_trgm": "family_name",
}


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def recreate_trigram_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_jeugdige "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_transfer"),
        ("regions", "0006_docs_letterhead"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_trigram_indexes, recreate_trigram_indexes),
        migrations.AlterField(
            model_name="historicaljeugdige",
            name="assigned_lpa",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="assigned leerplichtambtenaar",
            ),
        ),
        migrations.AlterField(
            model_name="historicaljeugdige",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="historicaljeugdige",
            name="gemeente",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="regions.gemeente",
                verbose_name="municipality",
            ),
        ),
        migrations.AlterField(
            model_name="historicaljeugdige",
            name="reference",
            field=models.CharField(editable=False, max_length=20, verbose_name="reference"),
        ),
        migrations.AlterField(
            model_name="historicaljeugdige",
            name="region",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="regions.region",
                verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="timelineentry",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
        ),
    ]
