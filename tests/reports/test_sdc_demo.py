"""The demo programme's real tables, as the landelijk team sees them, audited by LP.

``data/demo_tables.json`` holds the exact tables of ``manage.py seed_demo`` (75 regions): the
national dashboard's, the phase overview's key figures per region and every region dashboard's
(counts only, labels dropped). Regenerate it after changing the demo or the metrics:
``make demo`` then ``.venv/bin/python manage.py shell -c "from tests.reports.test_sdc_demo
import write_snapshot; write_snapshot()"``. ``WEL_DEMO_AUDIT=1`` also seeds the demo into the
test database and audits the live tables (about a minute of CPU).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from regions.models import Region
from reports import metrics, services
from reports.tables import HIDDEN, SMALL, Column, Row, Table, links, present

from .sdc_audit import assert_protected_together

SNAPSHOT_PATH = Path(__file__).parent / "data" / "demo_tables.json"
SNAPSHOT = json.loads(SNAPSHOT_PATH.read_text())


def write_snapshot() -> int:
    """Dump the exact tables of the database's demo into the snapshot; returns how many."""

    def counts(row):
        return [row.key] + [
            v if isinstance(v, int) and not isinstance(v, bool) else None for v in row[1:]
        ]

    def dump(t, scope):
        return {
            "scope": scope,
            "key": t.key,
            "columns": [
                [c.key, c.count, c.total, list(c.sums), [str(d) for d in c.period or ()]]
                for c in t.columns
            ],
            "rows": [counts(r) for r in t.rows],
            "total": counts(t.total) if t.total is not None else None,
        }

    start, end = services.default_period()
    span = metrics.Span.for_regions(None, start, end)
    out = [dump(t, "national") for t in metrics.national_figures(span) if t.sensitive]
    ids = list(Region.objects.filter(is_active=True).values_list("pk", flat=True))
    phase = metrics.Span.for_regions(ids, start, end)
    counts_ = metrics.jeugdige_counts(phase, by_region=True)
    out.append(dump(metrics.key_counts_per_region(phase, counts_), "phase"))
    for region in Region.objects.active().order_by("code"):
        start, end = services.default_period(region=region)
        span = metrics.Span.for_regions([region.pk], start, end)
        out += [dump(t, region.code) for t in metrics.region_figures(span) if t.sensitive]
    SNAPSHOT_PATH.write_text(json.dumps(out, separators=(",", ":")))
    return len(out)


def table(d: dict) -> Table:
    """A snapshot's table, by name as the metric made it (labels dropped)."""
    columns = [
        Column(key, key, count=count, total=total, sums=tuple(sums), period=_period(period))
        for key, count, total, sums, period in d["columns"]
    ]
    label = lambda row: Row(row[0], ["r", *row[1:]])  # noqa: E731
    return Table(
        key=d["key"],
        caption=d["key"],
        columns=columns,
        rows=[label(r) for r in d["rows"]],
        total=label(d["total"]) if d["total"] is not None else None,
    )


def _period(period: list) -> tuple | None:
    return tuple(date.fromisoformat(d) for d in period) or None


def audit(tables) -> int:
    """The tables as shown together (linked), audited together; how many cells are hidden."""
    shown = present(tables, suppress=True)
    pairs = [(e, s) for e, s in zip(tables, shown, strict=True) if e.sensitive]
    assert_protected_together(pairs, links(tables))
    return sum(v in (SMALL, HIDDEN) for _e, s in pairs for r in s.rows for v in r)


REGIONS = sorted({d["scope"] for d in SNAPSHOT} - {"national", "phase"})
# every sixth region by default (the linked LP audit costs about a second each on a loaded
# 2-core machine); WEL_DEMO_AUDIT=1: all 75
SAMPLE = REGIONS if os.environ.get("WEL_DEMO_AUDIT") else REGIONS[::6]


@pytest.mark.parametrize("scope", ["national", "phase", *SAMPLE])
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
