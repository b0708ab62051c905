"""The database itself replaces a region's case token (CasesVersion) on every write to one of
its jeugdigen (cases/db_triggers.py, cases/counts.py).

Until now every writer had to call ``cases.counts.cases_changed``; a write that did not (a
``QuerySet.update``, a ``bulk_update``, the ``SET NULL`` of ``assigned_lpa`` when a beheerder
deletes an account, a future writer) left the region's cached counts stale. A trigger cannot be
forgotten by a writer.
"""

from django.db import migrations


def create_trigger(apps, schema_editor):
    from cases import db_triggers

    db_triggers.install(schema_editor.connection)


def drop_trigger(apps, schema_editor):
    from cases import db_triggers

    db_triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_family_timeline_kind"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
