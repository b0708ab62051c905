"""Audit events get a registered type (wel/audit_events.py) and their changes as old/new values.

Old lines are not backfilled: they keep an empty type and are shown as before, by their NEN 7513
action and the free text in ``data``. Giving them a type would be an UPDATE of the log, which the
append-only trigger (0002, 0004) refuses, rightly: NEN 7513 asks for a log nobody can alter, and
switching the trigger off inside a migration would make "UPDATE is always refused" untrue for
every line written so far. Adding the two columns changes no row and fires no row trigger
(PostgreSQL keeps the constant default in its catalogue). The defaults stay in the database, so a
process of the previous release still running during a deploy goes on writing its lines. Old
lines leave the log with the retention purge, five years after they were written.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wel', '0007_retain_audit_purge_function'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='changes',
            field=models.JSONField(blank=True, db_default=[], default=list, verbose_name='changes'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='event_type',
            field=models.CharField(blank=True, db_default='', max_length=60, verbose_name='event type'),
        ),
    ]
