"""The search box (issue 21 §1): ``search_name`` (given and family name, lower case, without
accents) filled for every case, an index for the search by date of birth, and on PostgreSQL
with ``pg_trgm`` (migration 0004) a trigram index on ``search_name`` so a name search does not
read the whole region."""

from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def fill_search_name(apps, schema_editor):
    from cases.search import search_name_of

    Jeugdige = apps.get_model("cases", "Jeugdige")
    rows = Jeugdige.objects.order_by("pk").values_list("pk", "given_name", "family_name")
    batch = []
    for pk, given, family in rows.iterator(chunk_size=BATCH):
        batch.append(Jeugdige(pk=pk, search_name=search_name_of(given, family)))
        if len(batch) >= BATCH:
            Jeugdige.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Jeugdige.objects.bulk_update(batch, ["search_name"])


def trigram_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS jeugdige_search_name_trgm ON cases_jeugdige "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS jeugdige_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_law_review"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="jeugdige",
            name="search_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=300),
        ),
        migrations.AddIndex(
            model_name="jeugdige",
            index=models.Index(fields=["region", "date_of_birth"], name="jeugdige_region_birth"),
        ),
        # The index before the fill: on PostgreSQL the fill's UPDATEs leave the count-token
        # trigger's deferred events pending until COMMIT, and PostgreSQL refuses to CREATE INDEX
        # on a table with pending trigger events (docs/cases.md, "data migrations").
        migrations.RunPython(trigram_index, drop_trigram_index),
        migrations.RunPython(fill_search_name, migrations.RunPython.noop, elidable=True),
    ]
