"""The token table without a foreign-key constraint (cases.models.CasesVersion). SQLite rebuilds
the table for this, and its triggers on cases_jeugdige name it, so they are taken off first and
put back after (cases/db_triggers.py)."""

import django.db.models.deletion
from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    from cases import db_triggers

    db_triggers.uninstall(schema_editor.connection)


def create_triggers(apps, schema_editor):
    from cases import db_triggers

    db_triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_casesversion_trigger"),
        ("regions", "0004_harden_plausible_dates"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers, elidable=False),
        migrations.AlterField(
            model_name="casesversion",
            name="region",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="+",
                serialize=False,
                to="regions.region",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
