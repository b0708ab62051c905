"""Celery tasks of the job machinery. Thin: they call jobs.services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="jobs.sweep")
def sweep() -> dict:
    """Every minute (beat): retry or give up jobs whose worker died; delete abandoned files."""
    swept = services.sweep()
    return {"retried": swept.retried, "given_up": swept.given_up, "lost": swept.lost,
            "files": swept.files}  # fmt: skip
