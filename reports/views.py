from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs import services as jobs
from wel import audit
from wel.access import require, scope_for

from . import exports, selectors, services
from .filters import ReportFilter
from .forms import PeriodForm, PhaseReportForm
from .html import figure_sections
from .models import Report

dashboards = require(selectors.may_see_dashboards)
landelijk = require(lambda scope: scope.is_landelijk_team)


def _asks_for_another_period(request, *, region=None) -> bool:
    """Does ?start=&end= ask for something other than the standard period?"""
    if not (request.GET.get("start") or request.GET.get("end")):
        return False
    form = PeriodForm(request.GET)
    standard = services.standard_period(region=region)
    if not form.is_valid():
        return True
    asked = (form.cleaned_data["start"] or standard[0], form.cleaned_data["end"] or standard[1])
    return asked != standard


def _refusal() -> str:
    return _(
        "Protected figures are given for the standard period only: comparing a shorter period "
        "with the whole could give small numbers away. The standard period is shown."
    )


def _period(request, *, region=None, fixed: bool = False):
    """The period from ?start=&end=, or the default; an invalid period shows the form's error.
    ``fixed`` (a viewer without exact access): the standard period, whatever was asked."""
    if fixed:
        if _asks_for_another_period(request, region=region):
            messages.warning(request, _refusal())
        start, end = services.standard_period(region=region)
        return PeriodForm(), start, end
    form = PeriodForm(request.GET or None)
    start, end = services.default_period(region=region)
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if start > end:
            start = end
    return form, start, end


def region_dashboard(request, code):
    region = selectors.dashboard_region_get(user=request.user, code=code)
    scope = scope_for(request.user)
    suppressed = selectors.suppress_for(scope, region.pk)
    form, start, end = _period(request, region=region, fixed=suppressed)
    tables = selectors.region_tables(user=request.user, region=region, start=start, end=end)
    figures = selectors.shown(tables)
    query = "" if suppressed else request.GET.urlencode()
    export_url = _export_base("reports:region_export", code=region.code)
    return render(
        request,
        "reports/region_dashboard.html",
        {
            "region": region,
            "form": form,
            "start": start,
            "end": end,
            "figures": figures,
            "figures_html": figure_sections(figures, export_url=export_url, query=query),
            "suppressed": suppressed,
            "may_request": selectors.may_request_region_report(scope, region.pk),
            "audience": selectors.region_report_audience(scope, region.pk),
            "reports": selectors.reports_list(user=request.user).filter(region=region)[:5],
            "query": query,
            "export_url": export_url,
        },
    )


def _export_base(name: str, **kwargs) -> str:
    """The export URL without "<key>.<fmt>", which the template appends per table."""
    return reverse(name, kwargs={**kwargs, "key": "k", "fmt": "csv"})[: -len("k.csv")]


@landelijk
def national_dashboard(request):
    form, start, end = _period(request, fixed=True)
    tables, snapshot = selectors.national_snapshot(start=start, end=end)
    figures = selectors.shown(tables)
    export_url = _export_base("reports:national_export")
    phase_form = PhaseReportForm(initial={"start": start, "end": end})
    phases = phase_form.fields["phase"]
    phases.choices = list(iter(phases.choices))  # one query, not one per rendering (no len())
    return render(
        request,
        "reports/national_dashboard.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "figures": figures,
            "figures_html": figure_sections(figures, export_url=export_url, query=""),
            "snapshot": snapshot,
            "phase_form": phase_form,
            "query": "",
            "export_url": export_url,
        },
    )


def _export(request, tables, key: str, fmt: str, name: str, obj=None):
    table = next((t for t in tables if t.key == key), None)
    if table is None or fmt not in ("csv", "xlsx"):
        raise Http404(_("There is no such table or format."))
    audit.record(
        audit.events.REPORT_TABLE_EXPORTED,
        request=request,
        obj=obj,
        detail={"table": key, "format": fmt, "suppressed": table.suppressed},
    )
    filename = f"wel-{name}-{key}"
    if fmt == "csv":
        return exports.csv_response(table, filename)
    return exports.xlsx_response(table, filename)


def _refuse_export(request, target):
    """An export of protected figures for another period: refused, with the reason."""
    messages.error(request, _refusal())
    return redirect(target)


def region_export(request, code, key, fmt):
    region = selectors.dashboard_region_get(user=request.user, code=code)
    suppressed = selectors.suppress_for(scope_for(request.user), region.pk)
    if suppressed and _asks_for_another_period(request, region=region):
        return _refuse_export(request, reverse("reports:region_dashboard", args=[region.code]))
    _form, start, end = _period(request, region=region, fixed=suppressed)
    tables = selectors.region_tables(
        user=request.user, region=region, start=start, end=end, only=key
    )
    return _export(request, tables, key, fmt, region.code, obj=region)


@landelijk
def national_export(request, key, fmt):
    if _asks_for_another_period(request):
        return _refuse_export(request, reverse("reports:national_dashboard"))
    _form, start, end = _period(request, fixed=True)
    tables = selectors.national_tables(start=start, end=end, only=key)
    return _export(request, tables, key, fmt, "landelijk")


@dashboards
def report_list(request):
    report_filter = ReportFilter(
        request.GET, queryset=selectors.reports_list(user=request.user), user=request.user
    )
    page = Paginator(report_filter.qs, 25).get_page(request.GET.get("page"))
    return render(request, "reports/report_list.html", {"filter": report_filter, "page": page})


@require_POST
def request_region_report(request, code):
    region = selectors.dashboard_region_get(user=request.user, code=code)
    audience = selectors.region_report_audience(scope_for(request.user), region.pk)
    if audience is None:
        raise PermissionDenied
    form = PeriodForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Enter the dates as dd-mm-yyyy.")]:
            messages.error(request, error)
        return redirect("reports:region_dashboard", code=region.code)
    try:
        report = services.report_request(
            kind=Report.Kind.REGION_PROGRESS,
            region=region,
            period_start=form.cleaned_data["start"],
            period_end=form.cleaned_data["end"],
            audience=audience,
            by=request.user,
            request=request,
        )
    except services.ReportRequestError as exc:
        messages.error(request, str(exc))
        return redirect("reports:region_dashboard", code=region.code)
    _say_if_not_queued(request, report)
    return redirect(report)


@landelijk
@require_POST
def request_phase_report(request):
    form = PhaseReportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reports:national_dashboard")
    try:
        report = services.report_request(
            kind=Report.Kind.PHASE_OVERVIEW,
            phase=form.cleaned_data["phase"],
            period_start=form.cleaned_data["start"],
            period_end=form.cleaned_data["end"],
            by=request.user,
            request=request,
        )
    except services.ReportRequestError as exc:
        messages.error(request, str(exc))
        return redirect("reports:national_dashboard")
    _say_if_not_queued(request, report)
    return redirect(report)


def _say_if_not_queued(request, report) -> None:
    """The broker was unreachable: the report failed at once with the reason; say so."""
    if report.status == Report.Status.FAILED:
        messages.error(request, report.error)


def _context(request, report):
    return {
        "report": report,
        "may_request": selectors.may_request(scope_for(request.user), report),
    }


def report_detail(request, pk):
    jobs.sweep_if_due()  # a dead worker is found without beat too (jobs.services)
    report = selectors.report_get(user=request.user, pk=pk)
    return render(request, "reports/report_detail.html", _context(request, report))


def report_progress(request, pk):
    """The small polled part of the report page (htmx, every 2 s while unfinished). It sweeps
    (at most every WEL_JOB_SWEEP_EVERY_SECONDS, across processes), so a build whose worker died
    is queued again or given up even when beat does not run."""
    jobs.sweep_if_due()
    report = selectors.report_get(user=request.user, pk=pk)
    return render(request, "reports/_progress.html", _context(request, report))


@require_POST
def report_retry(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    if not selectors.may_request(scope_for(request.user), report):
        raise PermissionDenied
    try:
        report = services.report_retry(report=report, by=request.user, request=request)
    except services.ReportRequestError as exc:
        messages.error(request, str(exc))
    else:
        _say_if_not_queued(request, report)
    return redirect(report)


def report_download(request, pk):
    """The only way to a report's file: access checked, the download audited."""
    report = selectors.report_get(user=request.user, pk=pk)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404(_("This report has no file (yet)."))
    try:
        data = services.report_file(report=report, by=request.user, request=request)
    except FileNotFoundError as exc:
        raise Http404(_("The report's file is missing. Build the report again.")) from exc
    except services.ReportFileRefused as exc:
        messages.error(request, str(exc))
        return redirect(report)
    audit.record(
        audit.events.REPORT_DOWNLOADED,
        request=request,
        obj=report,
        detail={"audience": report.audience},
    )
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=report.filename(),
        content_type="application/pdf",
    )
