from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wel.access import require, scope_for
from wel.forms import add_service_errors
from wel.models import Role

from .filters import RegionFilter
from .forms import LearningForm, RegionForm, TrainingSessionForm
from .models import Learning, Region, TrainingRegistration, TrainingSession
from .selectors import (
    learnings_list,
    region_get,
    regions_list,
    rollout_progress,
    training_attendance,
    training_sessions,
)
from .services import (
    learning_save,
    region_save,
    training_cancel,
    training_default,
    training_session_save,
    training_sign_up,
)

national = require(lambda scope: scope.is_national)


@require(lambda scope: scope.works_in_region or scope.is_national)
def region_list(request):
    qs = regions_list(user=request.user, filters=request.GET)
    region_filter = RegionFilter(request.GET, queryset=qs)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "regions/region_list.html", {"filter": region_filter, "page": page})


@national
def rollout(request):
    return render(request, "regions/rollout.html", {"phases": rollout_progress()})


def region_detail(request, code):
    region = region_get(user=request.user, code=code)
    memberships = (
        region.memberships.select_related("user")
        .prefetch_related("gemeenten")
        .order_by("role", "user__full_name")
    )
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "gemeenten": region.gemeenten.all(),
            "kartrekkers": [m for m in memberships if m.role == Role.KARTREKKER],
            "lpas": [m for m in memberships if m.role == Role.LPA],
            "can_edit": scope_for(request.user).is_national,
        },
    )


@national
def region_create(request):
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region = region_save(
                data=form.cleaned_data,
                gemeenten=form.cleaned_data["gemeenten"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Region %(name)s has been added.") % {"name": region.name})
            return redirect(region)
    return render(request, "regions/region_form.html", {"form": form, "region": None})


@national
def region_update(request, code):
    region = get_object_or_404(Region.objects.visible_to(request.user), code=code)
    form = RegionForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        try:
            saved = region_save(
                region=region,
                data=form.cleaned_data,
                gemeenten=form.cleaned_data["gemeenten"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Region %(name)s has been saved.") % {"name": saved.name})
            return redirect(saved)
    return render(request, "regions/region_form.html", {"form": form, "region": region})


# -- Learnings ----------------------------------------------------------------------------------
any_role = require(lambda scope: scope.works_in_region or scope.is_national)
learning_writer = require(lambda scope: scope.works_in_region or scope.is_landelijk_team)


@any_role
def learning_list(request):
    learning_filter = learnings_list(user=request.user, filters=request.GET)
    page = Paginator(learning_filter.qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "regions/learning_list.html",
        {
            "filter": learning_filter,
            "page": page,
            "can_write": scope_for(request.user).works_in_region
            or scope_for(request.user).is_landelijk_team,
        },
    )


@any_role
def learning_detail(request, pk):
    learning = get_object_or_404(
        Learning.objects.visible_to(request.user).select_related("region", "author"), pk=pk
    )
    return render(
        request,
        "regions/learning_detail.html",
        {"learning": learning, "can_edit": learning.author_id == request.user.pk},
    )


def _learning_from_form(request, form, learning=None):
    data = form.cleaned_data
    return learning_save(
        by=request.user,
        learning=learning,
        title=data["title"],
        lesson=data["lesson"],
        context=data["context"],
        kind=data["kind"],
        themes=data["themes"],
        region=data["region"],
        source=data.get("source") or "",
        checked_identifying=data["checked_identifying"],
        publish=data["publish"],
        request=request,
    )


def _save_learning_or_errors(request, form, learning=None):
    try:
        return _learning_from_form(request, form, learning)
    except ValidationError as error:
        add_service_errors(form, error)
    return None


@learning_writer
def learning_create(request):
    form = LearningForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        learning = _save_learning_or_errors(request, form)
        if learning is not None:
            messages.success(request, _("The learning has been saved."))
            return redirect(learning)
    return render(request, "regions/learning_form.html", {"form": form, "learning": None})


@learning_writer
def learning_update(request, pk):
    learning = get_object_or_404(
        Learning.objects.visible_to(request.user).filter(author=request.user), pk=pk
    )
    initial = {
        "title": learning.title,
        "kind": learning.kind,
        "lesson": learning.lesson,
        "context": learning.context,
        "themes": learning.theme_values,
        "region": learning.region_id,
        "source": learning.source,
        "checked_identifying": learning.checked_identifying,
        "publish": learning.status == Learning.Status.PUBLISHED,
    }
    form = LearningForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save_learning_or_errors(request, form, learning)
        if saved is not None:
            messages.success(request, _("The learning has been saved."))
            return redirect(saved)
    return render(request, "regions/learning_form.html", {"form": form, "learning": learning})


# -- Training -----------------------------------------------------------------------------------
landelijk_team = require(lambda scope: scope.is_landelijk_team)


@any_role
def training_list(request):
    scope = scope_for(request.user)
    now = timezone.now()
    sessions = training_sessions(user=request.user)
    return render(
        request,
        "regions/training_list.html",
        {
            "upcoming": [s for s in sessions if s.starts_at > now],
            "past": [s for s in sessions if s.starts_at <= now][-10:],
            "may_sign_up": scope.works_in_region,
            "manages": scope.is_landelijk_team,
        },
    )


@any_role
def training_session_detail(request, pk):
    session = get_object_or_404(training_sessions(user=request.user), pk=pk)
    scope = scope_for(request.user)
    registrations = []
    if scope.is_landelijk_team:
        registrations = (
            TrainingRegistration.objects.visible_to(request.user)
            .filter(session=session)
            .exclude(status=TrainingRegistration.Status.CANCELLED)
            .select_related("user", "region")
            .order_by("status", "created_at", "id")
        )
    return render(
        request,
        "regions/training_session_detail.html",
        {
            "session": session,
            "registrations": registrations,
            "manages": scope.is_landelijk_team,
            "may_sign_up": scope.works_in_region and session.starts_at > timezone.now(),
        },
    )


@landelijk_team
def training_session_create(request):
    form = TrainingSessionForm(
        request.POST or None, initial={"training": training_default(), "capacity": 20}
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = training_session_save(
                data=form.cleaned_data, by=request.user, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training session has been published."))
            return redirect(session)
    return render(request, "regions/training_session_form.html", {"form": form, "session": None})


@landelijk_team
def training_session_update(request, pk):
    session = get_object_or_404(TrainingSession.objects.visible_to(request.user), pk=pk)
    form = TrainingSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            saved = training_session_save(
                session=session, data=form.cleaned_data, by=request.user, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training session has been saved."))
            return redirect(saved)
    return render(request, "regions/training_session_form.html", {"form": form, "session": session})


@require_POST
@require(lambda scope: scope.works_in_region)
def training_sign_up_view(request, pk):
    session = get_object_or_404(TrainingSession.objects.visible_to(request.user), pk=pk)
    try:
        registration = training_sign_up(session=session, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(session)
    if registration.status == TrainingRegistration.Status.REGISTERED:
        messages.success(request, _("You are signed up for this session."))
    else:
        messages.info(
            request,
            _(
                "The session is full: you are on the waiting list. You get a place as soon as "
                "someone cancels."
            ),
        )
    return redirect(session)


@require_POST
@require(lambda scope: scope.works_in_region)
def training_cancel_view(request, pk):
    session = get_object_or_404(TrainingSession.objects.visible_to(request.user), pk=pk)
    try:
        training_cancel(session=session, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(session)
    messages.success(request, _("Your sign-up has been cancelled."))
    return redirect(session)


@landelijk_team
def training_attendance_view(request):
    rows = list(training_attendance())
    fields = ("lpas", "attended", "registered", "waiting", "people")
    totals = {f: sum(getattr(r, f) for r in rows) for f in fields}
    return render(request, "regions/training_attendance.html", {"rows": rows, "totals": totals})
