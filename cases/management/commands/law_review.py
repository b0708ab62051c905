"""``manage.py law_review [--region CODE]``: check every case against the conditions of its
grondslag (``cases.rules.CONDITIONS``) and update the review list the worklist shows; prints
how many cases break which condition, with their references. Writes no case."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cases.models import Jeugdige, RuleFinding
from cases.review import review_all
from regions.models import Region


class Command(BaseCommand):
    help = "List the cases whose recorded values do not meet the law, for review."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="Only this region (code, e.g. VO2202).")

    def handle(self, *args, region: str | None = None, **options):
        region_ids = None
        if region:
            found = Region.objects.filter(code=region).values_list("pk", flat=True)
            if not found:
                raise CommandError(f"No region with code {region!r}. See the region list.")
            region_ids = list(found)
        report = review_all(Jeugdige, RuleFinding, region_ids=region_ids)
        for line in report.lines():
            self.stdout.write(line)
