from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from wel.access import require, scope_for
from wel.models import Role

from .filters import RegionFilter
from .forms import RegionForm
from .models import Region
from .selectors import region_get, regions_list, rollout_progress
from .services import region_save

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
        region = region_save(form=form, by=request.user, request=request)
        messages.success(request, _("Region %(name)s has been added.") % {"name": region.name})
        return redirect(region)
    return render(request, "regions/region_form.html", {"form": form, "region": None})


@national
def region_update(request, code):
    region = get_object_or_404(Region.objects.visible_to(request.user), code=code)
    form = RegionForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        region = region_save(form=form, by=request.user, request=request)
        messages.success(request, _("Region %(name)s has been saved.") % {"name": region.name})
        return redirect(region)
    return render(request, "regions/region_form.html", {"form": form, "region": region})
