"""Documents and letters of a case: staff views, each through the case's access policy (a case
outside the user's scope answers 404, national roles 403)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import selectors as case_selectors
from cases.models import Betrokkene
from interviews.models import Interview
from jobs import files
from wel.access import require
from wel.forms import add_service_errors

from . import letters, services
from .forms import AgreementsLetterForm, ConversationLetterForm, DocumentForm
from .models import Document

case_worker = require(lambda scope: scope.works_in_region)


def _case(request, reference):
    return case_selectors.jeugdige_get(user=request.user, reference=reference)


def _back(jeugdige):
    return redirect(jeugdige.get_absolute_url() + "#h-documents")


def _document(jeugdige, pk) -> Document:
    document = get_object_or_404(
        Document.objects.filter(jeugdige=jeugdige).select_related("file"), pk=pk
    )
    document.jeugdige = jeugdige
    return document


def file_response(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A download that the browser saves, never shows inline or guesses the type of."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@case_worker
@require_http_methods(["GET", "POST"])
def upload(request, reference):
    """Upload a document (the case page's form posts here; errors are shown on this page)."""
    jeugdige = _case(request, reference)
    max_mb = services.max_bytes() // (1024 * 1024)
    form = DocumentForm(request.POST or None, request.FILES or None, max_mb=max_mb)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.max_bytes():  # before reading it into memory
                raise ValidationError({"file": services.size_message()})
            services.document_upload(
                jeugdige=jeugdige,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                data=upload.read(),
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document has been added."))
            return _back(jeugdige)
    return render(
        request,
        "documents/upload.html",
        {"form": form, "jeugdige": jeugdige, "title": _("Add document")},
    )


@case_worker
@require_GET
@never_cache
def download(request, reference, pk):
    jeugdige = _case(request, reference)
    document = _document(jeugdige, pk)
    try:
        data = services.document_read(document=document, by=request.user, request=request)
    except files.FileProblem:
        messages.error(
            request,
            _(
                "This document's file is missing or was changed after it was uploaded, so it "
                "is not handed out. Tell the administrator; upload the document again if you "
                "have it."
            ),
        )
        return _back(jeugdige)
    return file_response(
        data, content_type=document.content_type, filename=services.download_name(document)
    )


@case_worker
@require_POST
def delete(request, reference, pk):
    jeugdige = _case(request, reference)
    document = _document(jeugdige, pk)
    try:
        services.document_delete(document=document, by=request.user, request=request)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The document has been deleted."))
    return _back(jeugdige)


def _parent_name(jeugdige) -> str:
    parent = (
        Betrokkene.objects.filter(jeugdige=jeugdige, kind=Betrokkene.Kind.OUDER_VERZORGER)
        .only("name")
        .first()
    )
    return parent.name if parent else ""


def _pdf(jeugdige, pdf: bytes, name: str) -> HttpResponse:
    return file_response(
        pdf, content_type="application/pdf", filename=f"{jeugdige.reference}-{name}.pdf"
    )


@case_worker
@never_cache
@require_http_methods(["GET", "POST"])
def letter_conversation(request, reference):
    """The invitation to a conversation: the form, and its PDF on POST."""
    jeugdige = _case(request, reference)
    form = ConversationLetterForm(
        request.POST or None, initial={"recipient_name": _parent_name(jeugdige)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        when = timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))
        pdf = letters.conversation_pdf(
            jeugdige=jeugdige,
            audience=data["audience"],
            recipient_name=data["recipient_name"],
            when=when,
            place=data["place"],
            by=request.user,
            request=request,
        )
        return _pdf(jeugdige, pdf, "uitnodiging-gesprek")
    return render(
        request,
        "documents/letter_form.html",
        {"form": form, "jeugdige": jeugdige, "title": _("Letter: invitation to a conversation")},
    )


@case_worker
@never_cache
@require_http_methods(["GET", "POST"])
def letter_agreements(request, reference):
    """The confirmation of the agreements of one conversation: the form, its PDF on POST."""
    jeugdige = _case(request, reference)
    interviews = (
        Interview.objects.filter(jeugdige=jeugdige, next_steps__isnull=False)
        .distinct()
        .order_by("-held_on", "-pk")
    )
    form = AgreementsLetterForm(
        request.POST or None,
        interviews=interviews,
        initial={"recipient_name": _parent_name(jeugdige)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pdf = letters.agreements_pdf(
            jeugdige=jeugdige,
            audience=data["audience"],
            recipient_name=data["recipient_name"],
            interview=data["interview"],
            by=request.user,
            request=request,
        )
        return _pdf(jeugdige, pdf, "afspraken")
    return render(
        request,
        "documents/letter_form.html",
        {
            "form": form,
            "jeugdige": jeugdige,
            "title": _("Letter: confirmation of the agreements"),
            "no_agreements": not interviews.exists(),
        },
    )
