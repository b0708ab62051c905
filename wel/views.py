from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .access import require, scope_for
from .filters import AuditEventFilter
from .forms import AccountSettingsForm
from .models import AuditEvent


def home(request):
    """The start page: what this user can do, by role."""
    return render(request, "wel/home.html", {"scope": scope_for(request.user)})


def account_settings(request):
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings have been saved."))
        return redirect("account_settings")
    return render(
        request,
        "wel/account_settings.html",
        {
            "form": form,
            "memberships": selectors.memberships_of(user=request.user),
            "access_changes": list(selectors.access_changes(user=request.user)),
        },
    )


@require(lambda scope: scope.is_beheerder)
def audit_log(request):
    """The audit log for the beheerder, filterable; it shows references, never names."""
    audit_filter = AuditEventFilter(request.GET, queryset=AuditEvent.objects.all())
    page = Paginator(audit_filter.qs, 50).get_page(request.GET.get("page"))
    return render(request, "wel/audit_log.html", {"filter": audit_filter, "page": page})


@login_not_required
@require_GET
def health(request):
    """Liveness for the load balancer and docker-compose: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
