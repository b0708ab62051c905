"""The demo programme's real tables, as the landelijk team sees them, audited by LP.

``data/demo_tables.json`` holds the exact tables of ``manage.py seed_demo`` (75 regions): the
national dashboard's, the phase overview's key figures per region and every region dashboard's
(counts only, labels dropped). Regenerate it after changing the demo or the metrics with the
snippet in docs/reports.md ("Statistical disclosure control", tests). ``WEL_DEMO_AUDIT=1`` also
seeds the demo into the test database and audits the live tables (about a minute of CPU).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from regions.models import Region
from reports import metrics, services
from reports.tables import HIDDEN, SMALL, Table

from .sdc_audit import assert_protected

SNAPSHOT = json.loads((Path(__file__).parent / "data" / "demo_tables.json").read_text())


def table(d: dict) -> Table:
    label = lambda row: ["r", *row[1:]]  # noqa: E731
    return Table(
        key=d["key"],
        caption=d["key"],
        columns=[""] * len(d["rows"][0] if d["rows"] else d["total"] or [""]),
        rows=[label(r) for r in d["rows"]],
        total=label(d["total"]) if d["total"] is not None else None,
        count_columns=tuple(d["count_columns"]),
        row_total_column=d["row_total_column"],
    )


def audit(tables) -> int:
    hidden = 0
    for exact in tables:
        if not exact.sensitive:
            continue
        shown = exact.suppress()
        assert_protected(exact, shown)
        hidden += sum(v in (SMALL, HIDDEN) for r in shown.rows for v in r)
    return hidden


@pytest.mark.parametrize(
    "scope", ["national", "phase", *sorted({d["scope"] for d in SNAPSHOT} - {"national", "phase"})]
)
def test_the_demos_tables_are_protected(scope):
    tables = [table(d) for d in SNAPSHOT if d["scope"] == scope]
    assert tables
    hidden = audit(tables)
    if scope in ("national", "phase"):
        assert hidden > 0  # there is something to protect


@pytest.mark.skipif(not os.environ.get("WEL_DEMO_AUDIT"), reason="set WEL_DEMO_AUDIT=1")
@pytest.mark.django_db
def test_the_live_demo_is_protected():
    call_command("seed_demo", verbosity=0)
    start, end = services.default_period()
    assert audit(metrics.national_figures(metrics.Span.for_regions(None, start, end))) > 0
    for region in Region.objects.active().order_by("code"):
        start, end = services.default_period(region=region)
        audit(metrics.region_figures(metrics.Span.for_regions([region.pk], start, end)))
