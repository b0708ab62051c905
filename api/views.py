"""The API's views: thin, as the pages' are. Reads start from the access policy's querysets
(``visible_to``, the selectors), writes go through the domain's services (the same rules,
audit events and processing log as the pages), and each call is audited like the page that
shows the same data, with the API client's service account as the actor."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from cases import rules
from cases import selectors as case_selectors
from cases import services as case_services
from cases.models import ContactMoment, Grondslag, Jeugdige, Status
from interviews import services as interview_services
from interviews.models import Interview, NextStep
from regions.models import Gemeente, Region
from wel import audit
from wel.access import scope_for

from . import problems
from .pagination import Pages
from .serializers import (
    FIELD_NAMES,
    CijferTabelSerializer,
    ContactmomentSerializer,
    GemeenteSerializer,
    GesprekSerializer,
    JeugdigeInputSerializer,
    JeugdigeSerializer,
    RegioSerializer,
    TellingSerializer,
    VervolgstapInputSerializer,
    VervolgstapSerializer,
    VrijstellingSerializer,
)

VRIJSTELLING_GRONDSLAGEN = (
    Grondslag.VRIJSTELLING_5A,
    Grondslag.VRIJSTELLING_5B,
    Grondslag.VRIJSTELLING_5C,
    Grondslag.ARTIKEL_5A,
    Grondslag.ARTIKEL_15,
)


REFERENTIE = OpenApiParameter(
    "referentie",
    str,
    OpenApiParameter.PATH,
    pattern=r"^[A-Z]{3,4}-[0-9]{4}-[0-9]{4,9}$",
    description="De pseudonieme referentie van de jeugdige, bijvoorbeeld EMM-2026-0007.",
)
REGIOCODE = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    pattern=r"^[A-Za-z0-9]{2,20}$",
    description="De code van de regio, bijvoorbeeld VO2202.",
)


def works_in_region(scope) -> bool:
    return scope.works_in_region


def _query(request, name: str, *, choices=None, max_length: int = 100) -> str:
    value = request.query_params.get(name, "")
    if len(value) > max_length:
        raise ValidationError({name: [_("This value is too long.")]})
    if value and choices is not None and value not in choices:
        raise ValidationError(
            {name: [_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}]}
        )
    return value


def _query_date(request, name: str) -> dt.date | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: [_("Give a date as yyyy-mm-dd, e.g. 2026-09-01.")]}) from None


def _domain(call, **fields):
    """Run a service; its refusals become 400 (field errors), 403 or 409 problems."""
    try:
        return call()
    except case_services.ConcurrentEditError:
        raise
    except case_services.CaseError as exc:
        raise problems.DomainInvalid(exc, {**FIELD_NAMES, **fields}) from None
    except Exception as exc:
        from django.core.exceptions import ValidationError as DjangoValidationError

        if isinstance(exc, DjangoValidationError):
            raise problems.DomainInvalid(exc, {**FIELD_NAMES, **fields}) from None
        raise


class ApiView(GenericAPIView):
    pagination_class = Pages

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "request": self.request}


# -- jeugdigen --------------------------------------------------------------------------------
JEUGDIGE_FILTERS = [
    OpenApiParameter("gemeente", str, description="CBS-code van de gemeente (4 cijfers)."),
    OpenApiParameter("status", str, enum=[s for s, _l in Status.choices]),
    OpenApiParameter("grondslag", str, enum=[g for g, _l in Grondslag.choices]),
    OpenApiParameter(
        "gewijzigdSinds",
        OpenApiTypes.DATE,
        description="Alleen jeugdigen die op of na deze datum zijn gewijzigd.",
    ),
]


class JeugdigenView(ApiView):
    required_scopes = {"GET": "jeugdigen:lezen", "POST": "jeugdigen:schrijven"}
    scope_check = staticmethod(works_in_region)
    serializer_class = JeugdigeSerializer

    def filtered(self, request):
        qs = (
            Jeugdige.objects.visible_to(request.user)
            .select_related("region", "gemeente")
            .order_by("-created_at", "-pk")
        )
        gemeente = _query(request, "gemeente", max_length=10)
        if gemeente:
            qs = qs.filter(gemeente__cbs_code=gemeente)
        state = _query(request, "status", choices=[s for s, _l in Status.choices])
        if state:
            qs = qs.filter(status=state)
        grondslag = _query(request, "grondslag", choices=[g for g, _l in Grondslag.choices])
        if grondslag:
            qs = qs.filter(grondslag=grondslag)
        since = _query_date(request, "gewijzigdSinds")
        if since is not None:
            qs = qs.filter(updated_at__date__gte=since)
        return qs

    def count_key(self, request):
        """What :meth:`filtered` counts, for the total kept under the regions' case tokens
        (``api.pagination.Pages``): the client's scope, the filters and the time zone (the
        ``gewijzigdSinds`` date). None — counted afresh — with a municipality filter, whose
        join with ``regions_gemeente`` the case tokens do not follow (cases/counts.py)."""
        if _query(request, "gemeente", max_length=10):
            return None
        scope = scope_for(request.user)
        filters = sorted(
            (name, tuple(values))
            for name, values in request.query_params.lists()
            if name in ("status", "grondslag", "gewijzigdSinds")
        )
        return scope.region_ids, (
            "api.jeugdigen",
            scope,
            filters,
            timezone.get_current_timezone_name(),
        )

    @extend_schema(
        operation_id="jeugdigenLijst",
        responses={200: JeugdigeSerializer(many=True)},
        summary="De jeugdigen die deze client mag zien",
        parameters=JEUGDIGE_FILTERS,
    )
    def get(self, request):
        rows = self.paginate_queryset(self.filtered(request))
        audit.record(
            audit.events.CASE_LIST_VIEWED,
            request=request,
            detail={"page": self.paginator.number, "rows": len(rows), "api": True},
            subjects=[row.pk for row in rows],
        )
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(
        operation_id="jeugdigeRegistreren",
        summary="Een jeugdige registreren",
        request=JeugdigeInputSerializer,
        responses={201: JeugdigeSerializer},
    )
    def post(self, request):
        incoming = JeugdigeInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        scope = scope_for(request.user)
        code = incoming.validated_data.get("regio")
        regions = Region.objects.visible_to(request.user).filter(pk__in=scope.region_ids)
        if code:
            region = regions.filter(code=code).first()
        else:
            candidates = list(regions[:2])
            region = candidates[0] if len(candidates) == 1 else None
        if region is None:
            raise ValidationError({"regio": [_("Give the code of a region this client works in.")]})
        gemeente = region.gemeenten.filter(cbs_code=incoming.validated_data["gemeente"]).first()
        if gemeente is None:
            raise ValidationError(
                {"gemeente": [_("Give the CBS code of a municipality of this region.")]}
            )
        jeugdige = _domain(
            lambda: case_services.jeugdige_create(
                region=region,
                gemeente=gemeente,
                by=request.user,
                data=incoming.model_data(),
                allow_duplicate=incoming.validated_data.get("dubbelToestaan", False),
                confirm_warnings=tuple(incoming.validated_data.get("bevestigdeWaarschuwingen", ())),
                request=request,
            )
        )
        return Response(self.get_serializer(jeugdige).data, status=status.HTTP_201_CREATED)


class JeugdigeView(ApiView):
    required_scopes = {"GET": "jeugdigen:lezen", "PATCH": "jeugdigen:schrijven"}
    scope_check = staticmethod(works_in_region)
    serializer_class = JeugdigeSerializer

    @extend_schema(operation_id="jeugdigeLezen", parameters=[REFERENTIE], summary="Eén jeugdige")
    def get(self, request, referentie):
        jeugdige = case_selectors.jeugdige_get(user=request.user, reference=referentie)
        return Response(self.get_serializer(jeugdige).data)

    @extend_schema(
        operation_id="jeugdigeWijzigen",
        parameters=[REFERENTIE],
        summary="Een jeugdige wijzigen (met de gelezen versie)",
        request=JeugdigeInputSerializer(partial=True),
        responses={200: JeugdigeSerializer},
    )
    def patch(self, request, referentie):
        jeugdige = case_selectors.jeugdige_get(user=request.user, reference=referentie)
        incoming = JeugdigeInputSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        version = incoming.validated_data.get("versie")
        if version is None:
            raise ValidationError(
                {"versie": [_("Give the version you read (versie), so no change is lost.")]}
            )
        data = incoming.model_data()
        code = incoming.validated_data.get("gemeente")
        if code:
            gemeente = jeugdige.region.gemeenten.filter(cbs_code=code).first()
            if gemeente is None:
                raise ValidationError(
                    {"gemeente": [_("Give the CBS code of a municipality of this region.")]}
                )
            data["gemeente"] = gemeente
        updated = _domain(
            lambda: case_services.jeugdige_update(
                jeugdige=jeugdige,
                data=data,
                version=version,
                by=request.user,
                confirm_warnings=tuple(incoming.validated_data.get("bevestigdeWaarschuwingen", ())),
                request=request,
            )
        )
        updated = Jeugdige.objects.select_related("region", "gemeente").get(pk=updated.pk)
        return Response(self.get_serializer(updated).data)


class ContactmomentenView(ApiView):
    required_scopes = {"GET": "jeugdigen:lezen", "POST": "jeugdigen:schrijven"}
    scope_check = staticmethod(works_in_region)
    serializer_class = ContactmomentSerializer

    @extend_schema(
        operation_id="contactmomentenLijst",
        parameters=[REFERENTIE],
        summary="De contactmomenten van een jeugdige",
        responses={200: ContactmomentSerializer(many=True)},
    )
    def get(self, request, referentie):
        jeugdige = case_selectors.jeugdige_get(user=request.user, reference=referentie)
        rows = self.paginate_queryset(
            ContactMoment.objects.filter(jeugdige=jeugdige).order_by("-date", "-pk")
        )
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(
        operation_id="contactmomentVastleggen",
        parameters=[REFERENTIE],
        summary="Een contactmoment vastleggen",
        responses={201: ContactmomentSerializer},
    )
    def post(self, request, referentie):
        jeugdige = case_selectors.jeugdige_get(user=request.user, reference=referentie)
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        contact = _domain(
            lambda: case_services.contact_add(
                jeugdige=jeugdige,
                date=data["date"],
                kind=data["kind"],
                summary=data["summary"],
                next_contact_due=data.get("volgendContactDatum"),
                by=request.user,
                request=request,
            ),
            next_contact_due="volgendContactDatum",
        )
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)


class VrijstellingenView(ApiView):
    required_scopes = {"GET": "jeugdigen:lezen"}
    scope_check = staticmethod(works_in_region)
    serializer_class = VrijstellingSerializer

    @extend_schema(
        operation_id="vrijstellingenLijst",
        responses={200: VrijstellingSerializer(many=True)},
        summary="De vrijstellingen (jeugdigen met een vrijstelling als grondslag)",
        parameters=[
            OpenApiParameter("gemeente", str, description="CBS-code van de gemeente."),
            OpenApiParameter(
                "herbeoordelingVoor",
                OpenApiTypes.DATE,
                description="Alleen vrijstellingen die vóór deze datum opnieuw moeten.",
            ),
        ],
    )
    def get(self, request):
        qs = (
            Jeugdige.objects.visible_to(request.user)
            .filter(grondslag__in=VRIJSTELLING_GRONDSLAGEN)
            .select_related("gemeente")
            .order_by("renewal_due", "pk")
        )
        gemeente = _query(request, "gemeente", max_length=10)
        if gemeente:
            qs = qs.filter(gemeente__cbs_code=gemeente)
        before = _query_date(request, "herbeoordelingVoor")
        if before is not None:
            qs = qs.filter(renewal_due__lt=before)
        rows = self.paginate_queryset(qs)
        audit.record(
            audit.events.CASE_LIST_VIEWED,
            request=request,
            detail={"page": self.paginator.number, "rows": len(rows), "api": "vrijstellingen"},
            subjects=[row.pk for row in rows],
        )
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


# -- gesprekken en vervolgstappen -------------------------------------------------------------
class GesprekkenView(ApiView):
    required_scopes = {"GET": "gesprekken:lezen"}
    scope_check = staticmethod(works_in_region)
    serializer_class = GesprekSerializer

    @extend_schema(
        operation_id="gesprekkenLijst",
        responses={200: GesprekSerializer(many=True)},
        summary="De gesprekken die deze client mag zien",
        parameters=[OpenApiParameter("jeugdige", str, description="Referentie van de jeugdige.")],
    )
    def get(self, request):
        qs = (
            Interview.objects.visible_to(request.user)
            .select_related("jeugdige")
            .prefetch_related(
                Prefetch("next_steps", NextStep.objects.select_related("interview__jeugdige"))
            )
            .order_by("-held_on", "-pk")
        )
        reference = _query(request, "jeugdige", max_length=20)
        if reference:
            qs = qs.filter(jeugdige__reference=reference)
        rows = self.paginate_queryset(qs)
        audit.record(
            audit.events.INTERVIEW_LIST_VIEWED,
            request=request,
            detail={"page": self.paginator.number, "rows": len(rows)},
            subjects=[row.jeugdige_id for row in rows],
        )
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class GesprekView(ApiView):
    required_scopes = {"GET": "gesprekken:lezen"}
    scope_check = staticmethod(works_in_region)
    serializer_class = GesprekSerializer

    @extend_schema(operation_id="gesprekLezen", summary="Eén gesprek met zijn vervolgstappen")
    def get(self, request, id):
        interview = get_object_or_404(
            Interview.objects.visible_to(request.user)
            .select_related("jeugdige")
            .prefetch_related(
                Prefetch("next_steps", NextStep.objects.select_related("interview__jeugdige"))
            ),
            pk=id,
        )
        audit.record(
            audit.events.INTERVIEW_VIEWED,
            request=request,
            obj=interview,
            jeugdige=interview.jeugdige,
        )
        return Response(self.get_serializer(interview).data)


class VervolgstappenView(ApiView):
    required_scopes = {"GET": "gesprekken:lezen"}
    scope_check = staticmethod(works_in_region)
    serializer_class = VervolgstapSerializer

    @extend_schema(
        operation_id="vervolgstappenLijst",
        responses={200: VervolgstapSerializer(many=True)},
        summary="De vervolgstappen van de gesprekken die deze client mag zien",
        parameters=[
            OpenApiParameter("gedaan", bool, description="Alleen open (false) of gedane (true)."),
        ],
    )
    def get(self, request):
        qs = (
            NextStep.objects.visible_to(request.user)
            .select_related("interview__jeugdige")
            .order_by("due_on", "pk")
        )
        done = _query(request, "gedaan", choices=["true", "false"])
        if done:
            qs = qs.filter(done=done == "true")
        rows = self.paginate_queryset(qs)
        audit.record(
            audit.events.AGENDA_VIEWED,
            request=request,
            detail={"rows": len(rows), "api": "vervolgstappen"},
            subjects=[row.interview.jeugdige_id for row in rows],
        )
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class VervolgstapView(ApiView):
    required_scopes = {"PATCH": "gesprekken:schrijven"}
    scope_check = staticmethod(works_in_region)
    serializer_class = VervolgstapSerializer

    @extend_schema(
        operation_id="vervolgstapAfvinken",
        summary="Een vervolgstap afvinken of heropenen",
        request=VervolgstapInputSerializer,
        responses={200: VervolgstapSerializer},
    )
    def patch(self, request, id):
        step = get_object_or_404(
            NextStep.objects.visible_to(request.user).select_related("interview__jeugdige"),
            pk=id,
        )
        incoming = VervolgstapInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        with transaction.atomic():
            step = _domain(
                lambda: interview_services.next_step_set_done(
                    step=step,
                    done=incoming.validated_data["gedaan"],
                    by=request.user,
                    request=request,
                )
            )
        return Response(self.get_serializer(step).data)


# -- regio's en gemeenten ---------------------------------------------------------------------
class RegiosView(ApiView):
    required_scopes = {"GET": "regios:lezen"}
    serializer_class = RegioSerializer

    @extend_schema(
        operation_id="regiosLijst",
        summary="De regio's die deze client mag zien",
        responses={200: RegioSerializer(many=True)},
    )
    def get(self, request):
        qs = (
            Region.objects.visible_to(request.user)
            .prefetch_related(Prefetch("gemeenten", Gemeente.objects.only("pk", "cbs_code")))
            .order_by("code")
        )
        rows = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class RegioView(ApiView):
    required_scopes = {"GET": "regios:lezen"}
    serializer_class = RegioSerializer

    @extend_schema(operation_id="regioLezen", parameters=[REGIOCODE], summary="Eén regio")
    def get(self, request, code):
        region = get_object_or_404(
            Region.objects.visible_to(request.user).prefetch_related("gemeenten"), code=code
        )
        return Response(self.get_serializer(region).data)


class GemeentenView(ApiView):
    required_scopes = {"GET": "regios:lezen"}
    serializer_class = GemeenteSerializer

    @extend_schema(
        operation_id="gemeentenLijst",
        responses={200: GemeenteSerializer(many=True)},
        summary="De gemeenten van de regio's die deze client mag zien",
        parameters=[OpenApiParameter("regio", str, description="Code van de regio.")],
    )
    def get(self, request):
        regions = Region.objects.visible_to(request.user)
        qs = (
            Gemeente.objects.filter(regions__in=regions.values("pk"))
            .distinct()
            .prefetch_related(Prefetch("regions", Region.objects.only("pk", "code")))
            .order_by("cbs_code")
        )
        code = _query(request, "regio", max_length=20)
        if code:
            qs = qs.filter(regions__code=code)
        rows = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


# -- het jaaroverzicht en de landelijke cijfers -----------------------------------------------
class LeerplichttellingView(ApiView):
    required_scopes = {"GET": "telling:lezen"}
    scope_check = staticmethod(works_in_region)
    serializer_class = TellingSerializer
    pagination_class = None

    @extend_schema(
        operation_id="leerplichttellingLezen",
        summary="Het jaaroverzicht (Lpw art. 25) van een gemeente en een schooljaar",
        parameters=[
            OpenApiParameter("gemeente", str, required=True, description="CBS-code."),
            OpenApiParameter(
                "schooljaar",
                str,
                pattern=r"^\d{4}-\d{4}$",
                description="Bijvoorbeeld 2025-2026; standaard het laatst afgesloten schooljaar.",
            ),
        ],
    )
    def get(self, request):
        from cases import telling as year_overview

        code = _query(request, "gemeente", max_length=10)
        if not code:
            raise ValidationError({"gemeente": [_("Give the CBS code of a municipality.")]})
        gemeente = year_overview.telling_gemeenten(user=request.user).filter(cbs_code=code).first()
        if gemeente is None:
            raise Http404
        text = _query(request, "schooljaar", max_length=9)
        try:
            year = rules.SchoolYear.parse(text) if text else year_overview.default_year()
        except ValueError:
            year = None
        if year is None or not 2000 <= year.first <= timezone.localdate().year:
            raise ValidationError(
                {"schooljaar": [_("Give a school year as 2025-2026, from 2000 up to this year.")]}
            )
        overview = year_overview.telling_for(user=request.user, gemeente=gemeente, year=year)
        audit.record(
            audit.events.YEAR_OVERVIEW_VIEWED,
            request=request,
            detail={"gemeente": gemeente.cbs_code, "schooljaar": year.label, "api": True},
        )
        return Response(self.get_serializer(overview).data)


def _table(table) -> dict:
    columns = [{"sleutel": c.key, "titel": str(c.label)} for c in table.columns]
    keys = [c.key for c in table.columns]

    def row(r):
        return {
            "sleutel": str(r.key),
            "cellen": dict(zip(keys, [_cell(v) for v in r], strict=False)),
        }

    return {
        "sleutel": table.key,
        "titel": str(table.caption),
        "kolommen": columns,
        "rijen": [row(r) for r in table.rows],
        "totaal": row(table.total) if table.total is not None else None,
    }


def _cell(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | str):
        return value
    return str(value)


class CijfersView(ApiView):
    required_scopes = {"GET": "cijfers:lezen"}
    scope_check = staticmethod(lambda scope: scope.is_landelijk_team)
    serializer_class = CijferTabelSerializer
    pagination_class = None

    @extend_schema(
        operation_id="cijfersLijst",
        summary="De beschermde landelijke cijfers (alleen het landelijk team)",
        responses={200: CijferTabelSerializer(many=True)},
    )
    def get(self, request):
        from reports import selectors as report_selectors
        from reports.services import standard_period

        start, end = standard_period()
        tables = report_selectors.national_tables(start=start, end=end)
        return Response([_table(t) for t in tables])
