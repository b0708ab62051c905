"""The access policy: one place that answers "where does this user work, in which role".

Apps turn a :class:`Scope` into querysets in their managers
(``Region.objects.visible_to(user)``, ``Jeugdige.objects.visible_to(user)``), so the core never
imports them and no view filters by hand. Rules (docs/security.md, "Roles and what each
sees"):

- an LPA sees the cases of the gemeenten of their membership (all of the region's gemeenten
  when the membership names none) and the region's non-personal content;
- a kartrekker sees everything in their region;
- the landelijk team sees every region's non-personal content and aggregates, never a case;
- a beheerder manages users and reference data and sees no case content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q

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
        """Regions this user may look at: their own, or all of them for national roles."""
        if self.is_national:
            return Q()
        if not self.memberships:
            return NOTHING
        return Q(**{f"{field}__in": sorted(self.region_ids)})

    def member_region_q(self, field: str = "region") -> Q:
        """Region content that stays inside the region (e.g. moreel beraad): members only."""
        if not self.memberships:
            return NOTHING
        return Q(**{f"{field}__in": sorted(self.region_ids)})

    def case_q(self, region_field: str = "region", gemeente_field: str = "gemeente") -> Q:
        """Personal data of jeugdigen: kartrekker the region, LPA their gemeenten; nobody else."""
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


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_wel_scope", None)
    if cached is not None:
        return cached
    from .models import Membership

    if user.national_role == NationalRole.BEHEERDER:
        # The beheerder role never sees case content, whatever memberships the account holds.
        scope = Scope(user_id=user.pk, national_role=user.national_role)
        user._wel_scope = scope
        return scope
    # One query: each membership with its gemeenten (a row per gemeente, one with None when
    # the membership covers the whole region).
    rows: dict[int, tuple] = {}
    gemeenten: dict[int, set[int]] = {}
    for pk, region_id, role, code, name, gemeente_id in (
        Membership.objects.filter(user=user)
        .order_by("region_id", "role", "pk")
        .values_list("pk", "region_id", "role", "region__code", "region__name", "gemeenten__id")
    ):
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
