"""``manage.py apply_retention --user EMAIL [--dry-run]``: destroy closed cases and purge audit
lines whose retention term has passed (cases/retention.py; the same as the daily beat task).

The dry run lists what would go, by pseudonymous reference; the real run prints counts only and
writes one audit line with the operator's identity.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from cases import retention
from wel import audit


class Command(BaseCommand):
    help = "Destroy closed cases and audit lines past their retention term (or list them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            required=True,
            help="E-mail address of the operator running this (recorded in the audit log).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be destroyed; change nothing."
        )

    def handle(self, *args, user: str, dry_run: bool, **options):
        operator = (
            get_user_model().objects.filter(email__iexact=user.strip(), is_active=True).first()
        )
        if operator is None:
            raise CommandError(
                f"No active user with e-mail address {user!r}: give your own account with --user."
            )
        try:
            if dry_run:
                plan = retention.retention_plan()
                audit.record(
                    audit.events.RETENTION_PREVIEWED,
                    user=operator,
                    detail={"expired": len(plan.expired), "open": len(plan.open_past_term)},
                )
                self._print_plan(plan)
                return
            result = retention.retention_apply(operator_label=operator.email, user=operator)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Destroyed {result.cases} closed case(s) past their retention term "
            f"({', '.join(f'{k}: {v}' for k, v in result.counts.items()) or 'nothing linked'}); "
            f"purged {result.audit_lines} audit line(s)."
        )
        if result.open_past_term:
            self.stdout.write(
                f"{result.open_past_term} open case(s) are past their term and were kept: "
                "close them first (see --dry-run)."
            )

    def _print_plan(self, plan: retention.RetentionPlan) -> None:
        self.stdout.write(f"Dry run on {plan.today:%d-%m-%Y}: nothing is changed.")
        self.stdout.write(f"Closed cases past their retention term: {len(plan.expired)}")
        for case in plan.expired:
            closed = f"{case.closed_on:%d-%m-%Y}" if case.closed_on else "-"
            self.stdout.write(
                f"  {case.reference}  {case.region}  {case.grondslag}  closed {closed}  "
                f"term ended {case.retention_ended:%d-%m-%Y}"
            )
        self.stdout.write(
            f"Open cases past their term (kept; close them first): {len(plan.open_past_term)}"
        )
        for case in plan.open_past_term:
            self.stdout.write(
                f"  {case.reference}  {case.region}  term ended {case.retention_ended:%d-%m-%Y}"
            )
        self.stdout.write(
            f"Audit lines before {plan.audit_before:%d-%m-%Y %H:%M}: {plan.audit_lines}"
        )
