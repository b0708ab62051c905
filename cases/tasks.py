"""Celery tasks of the cases app. Thin: they call services."""

from __future__ import annotations

from celery import shared_task

from . import retention


@shared_task(name="cases.apply_retention")
def apply_retention() -> dict:
    """Daily (beat): destroy closed cases and purge audit lines past their retention term."""
    result = retention.retention_apply(operator_label="bewaartermijn (geplande taak)")
    return {"cases": result.cases, "audit_lines": result.audit_lines}
