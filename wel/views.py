import csv
import io
import logging
from datetime import UTC, date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import audit, processing_log, selectors
from .access import require, scope_for
from .audit_labels import label_events
from .filters import AuditEventFilter
from .forms import AccountSettingsForm
from .models import AuditEvent, ProcessingRecord
from .services import user_set_language

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
    return render(
        request,
        "wel/account_settings.html",
        {
            "form": form,
            "memberships": selectors.memberships_of(user=request.user),
            "access_changes": label_events(selectors.access_changes(user=request.user)),
        },
    )


AUDIT_PAGE_SIZE = 50
AUDIT_CSV_MAX_ROWS = 100_000


def render_audit_log(
    request,
    queryset,
    *,
    title: str,
    export_url: str,
    scope_note: str = "",
    processing_log_url: str = "",
):
    """An audit log page (beheerder: all; kartrekker: their region's cases): filter by user,
    jeugdige reference, event, outcome and period; readable Dutch labels; a CSV link."""
    audit_filter = AuditEventFilter(request.GET, queryset=queryset)
    page = Paginator(audit_filter.qs, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = label_events(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "wel/audit_log.html",
        {
            "filter": audit_filter,
            "page": page,
            "title": title,
            "scope_note": scope_note,
            "export_url": f"{export_url}?{query.urlencode()}",
            "processing_log_url": processing_log_url,
        },
    )


def audit_csv(request, queryset, *, filename: str, event: audit.EventType) -> HttpResponse:
    """The filtered audit log as CSV (semicolons, as Dutch Excel opens it); the export is
    itself an audit event."""
    audit_filter = AuditEventFilter(request.GET, queryset=queryset)
    events = label_events(audit_filter.qs[:AUDIT_CSV_MAX_ROWS])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Date and time"),
            _("User"),
            _("Role"),
            _("Event"),
            _("Event type (code)"),
            _("Action"),
            _("Outcome"),
            _("Object type"),
            _("Object"),
            _("Jeugdige"),
            _("Details"),
            _("On behalf of"),
            _("Network address"),
        ]
    )
    for e in events:
        writer.writerow(
            [
                timezone.localtime(e.occurred_at).strftime("%d-%m-%Y %H:%M:%S"),
                e.user_label,
                e.role_display,
                e.type_display,
                e.event_type,
                e.get_action_display(),
                e.get_outcome_display(),
                e.object_type_display,
                e.object_label,
                e.jeugdige_reference,
                e.data_display,
                e.on_behalf_of,
                e.ip_address or "",
            ]
        )
    filters = {k: v for k, v in request.GET.items() if v and k != "page"}
    audit.record(
        event,
        request=request,
        detail={"filters": filters, "rows": len(events), "format": "csv"},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response


@require(lambda scope: scope.is_beheerder)
def audit_log(request):
    """The audit log for the beheerder, filterable; it shows references, never names."""
    return render_audit_log(
        request,
        AuditEvent.objects.all(),
        title=_("Audit log"),
        export_url=reverse("audit_export"),
        processing_log_url=reverse("processing_log_export"),
    )


@require(lambda scope: scope.is_beheerder)
def audit_export(request):
    return audit_csv(
        request,
        AuditEvent.objects.all(),
        filename="auditlog",
        event=audit.events.AUDIT_LOG_EXPORTED,
    )


@require(lambda scope: scope.is_beheerder)
@require_GET
def processing_log_export(request):
    """The whole processing log (Logboek Dataverwerkingen) as JSON lines, for the beheerder."""
    return processing_log.export_response(
        request,
        ProcessingRecord.objects.all(),
        filename="verwerkingslog",
        event=audit.events.PROCESSING_LOG_EXPORTED,
    )


@login_not_required
@require_POST
def set_language(request):
    """Switch the site's language (Dutch or English): remembered in a cookie, and on the user
    when logged in, so it follows them to another device."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 60 * 60,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


@login_not_required
@require_GET
def favicon(request):
    """/favicon.ico: browsers ask for it on every page; answer with our own icon."""
    path = finders.find("img/favicon.ico")
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=604800"
    return response


@login_not_required
@require_GET
def security_txt(request):
    """/.well-known/security.txt (RFC 9116): where to report a weakness (coordinated
    vulnerability disclosure, BIO2 measure 5.24.08). ``Contact`` is ``WEL_SECURITY_CONTACT``;
    ``Expires`` (required, at most a year ahead, RFC 9116 §2.5.5) is 180 days from today, so a
    running site never publishes an expired file; ``Canonical`` is this URL on this host."""
    expires = (timezone.now() + timedelta(days=180)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    lines = [
        f"Contact: {settings.WEL_SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri()}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_not_required
@require_GET
def accessibility(request):
    """The accessibility statement (toegankelijkheidsverklaring) after the government model."""
    return render(
        request,
        "wel/accessibility.html",
        {
            "contact": settings.ACCESSIBILITY_CONTACT,
            "reviewed": date(2026, 11, 29),
            "version": "2026.11",
        },
    )


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
