"""Records that break a rule of the law they were saved before: found, listed, never rewritten.

``review_all`` checks every case against :data:`cases.rules.CONDITIONS` and brings the review
list (``RuleFinding``) in line: a finding is added for each condition a case does not meet and
removed once it does; a warning someone confirmed stays confirmed. It writes no case. The
data migration ``0014_law_review`` runs it once over the existing records and prints its report;
``manage.py law_review`` runs it again (e.g. after WEL_ADVICE_REQUIRED_FROM is set) and prints
the same report. The LPA finds each case on the worklist ("To review"), the kartrekker a count
for the region.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from . import rules

FIELDS = ("pk", "reference", "region_id", *rules.Facts.__dataclass_fields__)
BATCH = 2000


@dataclass
class ReviewReport:
    checked: int = 0
    added: int = 0
    removed: int = 0
    by_code: Counter = field(default_factory=Counter)
    references: dict[str, list[str]] = field(default_factory=dict)

    def lines(self, *, limit: int = 20) -> list[str]:
        """The report in plain lines (English; the migration's and the command's output)."""
        out = [
            f"Checked {self.checked} cases against the conditions of their grondslag: "
            f"{sum(self.by_code.values())} findings ({self.added} new, {self.removed} resolved)."
        ]
        for code in rules.CONDITION_CODES:
            n = self.by_code.get(code, 0)
            if n:
                refs = self.references.get(code, [])
                more = f" and {n - len(refs)} more" if n > len(refs) else ""
                out.append(f"  {code}: {n} ({', '.join(refs[:limit])}{more})")
        return out


def review_all(jeugdige_model, finding_model, *, region_ids=None, on=None) -> ReviewReport:
    """Check every case (of ``region_ids``, or all) and update the review list; models are
    passed in so that the data migration can use its historical ones."""
    report = ReviewReport()
    found_on = on or timezone.localdate()
    required_from = settings.WEL_ADVICE_REQUIRED_FROM
    qs = jeugdige_model.objects.order_by("pk")
    if region_ids is not None:
        qs = qs.filter(region_id__in=list(region_ids))
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last).values(*FIELDS)[:BATCH])
        if not batch:
            break
        last = batch[-1]["pk"]
        ids = [row["pk"] for row in batch]
        existing: dict[tuple[int, str], object] = {
            (f.jeugdige_id, f.code): f for f in finding_model.objects.filter(jeugdige_id__in=ids)
        }
        keep: set[tuple[int, str]] = set()
        new = []
        for row in batch:
            report.checked += 1
            for finding in rules.findings(rules.Facts.of(row), advice_required_from=required_from):
                key = (row["pk"], finding.code)
                keep.add(key)
                report.by_code[finding.code] += 1
                report.references.setdefault(finding.code, [])
                if len(report.references[finding.code]) < 20:
                    report.references[finding.code].append(row["reference"])
                if key not in existing:
                    new.append(
                        finding_model(
                            jeugdige_id=row["pk"],
                            code=finding.code,
                            level=finding.level,
                            found_on=found_on,
                        )
                    )
        stale = [f.pk for key, f in existing.items() if key not in keep]
        if stale:
            finding_model.objects.filter(pk__in=stale).delete()
        finding_model.objects.bulk_create(new, batch_size=BATCH)
        report.added += len(new)
        report.removed += len(stale)
    return report
