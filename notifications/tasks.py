"""Celery tasks of notifications. Thin: they call the services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import due, mail, services
from .models import EmailChoice


@shared_task(name="notifications.daily")
def daily() -> dict:
    """Daily: the unread counts checked, the due and overdue notices, then the daily digests
    (and on Mondays the weekly ones)."""
    services.recount_all()  # notices that went with their case (retention)
    result = due.notify_due()
    sent = mail.send_digests(choice=EmailChoice.DAILY)
    if timezone.localdate().weekday() == 0:
        sent += mail.send_digests(choice=EmailChoice.WEEKLY)
    return {"notified": result.notified, "emails": sent}
