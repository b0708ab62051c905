"""Writes on the jeugdige's dossier. Every write validates, runs in one transaction, and records
the audit event and the timeline entry. Views, the importer and the demo call these; nothing
else saves a Jeugdige.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wel import audit
from wel.access import require_case, scope_for
from wel.sql import AnyOf

from . import rules
from .models import (
    Betrokkene,
    ClosingReason,
    ContactMoment,
    Jeugdige,
    Ontwikkelactiviteit,
    ReferenceCounter,
    RuleFinding,
    Status,
    TimelineEntry,
)
from .timeline import Msg

S = Status
# The trajectory. Closing goes through jeugdige_close (it needs a reason); reopening a closed
# case goes back to "in beeld".
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.AANGEMELD: (S.IN_BEELD, S.CONTACT_OUDERS),
    S.IN_BEELD: (S.CONTACT_OUDERS, S.AANGEMELD),
    S.CONTACT_OUDERS: (S.GESPREK_GEPLAND, S.IN_BEELD),
    S.GESPREK_GEPLAND: (S.GESPREK_GEVOERD, S.CONTACT_OUDERS),
    S.GESPREK_GEVOERD: (S.AANBOD_IN_VOORBEREIDING, S.GESPREK_GEPLAND),
    S.AANBOD_IN_VOORBEREIDING: (S.IN_ONTWIKKELING, S.GESPREK_GEVOERD),
    S.IN_ONTWIKKELING: (S.AANBOD_IN_VOORBEREIDING, S.GESPREK_GEPLAND),
    S.AFGESLOTEN: (S.IN_BEELD,),
}

# Fields a person edits on the case form (status and closing have their own services).
EDITABLE_FIELDS = (
    "gemeente",
    "given_name",
    "family_name",
    "date_of_birth",
    "bsn",
    "grondslag",
    "notice_date",
    "doctor_statement_date",
    "statement_expert",
    "exemption_duration",
    "exemption_start",
    "exemption_end",
    "renewal_due",
    "advice_date",
    "advice_by",
    "advice_conclusion",
    "startkwalificatie_on",
    "kwalificatieplicht_exempt",
    "last_school",
    "assigned_lpa",
    "consent_date",
    "consent_by",
    "is_focus",
    "next_contact_due",
    "notes",
)


class CaseError(ValidationError):
    """A write refused for a reason the user can act on."""


class RuleError(CaseError):
    """The input breaks a condition of its grondslag (``cases.rules.CONDITIONS``).

    ``findings`` are the conditions not met: with ``level == "error"`` the input is refused;
    only warnings means the user must confirm them (``confirm_warnings``) to save. The
    message dict has the form fields as keys, so every caller can show each at its field."""

    def __init__(self, found: list):
        self.findings = found
        self.warnings_only = all(f.level == rules.WARNING for f in found)
        by_field: dict[str, list[str]] = {}
        for finding in found:
            by_field.setdefault(finding.field, []).append(finding.message)
        super().__init__(by_field)
        self.code = "confirm" if self.warnings_only else "rules"


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: Any
    new: Any
    by: str
    at: dt.datetime | None


class ConcurrentEditError(CaseError):
    """Someone else saved the case after this user opened it."""

    def __init__(self, changes: list[Change]):
        self.changes = changes
        super().__init__(
            _(
                "Someone else changed this case after you opened it. Your changes have not "
                "been saved. Look at what changed, then make your changes again."
            ),
            code="stale",
        )


# -- helpers ----------------------------------------------------------------------------------
def allowed_transitions(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def default_renewal_due(
    *, grondslag: str, start: dt.date | None, end: dt.date | None, duration: str = ""
) -> dt.date | None:
    """The renewal date a new case gets when none is given: :func:`cases.rules.renewal_due`
    (kept under this name for the importer)."""
    return rules.renewal_due(grondslag=grondslag, start=start, end=end, duration=duration)


def check_rules(
    values, *, changed=None, confirm_warnings=(), include_warnings: bool = True
) -> list:
    """The conditions of the grondslag that ``values`` (a case, a form's or a row's data) do
    not meet, checking only those that read a field in ``changed`` (``None``: all).

    Raises :class:`RuleError` on any error, or on warnings not named in
    ``confirm_warnings``; returns the warnings. Findings of level "review" are not input
    checks (they are listed for review only). The form, the services, the import and any
    later API call this one function."""
    found = rules.findings(
        rules.Facts.of(values),
        changed=changed,
        advice_required_from=settings.WEL_ADVICE_REQUIRED_FROM,
    )
    errors = [f for f in found if f.level == rules.ERROR]
    unconfirmed = [
        f for f in found if f.level == rules.WARNING and f.code not in set(confirm_warnings)
    ]
    if errors or (include_warnings and unconfirmed):
        raise RuleError(errors + (unconfirmed if include_warnings else []))
    return [f for f in found if f.level == rules.WARNING]


def findings_refresh(*, jeugdige: Jeugdige, confirmed=(), by=None) -> list[RuleFinding]:
    """Bring the case's review list (``RuleFinding``) in line with its values: conditions it
    now meets are removed, new ones added; those in ``confirmed`` (warnings the user just
    confirmed) are marked confirmed. Returns the open (unconfirmed) findings."""
    found = {f.code: f for f in jeugdige.findings()}
    existing = {r.code: r for r in RuleFinding.objects.filter(jeugdige=jeugdige)}
    gone = [r.pk for code, r in existing.items() if code not in found]
    if gone:
        RuleFinding.objects.filter(pk__in=gone).delete()
    now = timezone.now()
    for code, finding in found.items():
        row = existing.get(code)
        confirm = code in set(confirmed) and finding.level == rules.WARNING
        if row is None:
            RuleFinding.objects.create(
                jeugdige=jeugdige,
                code=code,
                level=finding.level,
                confirmed_by=by if confirm and getattr(by, "pk", None) else None,
                confirmed_at=now if confirm else None,
            )
        elif confirm and row.confirmed_at is None:
            row.confirmed_at = now
            row.confirmed_by = by if getattr(by, "pk", None) else None
            row.save(update_fields=["confirmed_at", "confirmed_by"])
    return list(
        RuleFinding.objects.filter(jeugdige=jeugdige, confirmed_at__isnull=True).order_by("code")
    )


def next_references(*, region, count: int = 1, year: int | None = None) -> list[str]:
    """Hand out ``count`` new references (EMM-2026-0007), safe under concurrency.

    The counter row is locked with SELECT … FOR UPDATE, so two imports in one region wait
    for each other instead of handing out the same number. Call inside a transaction.
    """
    year = year or timezone.localdate().year
    ReferenceCounter.objects.get_or_create(region=region, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(region=region, year=year)
    stem = f"{region.reference_prefix}-{year}-"
    refs = [f"{stem}{n:04d}" for n in range(counter.last + 1, counter.last + count + 1)]
    if Jeugdige.objects.filter(AnyOf(F("reference"), refs)).exists():
        # Rows written around the counter (restored data, fixtures): continue after them.
        numbers = [
            int(r[len(stem) :])
            for r in Jeugdige.objects.filter(reference__startswith=stem).values_list(
                "reference", flat=True
            )
            if r[len(stem) :].isdigit()
        ]
        counter.last = max([counter.last, *numbers])
        refs = [f"{stem}{n:04d}" for n in range(counter.last + 1, counter.last + count + 1)]
    counter.last += count
    counter.save(update_fields=["last"])
    return refs


def find_duplicates(
    *,
    region,
    bsn: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    exclude_pk: int | None = None,
):
    """Existing cases in the region with the same BSN, or the same name and date of birth."""
    q = Q()
    if bsn:
        q |= Q(bsn=bsn)
    if given_name and family_name and date_of_birth:
        q |= Q(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            date_of_birth=date_of_birth,
        )
    if not q:
        return Jeugdige.objects.none()
    qs = Jeugdige.objects.filter(q, region=region).select_related("gemeente")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("reference")


def _check_may_work(by, region, gemeente) -> None:
    """Refuse a case in a gemeente where ``by`` does not work (``None``: the system)."""
    if by is None:
        return  # management command / system
    if not scope_for(by).may_work_on_cases_in(region.pk, gemeente.pk):
        raise PermissionDenied(_("You do not work on cases in this municipality."))


def _check_gemeente_in_region(region, gemeente) -> None:
    if not region.gemeenten.filter(pk=gemeente.pk).exists():
        raise CaseError(
            _("%(gemeente)s is not part of region %(region)s. Choose one of its municipalities.")
            % {"gemeente": gemeente, "region": region},
            code="gemeente",
        )


def _label(obj, field: str):
    """The (lazy, so translatable) label of a choice field's value."""
    value = getattr(obj, field)
    return dict(obj._meta.get_field(field).flatchoices).get(value, value)


def timeline_add(
    *,
    jeugdige: Jeugdige,
    kind: str,
    text: str | Msg,
    by=None,
    at: dt.datetime | None = None,
    status_from: str = "",
    status_to: str = "",
) -> TimelineEntry:
    """Append one line to the case's timeline (other apps call this, e.g. interviews).

    ``text`` a :class:`cases.timeline.Msg` is kept in every language of the site (the reader
    sees theirs); a plain string as it is."""
    texts = text.texts() if isinstance(text, Msg) else {}
    entry = TimelineEntry(
        jeugdige=jeugdige,
        kind=kind,
        text=texts.get(settings.LANGUAGE_CODE) or str(text),
        texts=texts,
        by=by if by is not None and getattr(by, "pk", None) else None,
        status_from=status_from,
        status_to=status_to,
    )
    if at is not None:
        entry.at = at
    entry.save()  # one INSERT: atomic on its own, and inside the caller's transaction
    return entry


# -- the case ---------------------------------------------------------------------------------
@transaction.atomic
def jeugdige_create(
    *,
    region,
    gemeente,
    by,
    data: dict[str, Any],
    allow_duplicate: bool = False,
    confirm_warnings=(),
    request=None,
) -> Jeugdige:
    """Register a new jeugdige with a fresh reference.

    Refuses a BSN that already exists in the region; refuses a name + date of birth that
    exists unless ``allow_duplicate`` (the user looked at the existing case and confirmed).
    Every condition of the grondslag is checked (:func:`check_rules`): errors refuse, warnings
    must be named in ``confirm_warnings``.
    """
    _check_gemeente_in_region(region, gemeente)
    _check_may_work(by, region, gemeente)
    fields = {k: v for k, v in data.items() if k in EDITABLE_FIELDS and k != "gemeente"}
    duplicates = list(
        find_duplicates(
            region=region,
            bsn=fields.get("bsn", ""),
            given_name=fields.get("given_name", ""),
            family_name=fields.get("family_name", ""),
            date_of_birth=fields.get("date_of_birth"),
        )
    )
    same_bsn = [d for d in duplicates if fields.get("bsn") and d.bsn == fields.get("bsn")]
    if same_bsn:
        raise CaseError(
            _("A jeugdige with this BSN already exists in this region: %(ref)s.")
            % {"ref": same_bsn[0].reference},
            code="duplicate_bsn",
        )
    if duplicates and not allow_duplicate:
        raise CaseError(
            _(
                "A jeugdige with this name and date of birth already exists in this region: "
                "%(refs)s. Check that it is not the same young person before you go on."
            )
            % {"refs": ", ".join(d.reference for d in duplicates)},
            code="duplicate_name",
        )
    if fields.get("renewal_due") is None:
        fields["renewal_due"] = default_renewal_due(
            grondslag=fields.get("grondslag", ""),
            start=fields.get("exemption_start"),
            end=fields.get("exemption_end"),
            duration=fields.get("exemption_duration", ""),
        )
    now = timezone.now()
    jeugdige = Jeugdige(
        region=region,
        gemeente=gemeente,
        reference=next_references(region=region)[0],
        created_by=by,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
        **fields,
    )
    _check_assignee(jeugdige)
    _validate(jeugdige, changed=None, confirm_warnings=confirm_warnings)
    jeugdige._history_user = by
    _save_unique_bsn(jeugdige)
    findings_refresh(jeugdige=jeugdige, confirmed=confirm_warnings, by=by)
    timeline_add(
        jeugdige=jeugdige,
        kind=TimelineEntry.Kind.CREATED,
        text=Msg(
            gettext_noop("Registered (%(grondslag)s)."), grondslag=_label(jeugdige, "grondslag")
        ),
        by=by,
        status_to=jeugdige.status,
    )
    audit.record(
        audit.events.JEUGDIGE_CREATED,
        request=request,
        user=by,
        obj=jeugdige,
        jeugdige=jeugdige,
        changes={name: (None, fields[name]) for name in sorted(fields)},
    )
    return jeugdige


def _save_unique_bsn(jeugdige: Jeugdige) -> None:
    """Save; when a colleague registered the same BSN in the region a moment ago (after our
    duplicate check, before our INSERT), refuse as ``duplicate_bsn`` instead of a 500. The
    database's constraint ``jeugdige_unique_bsn_per_region`` is what decides the race."""
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable
            jeugdige.save()
    except IntegrityError:
        clash = (
            Jeugdige.objects.filter(region_id=jeugdige.region_id, bsn=jeugdige.bsn)
            .exclude(pk=jeugdige.pk)
            .first()
            if jeugdige.bsn
            else None
        )
        if clash is None:
            raise
        raise CaseError(
            _("A jeugdige with this BSN already exists in this region: %(ref)s.")
            % {"ref": clash.reference},
            code="duplicate_bsn",
        ) from None


def _validate(jeugdige: Jeugdige, *, changed=None, confirm_warnings=()) -> None:
    """Field validation; the constraints are checked here in Python (cheaper than Django's
    per-constraint queries) and enforced by the database anyway. The grondslag's conditions
    are checked for the fields in ``changed`` only (``None``: all): a rule never refuses a
    write that is not about its input (docs/cases.md)."""
    jeugdige.full_clean(validate_unique=False, validate_constraints=False)
    start, end = jeugdige.exemption_start, jeugdige.exemption_end
    if start and end and end < start:
        raise CaseError(_("The exemption cannot end before it starts."), code="dates")
    check_rules(jeugdige, changed=changed, confirm_warnings=confirm_warnings)


def assignable_users(*, region_id: int, gemeente_id: int):
    """Who may be the assigned LPA of a case in this region and gemeente: active users whose
    scope covers it (the region's kartrekkers, and its LPAs of that gemeente or of the whole
    region). Anyone else would not see the case they were given (issue 21). A beheerder never
    sees case content, whatever memberships it holds."""
    from wel.models import NationalRole, Role, User

    covers = Q(memberships__region_id=region_id) & (
        Q(memberships__role=Role.KARTREKKER)
        | Q(memberships__role=Role.LPA, memberships__gemeenten__isnull=True)
        | Q(memberships__role=Role.LPA, memberships__gemeenten__id=gemeente_id)
    )
    return (
        User.objects.filter(covers, is_active=True)
        .exclude(national_role=NationalRole.BEHEERDER)
        .exclude(api_client__isnull=False)  # an API client's service account is no person
        .distinct()
        .order_by("full_name", "pk")
    )


def _check_assignee(jeugdige: Jeugdige, field: str = "assigned_lpa") -> None:
    """Refuse an assigned LPA whose scope does not cover the case (at ``field``)."""
    user = jeugdige.assigned_lpa
    if user is None:
        return
    if (
        not assignable_users(region_id=jeugdige.region_id, gemeente_id=jeugdige.gemeente_id)
        .filter(pk=user.pk)
        .exists()
    ):
        raise CaseError(
            {
                field: _(
                    "%(name)s does not work on cases in %(gemeente)s and would not see this "
                    "case. Choose someone who works there, or ask the beheerder to add "
                    "%(gemeente)s to %(name)s's municipalities first."
                )
                % {"name": user, "gemeente": jeugdige.gemeente.name}
            },
            code="assignee_out_of_scope",
        )


def _locked(jeugdige: Jeugdige, version: int | None) -> Jeugdige:
    """The case row locked for update; refuses when its version moved past ``version``."""
    current = Jeugdige.objects.select_for_update().get(pk=jeugdige.pk)
    if version is not None and current.version != version:
        raise ConcurrentEditError(changes_since(jeugdige=current, version=version))
    return current


def changes_since(*, jeugdige: Jeugdige, version: int) -> list[Change]:
    """Field changes made to the case after ``version`` (from the field history)."""
    records = list(jeugdige.history.filter(version__gte=version).order_by("history_date"))
    base = next((r for r in records if r.version == version), None)
    later = [r for r in records if r.version > version]
    if base is None or not later:
        return []
    labels = {f.name: str(f.verbose_name) for f in Jeugdige._meta.fields}
    changes: list[Change] = []
    previous = base
    for record in later:
        delta = record.diff_against(previous)
        who = str(record.history_user) if record.history_user_id else _("the system")
        for c in delta.changes:
            if c.field in ("version", "status_changed_at", "updated_at"):
                continue
            changes.append(
                Change(
                    field=c.field,
                    label=labels.get(c.field, c.field),
                    old=c.old,
                    new=c.new,
                    by=who,
                    at=record.history_date,
                )
            )
        previous = record
    return changes


@transaction.atomic
def jeugdige_update(
    *,
    jeugdige: Jeugdige,
    data: dict[str, Any],
    version: int,
    by,
    confirm_warnings=(),
    request=None,
    actor_label: str = "",
) -> Jeugdige:
    """Save edited fields when nobody saved the case since ``version`` (optimistic locking).

    When the exemption changes and no renewal date is given, the rule's date is filled in
    (:func:`cases.rules.renewal_due`), as on create. Only the conditions that read a changed
    field are checked: a consent or a note is saved on a case whose older exemption breaks a
    newer rule (that case is on its LPA's review list instead).

    Raises ``OutOfScope`` (a ``PermissionDenied``) when ``by`` does not work on the case, or
    on the gemeente it is moved to; ``CaseError``/``ConcurrentEditError`` as the form shows."""
    require_case(by, jeugdige)
    current = _locked(jeugdige, version)
    before = {name: getattr(current, name) for name in data if name in EDITABLE_FIELDS}
    changed = []
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            continue
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    exemption = {"grondslag", "exemption_start", "exemption_end", "exemption_duration"}
    if current.renewal_due is None and exemption & set(changed):
        current.renewal_due = default_renewal_due(
            grondslag=current.grondslag,
            start=current.exemption_start,
            end=current.exemption_end,
            duration=current.exemption_duration,
        )
        if current.renewal_due is not None:
            changed.append("renewal_due")
    if not changed:
        return current
    if "gemeente" in changed:
        _check_gemeente_in_region(current.region, current.gemeente)
        _check_may_work(by, current.region, current.gemeente)
    if {"assigned_lpa", "gemeente"} & set(changed) and (
        "assigned_lpa" in changed or current.assigned_lpa_id
    ):
        _check_assignee(current)
    if "bsn" in changed and current.bsn:
        clash = find_duplicates(region=current.region, bsn=current.bsn, exclude_pk=current.pk)
        clash = clash.filter(bsn=current.bsn).first()
        if clash is not None:
            raise CaseError(
                _("A jeugdige with this BSN already exists in this region: %(ref)s.")
                % {"ref": clash.reference},
                code="duplicate_bsn",
            )
    _validate(current, changed=set(changed), confirm_warnings=confirm_warnings)
    current.version += 1
    current.updated_at = timezone.now()
    current._history_user = by
    _save_unique_bsn(current)
    findings_refresh(jeugdige=current, confirmed=confirm_warnings, by=by)
    labels = Msg()
    for i, name in enumerate(changed):
        if i:
            labels += ", "
        labels += Msg("%(f)s", f=Jeugdige._meta.get_field(name).verbose_name)
    timeline_add(
        jeugdige=current,
        kind=TimelineEntry.Kind.UPDATE,
        text=Msg(gettext_noop("Changed: %(fields)s."), fields=labels),
        by=by,
    )
    audit.record(
        audit.events.JEUGDIGE_UPDATED,
        request=request,
        user=by,
        obj=current,
        jeugdige=current,
        changes={name: (before.get(name), getattr(current, name)) for name in changed},
        user_label=actor_label,
    )
    return current


@transaction.atomic
def jeugdige_transition(
    *,
    jeugdige: Jeugdige,
    to: str,
    by,
    note: str = "",
    version: int | None = None,
    request=None,
) -> Jeugdige:
    """Move the case one step in the trajectory, as TRANSITIONS allows; timeline + audit.
    Raises ``OutOfScope`` when ``by`` does not work on the case."""
    require_case(by, jeugdige)
    current = _locked(jeugdige, version)
    if to == Status.AFGESLOTEN:
        raise CaseError(_("To close a case, use Close and give a reason."), code="transition")
    if to not in allowed_transitions(current.status):
        raise CaseError(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": current.get_status_display(),
                "to": Status(to).label if to in Status.values else to,
            },
            code="transition",
        )
    old = current.status
    current.status = to
    current.closing_reason = ""
    current.closed_on = None
    return _save_status(current, old=old, by=by, note=note, request=request)


@transaction.atomic
def jeugdige_close(
    *,
    jeugdige: Jeugdige,
    reason: str,
    by,
    note: str = "",
    version: int | None = None,
    request=None,
) -> Jeugdige:
    """Close the case with a reason (required); timeline + audit. Raises ``OutOfScope`` when
    ``by`` does not work on the case."""
    require_case(by, jeugdige)
    current = _locked(jeugdige, version)
    if current.status == Status.AFGESLOTEN:
        raise CaseError(_("This case is already closed."), code="closed")
    if reason not in ClosingReason.values:
        raise CaseError(_("Choose a closing reason from the list."), code="reason")
    if reason == ClosingReason.ANDERS and not note.strip():
        raise CaseError(_("Explain the reason when you choose “other”."), code="reason")
    old = current.status
    current.status = Status.AFGESLOTEN
    current.closing_reason = reason
    current.closed_on = timezone.localdate()
    current.is_focus = False
    return _save_status(current, old=old, by=by, note=note, request=request)


def _save_status(current: Jeugdige, *, old: str, by, note: str, request) -> Jeugdige:
    now = timezone.now()
    current.status_changed_at = now
    current.updated_at = now
    current.version += 1
    current._history_user = by
    current.save()
    text = Msg(
        gettext_noop("Status: %(from)s → %(to)s."),
        **{"from": Status(old).label, "to": Status(current.status).label},
    )
    if current.closing_reason:
        text += Msg(" ") + Msg(
            gettext_noop("Reason: %(reason)s."),
            reason=ClosingReason(current.closing_reason).label,
        )
    if note.strip():
        text += " " + note.strip()
    timeline_add(
        jeugdige=current,
        kind=TimelineEntry.Kind.STATUS,
        text=text,
        by=by,
        status_from=old,
        status_to=current.status,
    )
    closed = current.status == Status.AFGESLOTEN
    audit.record(
        audit.events.JEUGDIGE_CLOSED if closed else audit.events.JEUGDIGE_STATUS_CHANGED,
        request=request,
        user=by,
        obj=current,
        jeugdige=current,
        changes={"status": (old, current.status)}
        | ({"closing_reason": ("", current.closing_reason)} if closed else {}),
    )
    return current


# -- around the case --------------------------------------------------------------------------
def _record_added(
    record,
    *,
    event: audit.EventType,
    kind: str,
    text: str,
    data: dict[str, Any],
    by,
    request,
    actor_label: str = "",
):
    """Validate and save a row that belongs to a case, with its timeline entry and audit event."""
    record.full_clean()
    record.save()
    timeline_add(jeugdige=record.jeugdige, kind=kind, text=text + ".", by=by)
    audit.record(
        event,
        request=request,
        user=by,
        obj=record,
        jeugdige=record.jeugdige,
        changes={name: (None, data[name]) for name in sorted(data)},
        user_label=actor_label,
    )
    return record


@transaction.atomic
def betrokkene_add(
    *,
    jeugdige: Jeugdige,
    data: dict[str, Any],
    by,
    request=None,
    actor_label: str = "",
    chosen_by_young_person: bool = False,
) -> Betrokkene:
    """Add a person or organisation around the young person; timeline + audit.

    ``actor_label`` names an actor without an account in the audit log (e.g. a parent through
    an invitation, family app, with ``by=None``); ``chosen_by_young_person`` says so on the
    timeline. Raises ``OutOfScope`` when ``by`` does not work on the case."""
    require_case(by, jeugdige)
    betrokkene = Betrokkene(jeugdige=jeugdige, **data)
    text = Msg(gettext_noop("Betrokkene added: %(kind)s"), kind=_label(betrokkene, "kind"))
    if betrokkene.invited_by_parents:
        text += " " + Msg(gettext_noop("(invited by the parents)"))
    elif chosen_by_young_person:
        text += " " + Msg(gettext_noop("(chosen by the young person)"))
    return _record_added(
        betrokkene,
        event=audit.events.BETROKKENE_ADDED,
        kind=TimelineEntry.Kind.BETROKKENE,
        text=text,
        data=data,
        by=by,
        request=request,
        actor_label=actor_label,
    )


@transaction.atomic
def betrokkenen_invited_by_parents(
    *,
    jeugdige: Jeugdige,
    betrokkenen: list[Betrokkene],
    request=None,
    actor_label: str = "",
    by_young_person: bool = False,
) -> int:
    """Mark betrokkenen of this case as chosen by the parents to attend the conversation
    (the parents are in the lead); returns how many changed. Timeline + audit.

    The young person's choice is theirs, not the parents' (issue 21): with
    ``by_young_person`` nothing is marked "invited by the parents"; the timeline says the
    young person chose them (the contribution itself keeps who, and is audited).

    The family's own path (``family.services``), after the invitation was checked: there is
    no staff actor whose scope could be checked."""
    ids = [b.pk for b in betrokkenen if b.jeugdige_id == jeugdige.pk]
    if by_young_person:
        if ids:
            timeline_add(
                jeugdige=jeugdige,
                kind=TimelineEntry.Kind.BETROKKENE,
                text=Msg(
                    gettext_noop("%(count)d betrokkene chosen by the young person to attend."),
                    plural=gettext_noop(
                        "%(count)d betrokkenen chosen by the young person to attend."
                    ),
                    count=len(ids),
                ),
            )
        return 0
    changed = Betrokkene.objects.filter(pk__in=ids, invited_by_parents=False).update(
        invited_by_parents=True
    )
    if changed:
        timeline_add(
            jeugdige=jeugdige,
            kind=TimelineEntry.Kind.BETROKKENE,
            text=Msg(
                gettext_noop("%(count)d betrokkene chosen by the parents to attend."),
                plural=gettext_noop("%(count)d betrokkenen chosen by the parents to attend."),
                count=changed,
            ),
        )
        audit.record(
            audit.events.BETROKKENEN_INVITED_BY_PARENTS,
            request=request,
            obj=jeugdige,
            jeugdige=jeugdige,
            changes={"invited_by_parents": (False, True)},
            detail={"betrokkenen": ids},
            user_label=actor_label,
        )
    return changed


@transaction.atomic
def activiteit_add(
    *, jeugdige: Jeugdige, data: dict[str, Any], by, request=None
) -> Ontwikkelactiviteit:
    """Record development that is there; timeline + audit. Raises ``OutOfScope`` when ``by``
    does not work on the case."""
    require_case(by, jeugdige)
    activiteit = Ontwikkelactiviteit(jeugdige=jeugdige, **data)
    text = Msg(gettext_noop("Activity: %(kind)s"), kind=_label(activiteit, "kind"))
    if activiteit.provider:
        text += f" ({activiteit.provider})"
    return _record_added(
        activiteit,
        event=audit.events.ACTIVITEIT_ADDED,
        kind=TimelineEntry.Kind.ACTIVITY,
        text=text,
        data=data,
        by=by,
        request=request,
    )


@transaction.atomic
def contact_add(
    *,
    jeugdige: Jeugdige,
    date: dt.date,
    kind: str,
    summary: str,
    by,
    next_contact_due: dt.date | None = None,
    request=None,
) -> ContactMoment:
    """Record a contact moment; keeps ``last_contact_on`` (and the next contact due) current.
    Raises ``OutOfScope`` when ``by`` does not work on the case."""
    require_case(by, jeugdige)
    if date > timezone.localdate():
        raise CaseError(_("A contact moment cannot be in the future."), code="date")
    contact = ContactMoment(jeugdige=jeugdige, date=date, kind=kind, summary=summary, by=by)
    contact.full_clean()
    contact.save()
    current = Jeugdige.objects.select_for_update().get(pk=jeugdige.pk)
    fields = []
    if current.last_contact_on is None or date > current.last_contact_on:
        current.last_contact_on = date
        fields.append("last_contact_on")
    if next_contact_due is not None and next_contact_due != current.next_contact_due:
        current.next_contact_due = next_contact_due
        fields.append("next_contact_due")
    if fields:
        current.version += 1
        current.updated_at = timezone.now()
        current._history_user = by
        current.save()
    text = Msg(
        gettext_noop("Contact (%(kind)s): %(summary)s"),
        kind=ContactMoment.Kind(contact.kind).label,
        summary=summary.strip(),
    )
    timeline_add(
        jeugdige=jeugdige,
        kind=TimelineEntry.Kind.CONTACT,
        text=text,
        by=by,
        at=timezone.make_aware(dt.datetime.combine(date, dt.time(12, 0)))
        if date != timezone.localdate()
        else None,
    )
    audit.record(
        audit.events.CONTACT_ADDED,
        request=request,
        user=by,
        obj=contact,
        jeugdige=jeugdige,
        changes={"kind": (None, kind), "date": (None, date), "summary": (None, summary)},
    )
    return contact


def scope_extension_candidates(*, jeugdige: Jeugdige):
    """Colleagues who would see this case once its gemeente is added to their membership: active
    LPAs of the case's region whose membership names other gemeenten only (issue 21 §2)."""
    from wel.models import NationalRole, Role, User

    limited = User.objects.filter(
        memberships__region_id=jeugdige.region_id,
        memberships__role=Role.LPA,
        memberships__gemeenten__isnull=False,
        is_active=True,
    ).exclude(national_role=NationalRole.BEHEERDER)
    covering = assignable_users(region_id=jeugdige.region_id, gemeente_id=jeugdige.gemeente_id)
    return (
        User.objects.filter(pk__in=limited.values("pk"))
        .exclude(pk__in=covering.values("pk"))
        .order_by("full_name", "pk")
    )


def may_extend_scope(by, jeugdige: Jeugdige) -> bool:
    """Whether ``by`` may add the case's gemeente to a colleague's membership: the kartrekker
    who leads the case's region (wel.access: ``Scope.may_lead``). Memberships are otherwise
    managed by the beheerder in /beheer/; an LPA cannot grant scope."""
    return scope_for(by).may_lead(jeugdige.region_id)


def scope_granters(*, jeugdige: Jeugdige):
    """Whom to ask to extend a colleague's scope: the active kartrekkers of the case's region."""
    from wel.models import Role, User

    return User.objects.filter(
        memberships__region_id=jeugdige.region_id,
        memberships__role=Role.KARTREKKER,
        is_active=True,
    ).order_by("full_name", "pk")


def _names(users) -> str:
    return ", ".join(str(u) for u in users) or _("the beheerder")


def _extend_scope(*, jeugdige: Jeugdige, to, by, request=None) -> None:
    """Add the case's gemeente to ``to``'s LPA membership of the case's region; audited as a
    membership change (old and new gemeenten). Call inside the handover's transaction."""
    from wel.models import Membership, Role

    if not may_extend_scope(by, jeugdige):
        raise CaseError(
            {
                "extend_scope": _(
                    "Only the kartrekker of the region can add %(gemeente)s to a colleague's "
                    "municipalities. Ask %(names)s, or choose a colleague who already works "
                    "there."
                )
                % {
                    "gemeente": jeugdige.gemeente.name,
                    "names": _names(scope_granters(jeugdige=jeugdige)),
                }
            },
            code="scope_not_yours",
        )
    membership = (
        Membership.objects.select_for_update()
        .filter(user=to, region_id=jeugdige.region_id, role=Role.LPA)
        .first()
    )
    if (
        membership is None
        or not scope_extension_candidates(jeugdige=jeugdige).filter(pk=to.pk).exists()
    ):
        raise CaseError(
            {
                "to": _(
                    "%(name)s has no membership in this region that %(gemeente)s can be added "
                    "to. Ask the beheerder to give them one."
                )
                % {"name": to, "gemeente": jeugdige.gemeente.name}
            },
            code="scope_no_membership",
        )
    before = list(membership.gemeenten.order_by("pk"))
    membership.gemeenten.add(jeugdige.gemeente)
    to.__dict__.pop("_wel_scope", None)  # their scope changed
    audit.record(
        audit.events.MEMBERSHIP_CHANGED,
        request=request,
        user=by,
        obj=to,
        changes={"gemeenten": (before, [*before, jeugdige.gemeente])},
        detail={"via": "handover", "membership": membership.pk, "case": jeugdige.reference},
    )


@transaction.atomic
def jeugdige_handover(
    *, jeugdige: Jeugdige, to, note: str, by, extend_scope: bool = False, request=None
) -> Jeugdige:
    """Hand a case over to a colleague whose scope covers it, with a note on the timeline.

    ``extend_scope``: ``to`` does not cover the case's gemeente yet; add it to their LPA
    membership of the region in the same transaction (:func:`_extend_scope`, only the region's
    kartrekker may), then hand over. Both are audited (``membership.changed`` on ``to``,
    ``jeugdige.handed_over`` on the case); a refusal changes nothing.

    Raises ``OutOfScope`` when ``by`` does not work on the case; ``CaseError`` (field keys
    ``to``, ``note`` and ``extend_scope``) when the note is empty, ``to`` is already assigned or
    would not see the case (:func:`assignable_users`) and no scope extension was asked for or
    allowed."""
    require_case(by, jeugdige)
    current = _locked(jeugdige, None)
    note = (note or "").strip()
    if not note:
        raise CaseError(
            {"note": _("Write a short handover note: what does your colleague need to know?")},
            code="handover_note",
        )
    if to is None:
        raise CaseError({"to": _("Choose the colleague who takes over.")}, code="handover_to")
    if current.assigned_lpa_id == to.pk:
        raise CaseError(
            {"to": _("%(name)s is already the assigned LPA.") % {"name": to}},
            code="handover_same",
        )
    covers = (
        assignable_users(region_id=current.region_id, gemeente_id=current.gemeente_id)
        .filter(pk=to.pk)
        .exists()
    )
    if not covers and extend_scope:
        _extend_scope(jeugdige=current, to=to, by=by, request=request)
    elif not covers and scope_extension_candidates(jeugdige=current).filter(pk=to.pk).exists():
        if may_extend_scope(by, current):
            message = _(
                '%(name)s does not work on cases in %(gemeente)s yet. Tick "Add %(gemeente)s '
                'to their municipalities" to do both in one step, or choose someone else.'
            )
        else:
            message = _(
                "%(name)s does not work on cases in %(gemeente)s yet, and only the kartrekker "
                "of the region can add it: ask %(names)s."
            )
        raise CaseError(
            {
                "to": message
                % {
                    "name": to,
                    "gemeente": current.gemeente.name,
                    "names": _names(scope_granters(jeugdige=current)),
                }
            },
            code="handover_needs_scope",
        )
    previous = current.assigned_lpa
    current.assigned_lpa = to
    _check_assignee(current, field="to")
    current.version += 1
    current.updated_at = timezone.now()
    current._history_user = by
    current.save()
    timeline_add(
        jeugdige=current,
        kind=TimelineEntry.Kind.UPDATE,
        text=Msg(
            gettext_noop("Handed over from %(from)s to %(to)s.\nHandover note: %(note)s"),
            **{
                "from": str(previous) if previous else Msg(gettext_noop("nobody")),
                "to": str(to),
                "note": note,
            },
        ),
        by=by,
    )
    audit.record(
        audit.events.JEUGDIGE_HANDED_OVER,
        request=request,
        user=by,
        obj=current,
        jeugdige=current,
        changes={"assigned_lpa": (previous, to)},
    )
    return current
