"""Views of the interviews app: thin, fetching through selectors (``visible_to``) and writing
through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Jeugdige
from regions.forms import LearningForm
from wel import audit
from wel.access import require, scope_for
from wel.forms import add_service_errors
from wel.models import User

from . import selectors, services
from .filters import BeraadFilter, InterviewFilter, NationalAgendaFilter, ObstacleFilter
from .forms import (
    BeraadActionFormSet,
    BeraadForm,
    EscalateForm,
    InterviewForm,
    NationalStatusForm,
    NextStepDoneForm,
    NextStepFormSet,
    ObstacleForm,
    ObstacleRegionForm,
    ObstacleSeenFormSet,
    ObstacleStatusForm,
)
from .models import AgendaStatus, BelemmerendeFactor, Interview, NextStep

member = require(lambda scope: scope.works_in_region)
kartrekker = require(lambda scope: scope.is_kartrekker)


# -- Interviews ---------------------------------------------------------------------------------
@member
def interview_list(request):
    interview_filter = InterviewFilter(
        request.GET, queryset=selectors.interviews_list(user=request.user), user=request.user
    )
    page = Paginator(interview_filter.qs, 25).get_page(request.GET.get("page"))
    return render(
        request, "interviews/interview_list.html", {"filter": interview_filter, "page": page}
    )


def _interviewers(jeugdige):
    return (
        User.objects.filter(memberships__region=jeugdige.region_id, is_active=True)
        .exclude(api_client__isnull=False)  # an API client's service account is no person
        .distinct()
    )


SWITCH_RESPONDENT = "switch_respondent"


def _shown_without_errors(*forms_and_formsets) -> None:
    """Render bound forms as typed, without validating them: the respondent switch (no JS)
    shows the form again with the other respondent's questions, nothing refused."""
    for item in forms_and_formsets:
        if hasattr(item, "forms"):  # a formset
            item._errors = [ErrorDict() for _form in item.forms]
            item._non_form_errors = item.error_class()
            _shown_without_errors(*item.forms)
        else:
            item._errors = ErrorDict()


def _interview_form(request, *, jeugdige, interview=None):
    initial = None
    if interview is None:
        # Like a contact moment, an interview is usually recorded the day it is held; the
        # respondent may come from the link (the questions are then the right ones at once).
        initial = {"interviewer": request.user.pk, "held_on": timezone.localdate()}
        if request.GET.get("respondent") in Interview.RespondentKind.values:
            initial["respondent_kind"] = request.GET["respondent"]
    form = InterviewForm(
        request.POST or None,
        instance=interview,
        interviewers=_interviewers(jeugdige),
        initial=initial,
        prefix="interview",
    )
    steps = NextStepFormSet(
        request.POST or None,
        instance=interview or Interview(),
        prefix="steps",
        form_kwargs={"owners": services.step_owners(jeugdige)},
    )
    obstacles = ObstacleSeenFormSet(request.POST or None, prefix="obstacles")
    switching = request.method == "POST" and SWITCH_RESPONDENT in request.POST
    if switching:
        _shown_without_errors(form, steps, obstacles)
    if (
        request.method == "POST"
        and not switching
        and all([form.is_valid(), steps.is_valid(), obstacles.is_valid()])
    ):
        try:
            saved = services.interview_save(
                jeugdige=jeugdige,
                interview=interview,
                data=form.cleaned_data,
                next_steps=[
                    {**step.cleaned_data, "pk": step.instance.pk}
                    for step in steps.forms
                    if step.has_changed() and step.cleaned_data
                ],
                obstacles=[o.cleaned_data for o in obstacles if o.has_changed()],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The interview has been saved."))
            return redirect(saved)
    if interview is not None and request.method == "GET":
        # The edit form shows the interview's content: a read of personal data.
        audit.record(
            audit.events.INTERVIEW_EDIT_FORM_VIEWED,
            request=request,
            obj=interview,
            jeugdige=jeugdige,
        )
    return render(
        request,
        "interviews/interview_form.html",
        {
            "form": form,
            "steps": steps,
            "obstacles": obstacles,
            "jeugdige": jeugdige,
            "interview": interview,
            "respondent_kinds": Interview.RespondentKind.choices,
            "switch_name": SWITCH_RESPONDENT,
        },
    )


@member
def interview_create(request, reference):
    jeugdige = get_object_or_404(
        Jeugdige.objects.visible_to(request.user).select_related("region"), reference=reference
    )
    return _interview_form(request, jeugdige=jeugdige)


@member
def interview_update(request, pk):
    interview = selectors.interview_get(user=request.user, pk=pk)
    return _interview_form(request, jeugdige=interview.jeugdige, interview=interview)


@member
def interview_detail(request, pk):
    interview = selectors.interview_get(user=request.user, pk=pk)
    audit.record(
        audit.events.INTERVIEW_VIEWED, request=request, obj=interview, jeugdige=interview.jeugdige
    )
    return render(
        request,
        "interviews/interview_detail.html",
        {
            "interview": interview,
            "jeugdige": interview.jeugdige,
            "next_steps": interview.next_steps.select_related("owner_user"),
            "obstacles": interview.obstacles.all(),
        },
    )


@require_POST
@member
def next_step_done(request, pk):
    step = get_object_or_404(
        NextStep.objects.visible_to(request.user).select_related("interview__jeugdige"), pk=pk
    )
    form = NextStepDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This change could not be made; the next step is unchanged."))
        return redirect(step.interview)
    services.next_step_set_done(
        step=step, done=form.cleaned_data["done"], by=request.user, request=request
    )
    messages.success(request, _("The next step has been updated."))
    return redirect(form.cleaned_data["next"] or step.interview)


def _learning_prefilled(request, initial):
    form = LearningForm(user=request.user, initial=initial)
    return render(
        request, "regions/learning_form.html", {"form": form, "learning": None, "prefilled": True}
    )


@member
def interview_share(request, pk):
    interview = selectors.interview_get(user=request.user, pk=pk)
    audit.record(
        audit.events.INTERVIEW_SHARE_FORM_VIEWED,
        request=request,
        obj=interview,
        jeugdige=interview.jeugdige,
    )
    return _learning_prefilled(request, selectors.learning_draft_from_interview(interview))


# -- Moreel beraad ------------------------------------------------------------------------------
@member
def beraad_list(request):
    beraad_filter = BeraadFilter(request.GET, queryset=selectors.beraad_list(user=request.user))
    page = Paginator(beraad_filter.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "interviews/beraad_list.html",
        {
            "filter": beraad_filter,
            "page": page,
            "may_record": scope_for(request.user).is_kartrekker,
        },
    )


@member
def beraad_detail(request, pk):
    beraad = selectors.beraad_get(user=request.user, pk=pk)
    audit.record(audit.events.BERAAD_VIEWED, request=request, obj=beraad)
    return render(
        request,
        "interviews/beraad_detail.html",
        {
            "beraad": beraad,
            "may_edit": scope_for(request.user).may_lead(beraad.region_id),
            "obstacles": beraad.obstacles.all(),
        },
    )


def _beraad_form(request, *, region, beraad=None):
    jeugdigen = (
        Jeugdige.objects.visible_to(request.user).filter(region=region).order_by("reference")
    )
    form = BeraadForm(request.POST or None, instance=beraad, jeugdigen=jeugdigen, prefix="beraad")
    actions = BeraadActionFormSet(request.POST or None, instance=beraad or None, prefix="actions")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        try:
            saved = services.beraad_save(
                region=region,
                beraad=beraad,
                data=form.cleaned_data,
                jeugdigen=form.cleaned_data.get("jeugdigen") or [],
                actions=[
                    {
                        **action.cleaned_data,
                        "pk": action.instance.pk,
                        "delete": bool(action.cleaned_data.get("DELETE")),
                    }
                    for action in actions.forms
                    if action.has_changed() and action.cleaned_data
                ],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The moreel beraad has been saved."))
            return redirect(saved)
    return render(
        request,
        "interviews/beraad_form.html",
        {
            "form": form,
            "actions": actions,
            "region": region,
            "beraad": beraad,
            "lead_regions": selectors.lead_regions(user=request.user) if beraad is None else [],
        },
    )


@kartrekker
def beraad_create(request):
    regions = selectors.lead_regions(user=request.user)
    region = regions.filter(code=request.GET.get("region", "")).first() or regions.first()
    return _beraad_form(request, region=region)


@kartrekker
def beraad_update(request, pk):
    beraad = selectors.beraad_get(user=request.user, pk=pk)
    if not scope_for(request.user).may_lead(beraad.region_id):
        raise PermissionDenied
    return _beraad_form(request, region=beraad.region, beraad=beraad)


@member
def beraad_share(request, pk):
    beraad = selectors.beraad_get(user=request.user, pk=pk)
    return _learning_prefilled(request, selectors.learning_draft_from_beraad(beraad))


# -- Obstacles ----------------------------------------------------------------------------------
@member
def obstacle_list(request):
    obstacle_filter = ObstacleFilter(
        request.GET,
        queryset=selectors.obstacles_list(user=request.user),
        user=request.user,
    )
    page = Paginator(obstacle_filter.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "interviews/obstacle_list.html",
        {"filter": obstacle_filter, "page": page, "leads": scope_for(request.user).is_kartrekker},
    )


@member
def obstacle_create(request):
    """Raise an obstacle: ``?interview=<pk>``, ``?jeugdige=<reference>``, ``?beraad=<pk>``, or
    directly for a region."""
    user = request.user
    interview = jeugdige = beraad = None
    if request.GET.get("interview"):
        interview = selectors.interview_get(user=user, pk=_int(request.GET["interview"]))
        jeugdige = interview.jeugdige
    elif request.GET.get("jeugdige"):
        jeugdige = get_object_or_404(
            Jeugdige.objects.visible_to(user).select_related("region"),
            reference=request.GET["jeugdige"],
        )
    elif request.GET.get("beraad"):
        beraad = selectors.beraad_get(user=user, pk=_int(request.GET["beraad"]))
        if not scope_for(user).may_lead(beraad.region_id):
            raise PermissionDenied
    direct = interview is None and jeugdige is None and beraad is None
    regions = selectors.member_regions(user=user)
    form = (
        ObstacleRegionForm(request.POST or None, regions=regions)
        if direct
        else ObstacleForm(request.POST or None)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            factor = services.obstacle_raise(
                by=user,
                region=data.get("region"),
                category=data["category"],
                description=data["description"],
                level=data["level"],
                interview=interview,
                jeugdige=jeugdige,
                beraad=beraad,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The belemmerende factor has been noted."))
            if interview is not None:
                return redirect(interview)
            return redirect(factor)
    return render(
        request,
        "interviews/obstacle_form.html",
        {"form": form, "interview": interview, "jeugdige": jeugdige, "beraad": beraad},
    )


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _obstacle_page(request, factor, status_form=None, *, status=200):
    manages = services.may_manage_obstacle(request.user, factor)
    allowed = services.allowed_transitions(factor)
    if status_form is None and manages and allowed:
        status_form = ObstacleStatusForm(allowed=allowed)
    return render(
        request,
        "interviews/obstacle_detail.html",
        {
            "factor": factor,
            "manages": manages,
            "may_edit": manages or factor.created_by_id == request.user.pk,
            "status_form": status_form,
        },
        status=status,
    )


@member
def obstacle_detail(request, pk):
    factor = selectors.obstacle_get(user=request.user, pk=pk)
    if factor.jeugdige_id:
        audit.record(
            audit.events.FACTOR_VIEWED, request=request, obj=factor, jeugdige=factor.jeugdige
        )
    return _obstacle_page(request, factor)


@member
def obstacle_update(request, pk):
    factor = selectors.obstacle_get(user=request.user, pk=pk)
    if not (
        services.may_manage_obstacle(request.user, factor)
        or factor.created_by_id == request.user.pk
    ):
        raise PermissionDenied
    form = ObstacleForm(request.POST or None, instance=factor)
    if factor.level == "national":
        form.fields["level"].choices = [("national", _("national"))]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            factor = services.obstacle_update(
                factor=BelemmerendeFactor.objects.get(pk=factor.pk),
                by=request.user,
                category=data["category"],
                description=data["description"],
                level=data["level"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The belemmerende factor has been saved."))
            return redirect(factor)
    return render(request, "interviews/obstacle_form.html", {"form": form, "factor": factor})


@require_POST
@member
def obstacle_status(request, pk):
    """A refused change shows the page again with the reasons at the fields and what was
    typed kept (issue 21: a coming meeting's date was refused and the fields cleared)."""
    factor = selectors.obstacle_get(user=request.user, pk=pk)
    if not services.may_manage_obstacle(request.user, factor):
        raise PermissionDenied
    form = ObstacleStatusForm(request.POST, allowed=services.allowed_transitions(factor))
    if form.is_valid():
        try:
            services.obstacle_transition(
                factor=factor,
                to=form.cleaned_data["status"],
                by=request.user,
                agenda_where=form.cleaned_data["agenda_where"],
                agenda_on=form.cleaned_data["agenda_on"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status has been changed."))
            return redirect(factor)
    return _obstacle_page(request, factor, form)


@kartrekker
def obstacle_escalate(request, pk):
    factor = selectors.obstacle_get(user=request.user, pk=pk)
    if not services.may_manage_obstacle(request.user, factor):
        raise PermissionDenied
    form = EscalateForm(
        request.POST or None, initial={"shareable_summary": factor.shareable_summary}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.obstacle_escalate(
                factor=factor,
                summary=form.cleaned_data["shareable_summary"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The obstacle is now on the national agenda."))
            return redirect(factor)
    return render(request, "interviews/obstacle_escalate.html", {"form": form, "factor": factor})


@require(lambda scope: scope.is_landelijk_team)
def national_agenda(request):
    agenda_filter = NationalAgendaFilter(request.GET, queryset=selectors.national_agenda())
    page = Paginator(agenda_filter.qs, 50).get_page(request.GET.get("page"))
    labels = {
        "category": dict(BelemmerendeFactor._meta.get_field("category").choices),
        "status": dict(AgendaStatus.choices),
    }
    rows = [
        {
            **row,
            "category_label": labels["category"].get(row["category"], row["category"]),
            "status_label": labels["status"].get(row["status"], row["status"]),
            "next_statuses": [
                (s, labels["status"][s])
                for s in AgendaStatus.values
                if s in services.TRANSITIONS[row["status"]]
            ],
        }
        for row in page
    ]
    status_labels, summary = selectors.national_agenda_summary()
    return render(
        request,
        "interviews/national_agenda.html",
        {
            "filter": agenda_filter,
            "page": page,
            "rows": rows,
            "status_labels": status_labels,
            "summary": summary,
        },
    )


@require_POST
@require(lambda scope: scope.is_landelijk_team)
def national_status(request, pk):
    """The landelijk team moves a national obstacle on its agenda (from the national agenda)."""
    factor = get_object_or_404(selectors.national_obstacles(), pk=pk)
    form = NationalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Choose one of the statuses offered; the status has not been changed.")
        )
        return redirect("interviews:national_agenda")
    try:
        services.obstacle_transition(
            factor=factor,
            to=form.cleaned_data["status"],
            by=request.user,
            agenda_where=form.cleaned_data["agenda_where"] or _("national team"),
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The status has been changed."))
    return redirect("interviews:national_agenda")
