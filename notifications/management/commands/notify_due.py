"""What the daily beat task does, for operators: ``manage.py notify_due [--digests]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications import due, mail, services
from notifications.models import EmailChoice


class Command(BaseCommand):
    help = (
        "Notify the assigned LPAs of renewals, contacts and next steps that are due soon or "
        "overdue (once per item per state; running it twice makes no duplicates)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--digests",
            choices=[EmailChoice.DAILY, EmailChoice.WEEKLY],
            help="Also send the daily or weekly e-mail digests.",
        )

    def handle(self, *args, digests=None, **options):
        services.recount_all()
        result = due.notify_due()
        self.stdout.write(f"checked {result.checked}, notified {result.notified}")
        if digests:
            sent = mail.send_digests(choice=digests)
            self.stdout.write(f"e-mails sent: {sent}")
