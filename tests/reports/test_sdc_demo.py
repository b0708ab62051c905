"""The demo programme's real tables, as the landelijk team sees them, audited by LP."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from regions.models import Region
from reports import metrics, services
from reports.tables import HIDDEN, SMALL

from .sdc_audit import assert_protected


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        yield
        call_command("flush", interactive=False, verbosity=0)


def audit(tables) -> int:
    hidden = 0
    for exact in tables:
        if not exact.sensitive:
            continue
        shown = exact.suppress()
        assert_protected(exact, shown)
        hidden += sum(v in (SMALL, HIDDEN) for r in shown.rows for v in r)
    return hidden


@pytest.mark.django_db
def test_national_tables_of_the_demo_are_protected(demo):
    start, end = services.default_period()
    span = metrics.Span.for_regions(None, start, end)
    assert audit(metrics.national_figures(span)) > 0  # the demo has small cells to protect


@pytest.mark.django_db
def test_region_tables_of_the_demo_are_protected(demo):
    regions = list(Region.objects.active().order_by("code"))
    hidden = 0
    for region in regions[:: max(1, len(regions) // 12)]:  # a dozen regions, spread out
        start, end = services.default_period(region=region)
        span = metrics.Span.for_regions([region.pk], start, end)
        hidden += audit(metrics.region_figures(span))
    assert hidden > 0
