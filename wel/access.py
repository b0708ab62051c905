"""The access policy: one place that answers "where does this user work, in which role", and
what each kind of content shows to whom.

Two parts:

- :func:`scope_for` computes a user's :class:`Scope` once per request: national role and
  memberships (region, role, the gemeenten an LPA covers).
- The **rules per kind of content** (:class:`CaseContent`, :class:`RegionInternal`,
  :class:`RegionOpen`, :class:`Published`, :class:`Own`, :class:`LandelijkTeam`) turn a scope
  into a ``Q``. Every model that holds region or case content declares its rule once on its
  queryset (a :class:`ScopedQuerySet`, the way Open Zaak's querysets declare the path to their
  zaak), e.g. ``visibility = Via("jeugdige", CaseContent())``; ``visible_to(user)`` is written
  once, here. Views, selectors, exports and reports start from those querysets; services that
  change a case check the actor with :func:`require_case`.

The policy (docs/security.md, "Roles and what each sees"):

- an LPA sees the cases of the gemeenten of their membership (all of the region's gemeenten
  when the membership names none) and the region's content;
- a kartrekker sees everything in their region;
- **national roles see no region content beyond aggregates**: the landelijk team and the
  beheerder get every region's open, non-personal content (:class:`RegionOpen`) and nothing of a
  case or of a region's internal work through their national role;
- **a beheerder never sees case content, whatever memberships it holds**: the beheerder's scope
  carries no memberships (:func:`scope_for`), so no membership can bring one in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps
from typing import ClassVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import NationalRole, Role

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class RegionRole:
    region_id: int
    role: str
    gemeente_ids: frozenset[int] = field(default_factory=frozenset)  # empty: whole region
    region_code: str = ""  # for links (the region dashboard in the navigation)
    region_name: str = ""


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    national_role: str = ""
    memberships: tuple[RegionRole, ...] = ()

    # -- who --------------------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_landelijk_team(self) -> bool:
        return self.national_role == NationalRole.LANDELIJK_TEAM

    @property
    def is_beheerder(self) -> bool:
        return self.national_role == NationalRole.BEHEERDER

    @property
    def is_national(self) -> bool:
        return self.is_landelijk_team or self.is_beheerder

    @property
    def region_ids(self) -> frozenset[int]:
        return frozenset(m.region_id for m in self.memberships)

    @property
    def kartrekker_region_ids(self) -> frozenset[int]:
        return frozenset(m.region_id for m in self.memberships if m.role == Role.KARTREKKER)

    @property
    def lpa_region_ids(self) -> frozenset[int]:
        return frozenset(m.region_id for m in self.memberships if m.role == Role.LPA)

    @property
    def region_names(self) -> dict[int, str]:
        """pk → name of each region the user works in (as read with the scope)."""
        return {m.region_id: m.region_name for m in self.memberships}

    @property
    def regions(self) -> tuple[tuple[str, str], ...]:
        """(code, name) of each region the user works in, once each, for navigation links."""
        seen: dict[str, str] = {}
        for m in self.memberships:
            seen.setdefault(m.region_code, m.region_name)
        return tuple(seen.items())

    @property
    def is_lpa(self) -> bool:
        return bool(self.lpa_region_ids)

    @property
    def is_kartrekker(self) -> bool:
        return bool(self.kartrekker_region_ids)

    @property
    def works_in_region(self) -> bool:
        return bool(self.memberships)

    @property
    def has_role(self) -> bool:
        """Works in a region or holds a national role (a signed-in account without either sees
        nothing of the programme)."""
        return self.works_in_region or self.is_national

    def role_in(self, region_id: int | None) -> str | None:
        """The strongest role in a region: kartrekker over LPA; None when not a member."""
        roles = {m.role for m in self.memberships if m.region_id == region_id}
        if Role.KARTREKKER in roles:
            return Role.KARTREKKER
        if Role.LPA in roles:
            return Role.LPA
        return None

    def label(self) -> str:
        """How the role is written in the audit log."""
        parts = [self.national_role] if self.national_role else []
        parts += sorted({f"{m.role}@{m.region_id}" for m in self.memberships})
        return ", ".join(parts)[:200]

    # -- querysets --------------------------------------------------------------------------
    def region_q(self, field: str = "pk") -> Q:
        """Regions this user may look at: their own, or all of them for national roles
        (:class:`RegionOpen`)."""
        if self.is_national:
            return Q()
        if not self.memberships:
            return NOTHING
        return Q(**{f"{field}__in": sorted(self.region_ids)})

    def member_region_q(self, field: str = "region") -> Q:
        """Region content that stays inside the region (e.g. moreel beraad): members only,
        whatever national role they hold (:class:`RegionInternal`)."""
        if not self.memberships:
            return NOTHING
        return Q(**{f"{field}__in": sorted(self.region_ids)})

    def case_q(self, region_field: str = "region", gemeente_field: str = "gemeente") -> Q:
        """Personal data of jeugdigen: kartrekker the region, LPA their gemeenten; nobody else,
        whatever national role they hold (:class:`CaseContent`)."""
        q = NOTHING
        for m in self.memberships:
            if m.role == Role.KARTREKKER or not m.gemeente_ids:
                q |= Q(**{f"{region_field}_id": m.region_id})
            else:
                q |= Q(
                    **{
                        f"{region_field}_id": m.region_id,
                        f"{gemeente_field}_id__in": sorted(m.gemeente_ids),
                    }
                )
        return q

    # -- single checks ----------------------------------------------------------------------
    def may_work_on_cases_in(self, region_id: int, gemeente_id: int | None = None) -> bool:
        """The single check of :class:`CaseContent` (the same rule as :meth:`case_q`)."""
        for m in self.memberships:
            if m.region_id != region_id:
                continue
            if m.role == Role.KARTREKKER or not m.gemeente_ids:
                return True
            if gemeente_id is not None and gemeente_id in m.gemeente_ids:
                return True
        return False

    def gemeente_ids_for_cases(self, region_id: int) -> frozenset[int] | None:
        """The gemeenten where this user may create cases in a region; None means all of them."""
        allowed: set[int] = set()
        member = False
        for m in self.memberships:
            if m.region_id != region_id:
                continue
            member = True
            if m.role == Role.KARTREKKER or not m.gemeente_ids:
                return None
            allowed |= m.gemeente_ids
        return frozenset(allowed) if member else frozenset()

    def may_lead(self, region_id: int) -> bool:
        return region_id in self.kartrekker_region_ids


ANONYMOUS = Scope(user_id=None)


# -- The rules per kind of content ----------------------------------------------------------
def _join(prefix: str, lookup: str) -> str:
    return f"{prefix}__{lookup}" if prefix else lookup


class Rule:
    """What one kind of content shows to a scope, as a ``Q`` on the model that declares it.

    ``prefix`` is the lookup from the queried model to the content (set by :class:`Via`)."""

    def q(self, scope: Scope, prefix: str = "") -> Q:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class CaseContent(Rule):
    """A jeugdige's personal data and everything recorded about it: a kartrekker sees the cases
    of their region, an LPA those of the gemeenten of their membership (the whole region when
    it names none). A national role adds nothing. ``optional``: the content may have no case
    (an obstacle raised for the region); without one this rule does not apply."""

    optional: bool = False

    def q(self, scope: Scope, prefix: str = "") -> Q:
        q = scope.case_q(_join(prefix, "region"), _join(prefix, "gemeente"))
        if self.optional:
            q = Q(**{f"{prefix}__isnull": True}) | q
        return q


@dataclass(frozen=True)
class RegionInternal(Rule):
    """A region's own work that never leaves it (moreel beraad, the obstacle agenda, a report
    with exact figures): members of the region only. National roles get aggregates of it
    elsewhere, never the content."""

    region: str = "region"

    def q(self, scope: Scope, prefix: str = "") -> Q:
        return scope.member_region_q(_join(prefix, self.region))


@dataclass(frozen=True)
class RegionOpen(Rule):
    """A region's non-personal description (the region itself, its gemeenten): members their
    own region, national roles every region."""

    region: str = "pk"

    def q(self, scope: Scope, prefix: str = "") -> Q:
        return scope.region_q(_join(prefix, self.region))


@dataclass(frozen=True)
class Published(Rule):
    """Shared with the whole programme once published (learnings, training sessions): everyone
    with a role."""

    condition: Q

    def q(self, scope: Scope, prefix: str = "") -> Q:
        return _prefixed(self.condition, prefix) if scope.has_role else NOTHING


@dataclass(frozen=True)
class Own(Rule):
    """What a person made themselves (a draft, an import job): its maker, while they have a
    role."""

    field: str

    def q(self, scope: Scope, prefix: str = "") -> Q:
        if not scope.has_role:
            return NOTHING
        return Q(**{f"{_join(prefix, self.field)}_id": scope.user_id})


@dataclass(frozen=True)
class LandelijkTeam(Rule):
    """What the landelijk team manages or is given (training sessions, protected reports);
    ``condition`` narrows it."""

    condition: Q = field(default_factory=Q)

    def q(self, scope: Scope, prefix: str = "") -> Q:
        return _prefixed(self.condition, prefix) if scope.is_landelijk_team else NOTHING


@dataclass(frozen=True)
class Where(Rule):
    """``rule`` for the rows that meet ``condition`` only (e.g. a report's audience)."""

    condition: Q
    rule: Rule

    def q(self, scope: Scope, prefix: str = "") -> Q:
        inner = self.rule.q(scope, prefix)
        if inner == NOTHING:
            return NOTHING
        return _prefixed(self.condition, prefix) & inner


@dataclass(frozen=True)
class Via(Rule):
    """The rule of the content this model belongs to, e.g. ``Via("interview", ...)``."""

    path: str
    rule: Rule

    def q(self, scope: Scope, prefix: str = "") -> Q:
        return self.rule.q(scope, _join(prefix, self.path))


@dataclass(frozen=True)
class AllOf(Rule):
    rules: tuple[Rule, ...]

    def q(self, scope: Scope, prefix: str = "") -> Q:
        out = Q()
        for rule in self.rules:
            inner = rule.q(scope, prefix)
            if inner == NOTHING:
                return NOTHING
            out &= inner
        return out


@dataclass(frozen=True)
class AnyOf(Rule):
    rules: tuple[Rule, ...]

    def q(self, scope: Scope, prefix: str = "") -> Q:
        parts = [q for q in (rule.q(scope, prefix) for rule in self.rules) if q != NOTHING]
        if not parts:
            return NOTHING
        if any(not q for q in parts):
            return Q()  # one rule allows every row (``Q() | q`` would drop it: Django ignores it)
        out = parts[0]
        for part in parts[1:]:
            out |= part
        return out


def _prefixed(condition: Q, prefix: str) -> Q:
    """``condition`` with every lookup under ``prefix`` (a condition on the related content)."""
    if not prefix:
        return condition
    out = Q()
    out.connector, out.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            out.children.append(_prefixed(child, prefix))
        else:
            lookup, value = child
            out.children.append((_join(prefix, lookup), value))
    return out


class ScopedQuerySet(models.QuerySet):
    """A queryset of content under the access policy: subclasses declare ``visibility``, the
    :class:`Rule` of their kind of content; :meth:`visible_to` is the one place that applies it.
    """

    visibility: ClassVar[Rule]

    def visible_to(self, user):
        """The rows this user may see (404 for the rest, in views); no query of its own beyond
        the scope's, which is computed once per request."""
        return self.filter(self.visibility.q(scope_for(user)))


class OutOfScope(PermissionDenied):
    """A service was asked to change content outside its actor's scope."""


def require_case(by, jeugdige) -> None:
    """Refuse (:class:`OutOfScope`) unless ``by`` may work on this case (:class:`CaseContent`).

    ``by=None`` is the system acting on its own authority (a management command, retention, a
    family member through a checked invitation), which the caller has already established."""
    if by is None:
        return
    if not scope_for(by).may_work_on_cases_in(jeugdige.region_id, jeugdige.gemeente_id):
        raise OutOfScope(_("You do not work on this case."))


def require_region_member(by, region_id: int) -> None:
    """Refuse (:class:`OutOfScope`) unless ``by`` is a member of the region
    (:class:`RegionInternal`); ``by=None`` as in :func:`require_case`."""
    if by is None:
        return
    if region_id not in scope_for(by).region_ids:
        raise OutOfScope(_("You do not work in this region."))


_ANY_USER = -1  # stands in for the user's id in the query built once per process


def _membership_rows(user_id: int) -> list[tuple]:
    """(membership pk, region id, role, region code, region name, gemeente id or None) of
    the user's memberships, a row per gemeente. The SQL is built once per process with a
    stand-in id and run with the user's (every page asks; building it was 3 % of the case
    list's CPU, issue 23)."""
    from django.db import connections

    from .models import Membership
    from .sql import compiled

    alias, sql, params = compiled(
        ("access.memberships",),
        lambda: (
            Membership.objects.filter(user_id=_ANY_USER)
            .order_by("region_id", "role", "pk")
            .values_list("pk", "region_id", "role", "region__code", "region__name", "gemeenten__id")
        ),
    )
    if params != (_ANY_USER,):  # the only parameter is the user's id
        raise AssertionError(f"unexpected parameters {params!r} in the memberships query")
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [user_id])
        return cursor.fetchall()


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_wel_scope", None)
    if cached is not None:
        return cached

    if user.national_role == NationalRole.BEHEERDER:
        # The beheerder role never sees case content, whatever memberships the account holds.
        scope = Scope(user_id=user.pk, national_role=user.national_role)
        user._wel_scope = scope
        return scope
    # One query: each membership with its gemeenten (a row per gemeente, one with None when
    # the membership covers the whole region).
    rows: dict[int, tuple] = {}
    gemeenten: dict[int, set[int]] = {}
    for pk, region_id, role, code, name, gemeente_id in _membership_rows(user.pk):
        rows.setdefault(pk, (region_id, role, code, name))
        if gemeente_id is not None:
            gemeenten.setdefault(pk, set()).add(gemeente_id)
    memberships = tuple(
        RegionRole(
            region_id=region_id,
            role=role,
            gemeente_ids=frozenset(gemeenten.get(pk, ())),
            region_code=code,
            region_name=name,
        )
        for pk, (region_id, role, code, name) in rows.items()
    )
    scope = Scope(user_id=user.pk, national_role=user.national_role, memberships=memberships)
    user._wel_scope = scope
    return scope


def require(check):
    """View decorator: ``@require(lambda scope: scope.is_national)``; 403 when it fails.

    For role-wide pages only; objects are found through ``visible_to`` querysets, so an object
    outside the user's scope answers 404.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(scope_for(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class ScopeRequiredMixin:
    """Class-based counterpart of :func:`require`: set ``scope_check``."""

    scope_check = staticmethod(lambda scope: scope.is_authenticated)

    def dispatch(self, request, *args, **kwargs):
        self.scope = scope_for(request.user)
        if not self.scope_check(self.scope):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
