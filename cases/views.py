"""Views of the cases app: thin, they parse the request, call a selector or service, render.

Only people who work in a region reach them (national roles: 403); a case is always fetched
from ``Jeugdige.objects.visible_to`` so another region's or gemeente's case answers 404.
"""

from __future__ import annotations

import datetime as dt
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs import files
from jobs import services as jobs
from jobs.models import StoredFile
from regions.models import Region
from wel import audit, processing_log
from wel.access import require, scope_for
from wel.audit_labels import label_events
from wel.forms import add_service_errors
from wel.models import ProcessingRecord
from wel.views import audit_csv, render_audit_log

from . import exporter, importer, rules, selectors, services, xlsx_stream
from . import inzage as inzage_export
from .counts import CountedPaginator
from .forms import (
    ActiviteitForm,
    BetrokkeneForm,
    CloseForm,
    ContactForm,
    HandoverForm,
    ImportForm,
    JeugdigeForm,
    TransitionForm,
    transition_choices,
)
from .importer import job as import_job
from .models import ImportJob
from .search import parse as search_parse

case_worker = require(lambda scope: scope.works_in_region)
PAGE_SIZE = 25
IMPORT_SESSION_KEY = "cases_import"
IMPORT_MAX_ERRORS_SHOWN = 500


# -- lists ------------------------------------------------------------------------------------
@case_worker
@require_GET
def jeugdige_list(request):
    case_filter = selectors.jeugdigen_list(user=request.user, filters=request.GET)
    scope = scope_for(request.user)
    page = CountedPaginator(
        selectors.case_list_page(case_filter.qs),
        PAGE_SIZE,
        region_ids=scope.region_ids,
        # the question counted: the user's scope, the filter's input and the day (the date
        # rules); not the page or the order, which do not change the count
        count_key=(
            "cases.list",
            scope,
            sorted((k, tuple(v)) for k, v in request.GET.lists() if k not in ("page", "sort")),
            timezone.localdate(),
        ),
    ).get_page(request.GET.get("page"))
    if all(key in ("page", "sort") for key in request.GET):
        # The list as it opens (no filter): its rows read with SQL built once per process.
        page.object_list = selectors.case_list_page_rows(
            page.object_list, scope=scope, sort=request.GET.get("sort", "")
        )
    audit.record(
        audit.events.CASE_LIST_VIEWED,
        request=request,
        detail={"page": page.number, "rows": len(page.object_list)},
        subjects=[row.pk for row in page.object_list],
    )
    query = search_parse(request.GET.get("q", ""))
    if query.kind == "bsn":
        _audit_search(request, query, list(page.object_list))
    return render(request, "cases/jeugdige_list.html", {"filter": case_filter, "page": page})


@require_GET
def search(request):
    """The header's search box: cases within the user's scope. Only people who work on cases
    have it; for anyone else the page does not exist (404)."""
    if not scope_for(request.user).works_in_region:
        raise Http404
    text = request.GET.get("q", "")
    result = selectors.search_cases(user=request.user, text=text)
    _audit_search(request, result.query, result.rows)
    return render(request, "cases/search.html", {"result": result, "q": text.strip()[:100]})


def _audit_search(request, query, rows) -> None:
    """A search is a look at personal data: audited with what kind of search it was and how
    many cases it showed, never the searched text (a BSN, a name, a date of birth). A BSN
    search is its own event type, on the case when it found exactly one."""
    if query.kind == "empty":
        return
    by_bsn = query.kind == "bsn"
    audit.record(
        audit.events.CASES_SEARCHED_BY_BSN if by_bsn else audit.events.CASES_SEARCHED,
        request=request,
        jeugdige=rows[0] if by_bsn and len(rows) == 1 else None,
        detail={"by": query.kind, "rows": len(rows)},
    )


@case_worker
@require_GET
def worklist(request):
    work = selectors.worklist(user=request.user)
    review, review_total = selectors.review_list(user=request.user)
    audit.record(
        audit.events.WORKLIST_VIEWED,
        request=request,
        detail={"rows": work.total + len(review)},
        subjects=(
            work.contact_overdue,
            work.renewal_overdue,
            work.renewal_due_soon,
            work.no_recent_contact,
            [item.jeugdige_id for item in review],
        ),
    )
    return render(
        request,
        "cases/worklist.html",
        {
            "work": work,
            "review": review,
            "review_total": review_total,
            "focus_regions": selectors.focus_panel(user=request.user),
            "renewal_soon_days": rules.RENEWAL_SOON_DAYS,
        },
    )


@case_worker
@require_GET
def agenda(request):
    """The deadline agenda of a month (``?maand=jjjj-mm``, default this month) for the user
    (``?wie=mijn``, default) or the team (``?wie=team``), as a list and a month view."""
    from . import agenda as deadlines

    today = timezone.localdate()
    month = today
    text = request.GET.get("maand", "")
    if text:
        try:
            month = dt.datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            month = today
            messages.warning(
                request,
                _('The month "%(text)s" cannot be read; write it as yyyy-mm. This month is shown.')
                % {"text": text[:20]},
            )
        else:
            if not 2000 <= month.year <= today.year + 5:
                month = today
                messages.warning(
                    request,
                    _("Choose a month between 2000 and %(year)d. This month is shown.")
                    % {"year": today.year + 5},
                )
    who = deadlines.TEAM if request.GET.get("wie") == "team" else deadlines.MINE
    result = deadlines.agenda(user=request.user, month=month, who=who, today=today)
    audit.record(
        audit.events.AGENDA_VIEWED,
        request=request,
        detail={"rows": len(result.items), "maand": result.first.strftime("%Y-%m"), "wie": who},
    )
    return render(request, "cases/agenda.html", {"agenda": result})


@case_worker
@require_GET
def team(request):
    """My team: the open cases within the user's scope counted per colleague (issue 21)."""
    return render(request, "cases/team.html", {"rows": selectors.team_overview(user=request.user)})


@case_worker
@require_GET
def export(request):
    case_filter = selectors.jeugdigen_list(user=request.user, filters=request.GET)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        fmt = "csv"
    total = case_filter.qs.count()
    if fmt == "xlsx" and total > exporter.XLSX_MAX_ROWS:
        messages.error(
            request,
            _(
                "An Excel sheet holds at most %(max)s rows; this list has %(n)s. Narrow the "
                "filter or export as CSV."
            )
            % {
                "max": number_format(exporter.XLSX_MAX_ROWS, force_grouping=True),
                "n": number_format(total, force_grouping=True),
            },
        )
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse('cases:list')}?{query.urlencode()}")
    filters = {k: v for k, v in request.GET.items() if k not in ("format", "page") and v}
    # The audit event first (one line, with the count); the processing log's line per child is
    # written chunk by chunk just before that chunk's rows leave (StreamedAction).
    entry = audit.record(
        audit.events.CASE_LIST_EXPORTED,
        request=request,
        detail={"format": fmt, "filters": filters, "rows": total},
    )
    log = processing_log.StreamedAction(entry, audit.events.CASE_LIST_EXPORTED)
    rows = exporter.export_rows(case_filter.qs)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"jeugdigen-{stamp}.{fmt}"
    if fmt == "xlsx":
        content = exporter.stream_xlsx(rows, on_chunk=log.add)
        content_type = xlsx_stream.CONTENT_TYPE
    else:
        content = exporter.stream_csv(rows, on_chunk=log.add)
        content_type = "text/csv; charset=utf-8"
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- the region's access log (kartrekker) ------------------------------------------------------
region_lead = require(lambda scope: scope.is_kartrekker)


@region_lead
@require_GET
def region_audit(request):
    """Who looked at or changed the cases of the kartrekker's region(s) (NEN 7513)."""
    return render_audit_log(
        request,
        selectors.region_access_log(user=request.user),
        title=_("Access log of my region"),
        export_url=reverse("cases:region_audit_export"),
        scope_note=_("Every view, change and export of the cases in your region, by anyone."),
    )


@region_lead
@require_GET
def region_audit_export(request):
    return audit_csv(
        request,
        selectors.region_access_log(user=request.user),
        filename="toegangslog-regio",
        event=audit.events.REGION_ACCESS_LOG_EXPORTED,
    )


# -- one case ---------------------------------------------------------------------------------
@case_worker
def jeugdige_create(request):
    duplicates = []
    show_confirm = request.method == "POST" and "confirm_duplicate" in request.POST
    form = JeugdigeForm(request.POST or None, user=request.user, show_confirm=show_confirm)
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["region"]
        data = form.service_data()
        try:
            jeugdige = services.jeugdige_create(
                region=region,
                gemeente=data.pop("gemeente"),
                by=request.user,
                data=data,
                allow_duplicate=form.cleaned_data.get("confirm_duplicate", False),
                confirm_warnings=form.confirmed_warnings(),
                request=request,
            )
        except PermissionDenied:
            form.add_error("gemeente", _("You do not work on cases in this municipality."))
        except services.RuleError as exc:
            for finding in exc.findings:
                form.add_error(None, finding.message)
        except services.CaseError as exc:
            duplicates = _visible_duplicates(request.user, region, form.cleaned_data)
            if exc.code == "duplicate_name":
                form = JeugdigeForm(request.POST, user=request.user, show_confirm=True)
                form.is_valid()
            add_service_errors(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(ref)s has been registered.") % {"ref": jeugdige.reference}
            )
            return redirect(jeugdige)
    return render(
        request,
        "cases/jeugdige_form.html",
        {"form": form, "jeugdige": None, "duplicates": duplicates},
    )


def _visible_duplicates(user, region, cleaned) -> list:
    found = services.find_duplicates(
        region=region,
        bsn=cleaned.get("bsn", ""),
        given_name=cleaned.get("given_name", ""),
        family_name=cleaned.get("family_name", ""),
        date_of_birth=cleaned.get("date_of_birth"),
    )
    visible = set(
        selectors.jeugdigen_for_user(user)
        .filter(pk__in=[d.pk for d in found])
        .values_list("pk", flat=True)
    )
    return [{"jeugdige": d, "visible": d.pk in visible} for d in found]


@case_worker
@require_GET
def jeugdige_detail(request, reference):
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    audit.record(audit.events.JEUGDIGE_VIEWED, request=request, obj=jeugdige, jeugdige=jeugdige)
    choices = transition_choices(jeugdige.status)
    context = {
        "jeugdige": jeugdige,
        **selectors.jeugdige_detail(jeugdige=jeugdige),
        "transition_form": TransitionForm(choices=choices, initial={"version": jeugdige.version})
        if choices
        else None,
        "close_url_ok": not jeugdige.is_closed,
        "history": selectors.field_history(jeugdige=jeugdige, limit=10),
        "access": label_events(
            selectors.access_history(jeugdige=jeugdige)[:10],
            known_regions=scope_for(request.user).region_names,
        ),
    }
    return render(request, "cases/jeugdige_detail.html", context)


@case_worker
def jeugdige_update(request, reference):
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    form = JeugdigeForm(request.POST or None, instance=jeugdige, user=request.user)
    changes = []
    if request.method == "POST" and form.is_valid():
        try:
            services.jeugdige_update(
                jeugdige=jeugdige,
                data=form.service_data(),
                version=form.cleaned_data.get("version") or 0,
                by=request.user,
                confirm_warnings=form.confirmed_warnings(),
                request=request,
            )
        except services.ConcurrentEditError as exc:
            changes = exc.changes
            form.add_error(None, exc.messages[0])
        except services.RuleError as exc:
            for finding in exc.findings:
                form.add_error(None, finding.message)
        except PermissionDenied:
            form.add_error("gemeente", _("You do not work on cases in this municipality."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(ref)s has been saved.") % {"ref": jeugdige.reference})
            return redirect(jeugdige)
    return render(
        request,
        "cases/jeugdige_form.html",
        {"form": form, "jeugdige": jeugdige, "changes": changes},
    )


@case_worker
def jeugdige_handover(request, reference):
    """Hand the case over to a colleague who would see it, with a note (issue 21 §2)."""
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    form = HandoverForm(request.POST or None, jeugdige=jeugdige, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.jeugdige_handover(
                jeugdige=jeugdige,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
                by=request.user,
                extend_scope=form.cleaned_data.get("extend_scope", False),
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(ref)s has been handed over to %(name)s.")
                % {"ref": jeugdige.reference, "name": form.cleaned_data["to"]},
            )
            return redirect(jeugdige)
    return render(request, "cases/handover.html", {"form": form, "jeugdige": jeugdige})


@case_worker
@require_POST
def jeugdige_transition(request, reference):
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    form = TransitionForm(request.POST, choices=transition_choices(jeugdige.status))
    if not form.is_valid():
        messages.error(
            request,
            _("This status change is not possible from “%(status)s”. Choose one from the list.")
            % {"status": jeugdige.get_status_display()},
        )
        return redirect(jeugdige)
    try:
        services.jeugdige_transition(
            jeugdige=jeugdige,
            to=form.cleaned_data["to"],
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
            by=request.user,
            request=request,
        )
    except services.ConcurrentEditError as exc:
        messages.error(request, _stale_message(exc))
    except services.CaseError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The status has been changed."))
    return redirect(jeugdige)


def _stale_message(exc) -> str:
    what = ", ".join(sorted({c.label for c in exc.changes})) or _("the case")
    return f"{exc.messages[0]} " + _("Changed: %(what)s.") % {"what": what}


@case_worker
def jeugdige_close(request, reference):
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    if jeugdige.is_closed:
        messages.info(request, _("This case is already closed."))
        return redirect(jeugdige)
    form = CloseForm(request.POST or None, initial={"version": jeugdige.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.jeugdige_close(
                jeugdige=jeugdige,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
                by=request.user,
                request=request,
            )
        except services.ConcurrentEditError as exc:
            form.add_error(None, _stale_message(exc))
        except services.CaseError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(ref)s has been closed.") % {"ref": jeugdige.reference})
            return redirect(jeugdige)
    return render(
        request,
        "cases/sub_form.html",
        {"form": form, "jeugdige": jeugdige, "title": _("Close case")},
    )


def _sub_form(request, reference, form_class, title, save):
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(jeugdige, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(jeugdige)
    return render(
        request, "cases/sub_form.html", {"form": form, "jeugdige": jeugdige, "title": title}
    )


@case_worker
def betrokkene_add(request, reference):
    return _sub_form(
        request,
        reference,
        BetrokkeneForm,
        _("Add betrokkene"),
        lambda j, form: services.betrokkene_add(
            jeugdige=j, data=form.cleaned_data, by=request.user, request=request
        ),
    )


@case_worker
def activiteit_add(request, reference):
    return _sub_form(
        request,
        reference,
        ActiviteitForm,
        _("Add ontwikkelactiviteit"),
        lambda j, form: services.activiteit_add(
            jeugdige=j, data=form.cleaned_data, by=request.user, request=request
        ),
    )


@case_worker
def contact_add(request, reference):
    return _sub_form(
        request,
        reference,
        ContactForm,
        _("Add contact moment"),
        lambda j, form: services.contact_add(
            jeugdige=j,
            date=form.cleaned_data["date"],
            kind=form.cleaned_data["kind"],
            summary=form.cleaned_data["summary"],
            next_contact_due=form.cleaned_data.get("next_contact_due"),
            by=request.user,
            request=request,
        ),
    )


@case_worker
@require_GET
def jeugdige_history(request, reference):
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    audit.record(
        audit.events.JEUGDIGE_HISTORY_VIEWED, request=request, obj=jeugdige, jeugdige=jeugdige
    )
    access_page = Paginator(selectors.access_history(jeugdige=jeugdige), 50).get_page(
        request.GET.get("page")
    )
    access_page.object_list = label_events(
        access_page.object_list, known_regions=scope_for(request.user).region_names
    )
    return render(
        request,
        "cases/jeugdige_history.html",
        {
            "jeugdige": jeugdige,
            "history": selectors.field_history(jeugdige=jeugdige),
            "page": access_page,
            "may_export_processing_log": scope_for(request.user).may_lead(jeugdige.region_id),
        },
    )


@case_worker
@require_GET
def jeugdige_processing_log(request, reference):
    """This case's lines of the processing log (Logboek Dataverwerkingen) as JSON lines: for the
    kartrekker of the case's region; an LPA who sees the case is refused (403)."""
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    if not scope_for(request.user).may_lead(jeugdige.region_id):
        raise PermissionDenied
    return processing_log.export_response(
        request,
        ProcessingRecord.objects.filter(jeugdige_id=jeugdige.pk),
        filename=f"verwerkingslog-{jeugdige.reference}",
        event=audit.events.CASE_PROCESSING_LOG_EXPORTED,
        obj=jeugdige,
        jeugdige=jeugdige,
    )


# -- import -----------------------------------------------------------------------------------
def _preview_expiry() -> timedelta:
    return timedelta(minutes=settings.WEL_IMPORT_PREVIEW_MINUTES)


@case_worker
def import_upload(request):
    """Step 1 and 2: upload, then a preview listing every row's problems (nothing written)."""
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["region"]
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = _check_file(request, data, upload.name, region, ignore_columns=[])
        except importer.ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            _discard_pending(request)
            token = ""
            # Kept for the confirmation, or to confirm which columns may be ignored; a file
            # with row errors must be corrected and uploaded again.
            if not result.bad_rows and (
                result.new_rows or not result.columns_ok or result.undecided
            ):
                token = secrets.token_urlsafe(24)
                # Owned by the preview: deleted when it is abandoned (WEL_IMPORT_PREVIEW_MINUTES,
                # jobs.files.sweep_expired), replaced or done; a job takes it over.
                stored = files.store(
                    data,
                    purpose="import_preview",
                    folder=f"imports/{request.user.pk}",
                    expires_in=_preview_expiry(),
                )
                request.session[IMPORT_SESSION_KEY] = {
                    "token": token,
                    "file": stored.pk,
                    "region": region.pk,
                    "filename": upload.name[:200],
                    "ignore_columns": [],
                    "decisions": {},
                    "new": len(result.new_rows),
                }
            return _render_preview(request, result, region, upload.name, token)
    return render(
        request,
        "cases/import_form.html",
        {
            "form": form,
            "max_mb": importer.MAX_BYTES // (1024 * 1024),
            "max_rows": importer.MAX_ROWS,
        },
    )


def _check_file(request, data, filename, region, *, ignore_columns, decisions=None):
    return importer.run_import(
        data,
        filename=filename,
        region=region,
        by=request.user,
        allowed_gemeente_ids=scope_for(request.user).gemeente_ids_for_cases(region.pk),
        ignore_columns=ignore_columns,
        decisions=decisions,
        commit=False,
    )


def _render_preview(request, result, region, filename, token):
    return render(
        request,
        "cases/import_preview.html",
        _preview_context(result, region, filename, token),
    )


def _preview_context(result, region, filename, token) -> dict:
    errors = [
        (row.number, column, reason) for row in result.bad_rows for column, reason in row.errors
    ]
    remarks = [
        (row.number, column, remark) for row in result.remark_rows for column, remark in row.remarks
    ]
    warnings = [
        (row.number, column, reason)
        for row in result.warning_rows
        for column, _code, reason in row.warnings
    ]
    return {
        "warnings": warnings[:IMPORT_MAX_ERRORS_SHOWN],
        "warnings_total": len(warnings),
        "hidden": [(row.number, row.hidden) for row in result.hidden_in_file][
            :IMPORT_MAX_ERRORS_SHOWN
        ],
        "hidden_undecided": result.hidden_rows == "ask" and bool(result.hidden_in_file),
        "result": result,
        "region": region,
        "filename": filename,
        "token": token,
        "where_read": importer.where_read(result),
        "counts": importer.counts(result),
        "column_problems": importer.messages.column_problems(result),
        "columns_to_confirm": result.unplaced_columns
        + [c for _target, columns in result.conflicting_columns for c in columns],
        "can_confirm": bool(token) and result.ok and bool(result.new_rows),
        "needs_decision": bool(token)
        and not result.bad_rows
        and (not result.columns_ok or result.undecided),
        "errors": errors[:IMPORT_MAX_ERRORS_SHOWN],
        "errors_total": len(errors),
        "remarks": remarks[:IMPORT_MAX_ERRORS_SHOWN],
        "sample": result.new_rows[:10],
        "job_threshold": settings.WEL_IMPORT_JOB_THRESHOLD,
    }


def _pending_stored_file(request, pending: dict) -> StoredFile | None:
    return StoredFile.objects.filter(
        pk=pending.get("file") or 0, path__startswith=f"imports/{request.user.pk}/"
    ).first()


def _discard_pending(request) -> None:
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    if pending:
        files.discard(_pending_stored_file(request, pending))


class _FileRefused(Exception):
    pass


def _pending_file(request):
    """(pending, region, stored file, data) of the previewed upload, or None when it expired.
    Raises _FileRefused (after deleting it) when the stored file no longer matches its hash."""
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or request.POST.get("token") != pending["token"]:
        return None
    region = get_object_or_404(
        Region.objects.filter(pk__in=sorted(scope_for(request.user).region_ids)),
        pk=pending["region"],
    )
    stored = _pending_stored_file(request, pending)
    try:
        if stored is None:
            raise files.FileMissing("")
        data = files.read(stored, by=request.user)
    except files.FileMissing:
        _discard_pending(request)
        return None
    except files.FileTampered as exc:
        _discard_pending(request)
        raise _FileRefused(str(exc)) from None
    files.touch(stored, expires_in=_preview_expiry())  # still in use
    return pending, region, stored, data


@case_worker
@require_POST
def import_ignore_columns(request):
    """Step 2b: the user decides what only they can: columns the import cannot place may be
    ignored, the rows' warnings were checked, hidden rows are imported or left out; the file
    is checked again with those decisions (still nothing written)."""
    try:
        found = _pending_file(request)
    except _FileRefused as exc:
        messages.error(request, str(exc))
        return redirect("cases:import")
    if found is None:
        messages.error(request, _("This import has expired. Upload the file again."))
        return redirect("cases:import")
    pending, region, _stored, data = found
    chosen = [c for c in request.POST.getlist("ignore_column") if c][:50]
    hidden = request.POST.get("hidden_rows", "")
    decisions = {
        "confirm_warnings": request.POST.get("confirm_warnings") == "1",
        "hidden_rows": hidden if hidden in ("import", "skip") else "ask",
    }
    try:
        result = _check_file(
            request,
            data,
            pending["filename"],
            region,
            ignore_columns=chosen,
            decisions=decisions,
        )
    except importer.ImportRefused as exc:
        _discard_pending(request)
        messages.error(request, str(exc))
        return redirect("cases:import")
    pending["ignore_columns"] = chosen
    pending["decisions"] = decisions
    pending["new"] = len(result.new_rows)
    request.session[IMPORT_SESSION_KEY] = pending
    return _render_preview(request, result, region, pending["filename"], pending["token"])


@case_worker
@require_POST
def import_confirm(request):
    """Step 3: write every row of the previewed file, or none. Over the job threshold the
    writing is a Celery job with a progress page; below it, it happens in this request."""
    try:
        found = _pending_file(request)
    except _FileRefused as exc:
        messages.error(request, str(exc))
        return redirect("cases:import")
    if found is None:
        messages.error(
            request, _("This import has expired or was already done. Upload the file again.")
        )
        return redirect("cases:import")
    pending, region, stored, data = found
    if pending.get("new", 0) > settings.WEL_IMPORT_JOB_THRESHOLD:
        job = import_job.import_job_create(
            region=region,
            by=request.user,
            filename=pending["filename"],
            upload=stored,
            ignore_columns=pending.get("ignore_columns", []),
            decisions=pending.get("decisions", {}),
        )
        request.session.pop(IMPORT_SESSION_KEY, None)  # the job owns the stored file now
        return redirect("cases:import_job", pk=job.pk)
    try:
        result = importer.run_import(
            data,
            filename=pending["filename"],
            region=region,
            by=request.user,
            allowed_gemeente_ids=scope_for(request.user).gemeente_ids_for_cases(region.pk),
            ignore_columns=pending.get("ignore_columns", []),
            decisions=pending.get("decisions", {}),
            commit=True,
            request=request,
        )
    except importer.ImportRefused as exc:
        _discard_pending(request)
        messages.error(request, str(exc))
        return redirect("cases:import")
    if not result.ok:
        # Something changed since the preview (e.g. a colleague registered one of them).
        return _render_preview(request, result, region, pending["filename"], "")
    _discard_pending(request)
    messages.success(request, importer.imported(result))
    return redirect(f"{_list_url()}?sort=-updated")


def _own_job(request, pk):
    return get_object_or_404(
        ImportJob.objects.select_related("region"), pk=pk, created_by=request.user
    )


@case_worker
@require_GET
def import_job_detail(request, pk):
    jobs.sweep_if_due()
    return render(request, "cases/import_job.html", {"job": _own_job(request, pk)})


@case_worker
@require_GET
def import_job_progress(request, pk):
    jobs.sweep_if_due()  # a dead worker is found without beat too (jobs.services)
    return render(request, "cases/_import_job_progress.html", {"job": _own_job(request, pk)})


def _list_url() -> str:
    return reverse("cases:list")


@case_worker
@require_GET
def import_template(request):
    response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jeugdigen-sjabloon.csv"'
    return response


# -- inzage (AVG art. 15) ---------------------------------------------------------------------
@case_worker
@require_GET
def inzage(request, reference):
    """What an inzage export holds, with the two downloads."""
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    audit.record(audit.events.INZAGE_VIEWED, request=request, obj=jeugdige, jeugdige=jeugdige)
    return render(request, "cases/inzage.html", {"jeugdige": jeugdige})


@case_worker
@require_GET
def inzage_download(request, reference, fmt):
    """The whole file of one jeugdige as PDF or JSON, for answering a request for access."""
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    if fmt == "pdf":
        body, content_type = inzage_export.inzage_pdf(jeugdige=jeugdige), "application/pdf"
    else:
        body, content_type = inzage_export.inzage_json(jeugdige=jeugdige), "application/json"
    audit.record(
        audit.events.INZAGE_EXPORTED,
        request=request,
        obj=jeugdige,
        jeugdige=jeugdige,
        detail={"format": fmt},
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="inzage-{jeugdige.reference}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# -- the year overview per gemeente (Lpw art. 25) ------------------------------------------------
def _telling_request(request):
    """(gemeenten, gemeente, year) of the request; 404 for a gemeente outside the user's
    scope or an unreadable school year."""
    from django.http import Http404

    from . import telling as year_overview

    gemeenten = list(year_overview.telling_gemeenten(user=request.user))
    code = request.GET.get("gemeente") or (gemeenten[0].cbs_code if gemeenten else "")
    gemeente = next((g for g in gemeenten if g.cbs_code == code), None)
    if gemeente is None:
        raise Http404
    text = request.GET.get("schooljaar")
    try:
        year = rules.SchoolYear.parse(text) if text else year_overview.default_year()
    except ValueError as exc:
        raise Http404 from exc
    if not 2000 <= year.first <= timezone.localdate().year:
        raise Http404
    return gemeenten, gemeente, year


@case_worker
@require_GET
def leerplichttelling(request):
    """The year overview of one gemeente and school year: counts, each linked to its cases."""
    from . import telling as year_overview

    gemeenten, gemeente, year = _telling_request(request)
    overview = year_overview.telling_for(user=request.user, gemeente=gemeente, year=year)
    audit.record(
        audit.events.YEAR_OVERVIEW_VIEWED,
        request=request,
        detail={"gemeente": gemeente.cbs_code, "schooljaar": year.label},
    )
    this = rules.SchoolYear.containing(timezone.localdate())
    years = [rules.SchoolYear(this.first - n) for n in range(0, 6)]
    return render(
        request,
        "cases/leerplichttelling.html",
        {
            "telling": overview,
            "gemeenten": gemeenten,
            "years": years,
            "formats": year_overview.FORMATS,
        },
    )


@case_worker
@require_GET
def leerplichttelling_download(request, fmt):
    from . import telling as year_overview

    _gemeenten, gemeente, year = _telling_request(request)
    overview = year_overview.telling_for(user=request.user, gemeente=gemeente, year=year)
    body, content_type = year_overview.telling_file(overview, fmt)
    audit.record(
        audit.events.YEAR_OVERVIEW_EXPORTED,
        request=request,
        detail={"gemeente": gemeente.cbs_code, "schooljaar": year.label, "format": fmt},
    )
    response = HttpResponse(body, content_type=content_type)
    name = year_overview.filename(overview, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@case_worker
@require_GET
def leerplichttelling_cases(request, key):
    """The cases one figure of the overview counts (the click from a count)."""
    from django.http import Http404

    from . import telling as year_overview

    if key not in rules.COUNT_KEYS:
        raise Http404
    _gemeenten, gemeente, year = _telling_request(request)
    overview = year_overview.telling_for(user=request.user, gemeente=gemeente, year=year)
    row = overview.row(key)
    cases = list(
        selectors.jeugdigen_for_user(request.user)
        .filter(pk__in=list(row.ids))
        .order_by("reference")
    )
    audit.record(
        audit.events.YEAR_OVERVIEW_CASES_VIEWED,
        request=request,
        subjects=cases,
        detail={
            "gemeente": gemeente.cbs_code,
            "schooljaar": year.label,
            "figure": key,
            "rows": len(cases),
        },
    )
    return render(
        request,
        "cases/leerplichttelling_cases.html",
        {"telling": overview, "row": row, "cases": cases},
    )
