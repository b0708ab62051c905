"""Retention (bewaartermijnen) of case records and audit lines.

Rule and sources:

- **Case records.** AVG (GDPR) art. 5(1)(e): personal data is kept no longer than needed for
  its purpose. For leerplicht records the municipal selectielijst (Selectielijst gemeenten en
  intergemeentelijke organen, VNG/Nationaal Archief) sets the term the municipality applies;
  the product's default is **19 years after the date of birth**, configurable per grondslag
  (``WEL_RETENTION_YEARS_AFTER_BIRTH``, ``WEL_RETENTION_YEARS_PER_GRONDSLAG``). Each municipality
  checks the term against the selectielijst version it has adopted (docs/security.md).
- Only **closed** cases are destroyed. An open case past its term is listed for the user to
  close first: the law that made the record needed (Leerplichtwet) has then long ended, but
  destroying a file somebody is still working on is never silent.
- **Audit lines** (NEN 7513 access log) are kept ``WEL_AUDIT_RETENTION_YEARS`` (default and
  minimum 5) years. The database itself refuses to delete younger lines (migrations
  ``wel.0004`` and ``wel.0007``).

What "destroy" means here: the case row, its betrokkenen, activities, contact moments,
timeline, interviews with their next steps, its documents with their files (registered by the
documents app, :func:`register_destroy_hook`; the files leave storage once the run commits),
and its field history (django-simple-history) are deleted in one transaction. Belemmerende
factoren and moreel beraad sessions are region content: they stay, unlinked from the case.
Report PDFs already built are not touched (their aggregates stay as they were). What remains
of the case is its pseudonymous reference in audit lines, which go by their own term. The run
writes one audit line of its own with counts, no content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from wel import audit
from wel.models import AuditEvent

from .models import Grondslag, Jeugdige, Status
from .rules import add_years, born_on_or_before

#: NEN 7513 asks for access logs to be kept at least five years; the database trigger that
#: allows purging expired lines holds the same floor (migration wel.0004).
AUDIT_MINIMUM_YEARS = 5

#: What apps above ``cases`` keep of a case beyond rows (a document's file in storage): each
#: registers a function that destroys it (``documents`` in its ``AppConfig.ready``). Called
#: inside the run's transaction with the ids of the cases about to be destroyed, before their
#: rows go; returns counts by label (no content). Deletes files only once the run commits.
DestroyHook = Callable[[list[int]], dict[str, int]]
_DESTROY_HOOKS: list[DestroyHook] = []


def register_destroy_hook(hook: DestroyHook) -> None:
    if hook not in _DESTROY_HOOKS:
        _DESTROY_HOOKS.append(hook)


@dataclass(frozen=True)
class RetentionPolicy:
    """Years after the date of birth per grondslag (default for the rest), audit years."""

    default_years: int
    per_grondslag: dict[str, int]
    audit_years: int

    def years_for(self, grondslag: str) -> int:
        return self.per_grondslag.get(grondslag, self.default_years)


def retention_policy() -> RetentionPolicy:
    """The policy from the settings.

    Raises ``ImproperlyConfigured`` naming the variable when a value is not a whole number
    of years (1 or more), names an unknown grondslag, or keeps audit lines under 5 years.
    """
    default_years = settings.WEL_RETENTION_YEARS_AFTER_BIRTH
    per = settings.WEL_RETENTION_YEARS_PER_GRONDSLAG
    audit_years = settings.WEL_AUDIT_RETENTION_YEARS
    if not isinstance(default_years, int) or default_years < 1:
        raise ImproperlyConfigured("WEL_RETENTION_YEARS_AFTER_BIRTH must be 1 or more years.")
    if not isinstance(per, dict):
        raise ImproperlyConfigured(
            "WEL_RETENTION_YEARS_PER_GRONDSLAG must be a JSON object, "
            'e.g. {"absoluut_verzuim": 19}.'
        )
    for key, years in per.items():
        if key not in Grondslag.values:
            raise ImproperlyConfigured(
                f"WEL_RETENTION_YEARS_PER_GRONDSLAG names an unknown grondslag {key!r}; "
                f"known: {', '.join(Grondslag.values)}."
            )
        if not isinstance(years, int) or years < 1:
            raise ImproperlyConfigured(
                f"WEL_RETENTION_YEARS_PER_GRONDSLAG[{key!r}] must be 1 or more years."
            )
    if not isinstance(audit_years, int) or audit_years < AUDIT_MINIMUM_YEARS:
        raise ImproperlyConfigured(
            f"WEL_AUDIT_RETENTION_YEARS must be at least {AUDIT_MINIMUM_YEARS} (NEN 7513)."
        )
    return RetentionPolicy(default_years, dict(per), audit_years)


def retention_ends(*, date_of_birth: dt.date, grondslag: str, policy: RetentionPolicy) -> dt.date:
    """The first day on which a closed case may be destroyed: the date of birth plus the
    grondslag's years (someone born on 29 February reaches it on 1 March in other years)."""
    return add_years(date_of_birth, policy.years_for(grondslag))


def _birth_cutoffs(policy: RetentionPolicy, today: dt.date) -> dict[str, dt.date]:
    """Per grondslag: cases born on or before this date have passed their term on ``today``
    (the database side of :func:`retention_ends`, checked against it in the tests)."""
    return {g: born_on_or_before(today, policy.years_for(g)) for g in Grondslag.values}


def _subtract_years(day: dt.datetime, years: int) -> dt.datetime:
    """The same moment ``years`` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def audit_cutoff(policy: RetentionPolicy, now: dt.datetime) -> dt.datetime:
    """Audit lines that occurred before this moment have passed their term."""
    return _subtract_years(now, policy.audit_years)


@dataclass
class ExpiredCase:
    reference: str
    region: str
    grondslag: str
    closed_on: dt.date | None
    retention_ended: dt.date


@dataclass
class RetentionPlan:
    """What a run on ``today`` would destroy: closed cases past their term, the open ones past
    their term (kept, to be closed first) and how many audit lines are past theirs."""

    today: dt.date
    expired: list[ExpiredCase] = field(default_factory=list)
    open_past_term: list[ExpiredCase] = field(default_factory=list)
    audit_before: dt.datetime | None = None
    audit_lines: int = 0


def _expired_queryset(policy: RetentionPolicy, today: dt.date):
    from django.db.models import Q

    q = Q()
    for grondslag, born in _birth_cutoffs(policy, today).items():
        q |= Q(grondslag=grondslag, date_of_birth__lte=born)
    return Jeugdige.objects.filter(q)


def retention_plan(
    *, today: dt.date | None = None, now: dt.datetime | None = None
) -> RetentionPlan:
    """The dry run: what :func:`retention_apply` would do on ``today``. Reads only.

    Shape: :class:`RetentionPlan` with references (pseudonymous), never names.
    """
    policy = retention_policy()
    today = today or timezone.localdate()
    now = now or timezone.now()
    plan = RetentionPlan(today=today, audit_before=audit_cutoff(policy, now))
    rows = (
        _expired_queryset(policy, today)
        .select_related("region")
        .order_by("region__code", "reference")
        .only("reference", "grondslag", "date_of_birth", "status", "closed_on", "region__code")
    )
    for j in rows:
        item = ExpiredCase(
            reference=j.reference,
            region=j.region.code,
            grondslag=j.grondslag,
            closed_on=j.closed_on,
            retention_ended=retention_ends(
                date_of_birth=j.date_of_birth, grondslag=j.grondslag, policy=policy
            ),
        )
        (plan.expired if j.status == Status.AFGESLOTEN else plan.open_past_term).append(item)
    plan.audit_lines = AuditEvent.objects.filter(occurred_at__lt=plan.audit_before).count()
    return plan


@dataclass
class RetentionResult:
    """Counts of what one run destroyed (no content)."""

    cases: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    audit_lines: int = 0
    open_past_term: int = 0


def retention_apply(
    *, operator_label: str, user=None, today: dt.date | None = None, now: dt.datetime | None = None
) -> RetentionResult:
    """Destroy the closed cases past their term and purge audit lines past theirs, in one
    transaction, and write one audit line (action "delete", counts only).

    ``operator_label`` says who ran it (an operator's e-mail or "geplande taak"). Raises
    ``ImproperlyConfigured`` for a bad policy (:func:`retention_policy`); a database error rolls
    the whole run back.
    """
    policy = retention_policy()
    today = today or timezone.localdate()
    now = now or timezone.now()
    result = RetentionResult()
    with transaction.atomic():
        expired = _expired_queryset(policy, today)
        result.open_past_term = expired.exclude(status=Status.AFGESLOTEN).count()
        ids = list(
            expired.filter(status=Status.AFGESLOTEN)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if ids:
            result.cases = len(ids)
            extra: dict[str, int] = {}
            for hook in _DESTROY_HOOKS:
                extra.update(hook(ids))
            # Django's deletion collector follows every CASCADE relation (betrokkenen,
            # activities, contacts, timeline, interviews and their next steps, beraad links)
            # and SET_NULLs the region content (belemmerende factoren), whatever app declares
            # it. Then the field history, which has no foreign key to the case (and just got a
            # "deleted" record from django-simple-history).
            _, per_model = Jeugdige.objects.filter(pk__in=ids).delete()
            history_rows, _ = Jeugdige.history.model.objects.filter(id__in=ids).delete()
            result.counts = {label: n for label, n in sorted(per_model.items()) if n}
            result.counts["field history"] = history_rows
            result.counts.update({label: n for label, n in extra.items() if n})
        result.audit_lines = purge_audit_lines(before=audit_cutoff(policy, now))
        audit.record(
            audit.events.RETENTION_APPLIED,
            user=user,
            user_label=operator_label,
            detail={
                "cases": result.cases,
                **result.counts,
                "audit_lines": result.audit_lines,
                "open_past_term": result.open_past_term,
                "today": today.isoformat(),
            },
        )
    return result


def purge_audit_lines(*, before: dt.datetime) -> int:
    """Delete audit lines that occurred before ``before`` (their term has passed).

    On PostgreSQL through ``wel_audit_purge`` (migration wel.0007): a function of the owner role
    that declares the purge to the append-only trigger and deletes only lines older than five
    years, so the application role needs no DELETE on the table. Raises ``ValueError`` for a
    ``before`` younger than five years. Must be called inside a transaction.
    """
    if before > _subtract_years(timezone.now(), AUDIT_MINIMUM_YEARS):
        raise ValueError("Audit lines younger than 5 years are never purged (NEN 7513).")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT wel_audit_purge(%s)", [before])
            return cursor.fetchone()[0]
        table = AuditEvent._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE occurred_at < %s", [before])  # noqa: S608
        return cursor.rowcount
