import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .access import require, scope_for
from .filters import AuditEventFilter
from .forms import AccountSettingsForm
from .models import AuditEvent

log = logging.getLogger(__name__)


def home(request):
    """The start page: what this user can do, by role."""
    return render(request, "wel/home.html", {"scope": scope_for(request.user)})


def account_settings(request):
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings have been saved."))
        return redirect("account_settings")
    return render(request, "wel/account_settings.html", {"form": form})


@require(lambda scope: scope.is_beheerder)
def audit_log(request):
    """The audit log for the beheerder, filterable; it shows references, never names."""
    audit_filter = AuditEventFilter(request.GET, queryset=AuditEvent.objects.all())
    page = Paginator(audit_filter.qs, 50).get_page(request.GET.get("page"))
    return render(request, "wel/audit_log.html", {"filter": audit_filter, "page": page})


def _check_pages(request) -> None:
    # The base layout names every vendored static file; with the manifest storage of the
    # production settings a missing or stale manifest raises here, exactly as every page would.
    render_to_string("base.html", request=request)


def _check_database(request) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_broker(request) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # no broker configured: tasks run in-process
    from .celery import app

    with app.connection_for_write(connect_timeout=HEALTH_BROKER_TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, timeout=HEALTH_BROKER_TIMEOUT)
        conn.default_channel  # noqa: B018 - opening a channel pings the broker


HEALTH_BROKER_TIMEOUT = 2  # seconds; the load balancer's probe must answer quickly
HEALTH_CHECKS = {"pages": _check_pages, "database": _check_database, "broker": _check_broker}


@login_not_required
@require_GET
def health(request):
    """Readiness for the load balancer and docker-compose: 200 only when pages can render
    (static manifest present), the database answers and the Celery broker accepts a
    connection; 503 with the failing parts named otherwise. Never shows error details."""
    checks = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            check(request)
        except Exception:  # noqa: BLE001 - any failure of a part means "unhealthy"
            log.exception("health check %s failed", name)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
