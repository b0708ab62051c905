from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

TRIGGER_MIGRATION = ("cases", "0011_casesversion_trigger")


def _reinstall_token_trigger(sender, using, **kwargs) -> None:
    """After every ``migrate``: the case-token triggers exist, with the current functions,
    whenever their migration is applied (not before it, nor after it was reversed). SQLite
    drops a table's triggers when Django rebuilds the table to alter it; cases/db_triggers.py."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from . import db_triggers

    connection = connections[using]
    if TRIGGER_MIGRATION in MigrationRecorder(connection).applied_migrations():
        db_triggers.install(connection)  # the current functions; the triggers that are missing


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Names of jeugdigen and betrokkenen for the check on text that leaves a region.
        from wel.shared_text import register_name_source

        from .names import names_in_text

        register_name_source(names_in_text)
        post_migrate.connect(
            _reinstall_token_trigger, sender=self, dispatch_uid="cases.token_trigger"
        )
