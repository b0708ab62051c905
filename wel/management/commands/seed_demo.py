"""Build (or bring up to date) a believable demo programme. Idempotent.

Each app contributes through its own ``<app>/demo.py`` with ``seed(*, stdout, scale)``, called in
INSTALLED_APPS order, so the core does not import the apps.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create the demo programme: regions, users, and (per app) its demo content."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="Also create this many extra jeugdigen for load tests (e.g. 100000).",
        )

    def handle(self, *args, scale: int, **options):
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            with transaction.atomic():
                module.seed(stdout=self.stdout, scale=scale)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
