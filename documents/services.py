"""Documents on a case: upload, read (download), delete, and destruction with the case.

Every write is audited with the case (``jeugdige=``), so it is in the case's access log and the
processing log. Files are :class:`jobs.models.StoredFile` rows in private storage (MEDIA_URL is
never served); :func:`jobs.files.read` checks the SHA-256 on every read.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases import services as case_services
from cases.models import Jeugdige, TimelineEntry
from cases.timeline import Msg
from jobs import files
from jobs.models import StoredFile
from wel import audit
from wel.access import require_case, scope_for

from .content import content_type_of
from .models import Document

PURPOSE = "document"


def max_bytes() -> int:
    """The largest document accepted (``WEL_DOCUMENT_MAX_MB``)."""
    return settings.WEL_DOCUMENT_MAX_MB * 1024 * 1024


def size_message() -> str:
    return _(
        "The file is larger than %(mb)d MB. Scan the document at a lower resolution (150 dpi "
        "is enough) or split it, and upload it again."
    ) % {"mb": settings.WEL_DOCUMENT_MAX_MB}


def document_upload(
    *, jeugdige: Jeugdige, kind: str, title: str, data: bytes, by, request=None
) -> Document:
    """Keep a document on the case.

    ``data``: the file's bytes (its name and the browser's content type are not used: the
    content decides, :func:`documents.content.content_type_of`). Raises ``OutOfScope`` when
    ``by`` does not work on the case; ``ValidationError`` with field keys ``kind``, ``title``,
    ``file`` (empty, too large, not a PDF/PNG/JPEG) — nothing is stored then.
    """
    require_case(by, jeugdige)
    errors: dict[str, str] = {}
    title = " ".join((title or "").split())
    if kind not in Document.Kind.values:
        errors["kind"] = _("Choose what kind of document this is.")
    if not title:
        errors["title"] = _("Give the document a title, e.g. “Verklaring psycholoog 2026”.")
    elif len(title) > 200:
        errors["title"] = _("Use a title of at most 200 characters.")
    if not data:
        errors["file"] = _("The file is empty. Choose the document's file.")
    elif len(data) > max_bytes():
        errors["file"] = size_message()
    else:
        try:
            content_type = content_type_of(data)
        except ValidationError as exc:
            errors["file"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    stored = files.store(data, purpose=PURPOSE, folder="documents", expires_in=None)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                jeugdige=jeugdige,
                kind=kind,
                title=title,
                content_type=content_type,
                file=stored,
                uploaded_by=by,
            )
            case_services.timeline_add(
                jeugdige=jeugdige,
                kind=TimelineEntry.Kind.OTHER,
                text=Msg(
                    gettext_noop("Document added: %(kind)s."),
                    kind=Document.Kind(kind).label,
                ),
                by=by,
            )
            audit.record(
                audit.events.DOCUMENT_UPLOADED,
                request=request,
                user=by,
                obj=document,
                jeugdige=jeugdige,
                changes={"kind": (None, kind)},
                detail={"size": stored.size, "sha256": stored.sha256},
            )
    except BaseException:
        files.discard(stored)  # no row points at it: the file must not stay behind
        raise
    return document


def download_name(document: Document) -> str:
    """A safe file name for the download: the case reference and the title as ASCII (the name
    the file was uploaded with is never kept)."""
    title = slugify(document.title)[:60].strip("-") or "document"
    return f"{document.jeugdige.reference}-{title}.{document.extension}"


def document_read(*, document: Document, by, request=None) -> bytes:
    """The document's bytes, hash checked, audited as a download of the case's data.

    Raises ``OutOfScope``; ``files.FileProblem`` when the file is gone or was changed in
    storage (audited as refused, on the case)."""
    require_case(by, document.jeugdige)
    try:
        data = files.read(document.file, by=by, obj=document)
    except files.FileProblem:
        audit.record(
            audit.events.DOCUMENT_REFUSED,
            request=request,
            user=by,
            obj=document,
            jeugdige=document.jeugdige,
            outcome=audit.Outcome.FAILURE,
        )
        raise
    audit.record(
        audit.events.DOCUMENT_DOWNLOADED,
        request=request,
        user=by,
        obj=document,
        jeugdige=document.jeugdige,
    )
    return data


def may_delete(user, document: Document) -> bool:
    """Who uploaded it, or a kartrekker of the case's region."""
    return document.uploaded_by_id == getattr(user, "pk", None) or (
        document.jeugdige.region_id in scope_for(user).kartrekker_region_ids
    )


def _delete_files_on_commit(paths: list[str]) -> None:
    def delete():
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                default_storage.delete(path)

    transaction.on_commit(delete)


@transaction.atomic
def document_delete(*, document: Document, by, request=None) -> None:
    """Delete a document and its file (the file leaves storage once this commits).

    Raises ``OutOfScope`` outside the case; ``PermissionDenied`` unless ``by`` uploaded it or
    is a kartrekker of the region (:func:`may_delete`)."""
    jeugdige = document.jeugdige
    require_case(by, jeugdige)
    if not may_delete(by, document):
        raise PermissionDenied(
            _("Only who uploaded a document, or the region's kartrekker, can delete it.")
        )
    stored = document.file
    kind = document.kind
    audit.record(
        audit.events.DOCUMENT_DELETED,
        request=request,
        user=by,
        obj=document,
        jeugdige=jeugdige,
        changes={"kind": (kind, None)},
    )
    document.delete()
    StoredFile.objects.filter(pk=stored.pk).delete()
    _delete_files_on_commit([stored.path])
    case_services.timeline_add(
        jeugdige=jeugdige,
        kind=TimelineEntry.Kind.OTHER,
        text=Msg(gettext_noop("Document deleted: %(kind)s."), kind=Document.Kind(kind).label),
        by=by,
    )


def documents_destroy_for_cases(case_ids: list[int]) -> dict[str, int]:
    """Retention (cases/retention.py): the documents of these cases and their stored files.
    Rows go now, in the run's transaction; files once it commits. Counts only."""
    documents = Document.objects.filter(jeugdige_id__in=case_ids)
    rows = list(documents.values_list("file_id", "file__path"))
    if not rows:
        return {}
    documents.delete()
    StoredFile.objects.filter(pk__in=[pk for pk, _path in rows]).delete()
    _delete_files_on_commit([path for _pk, path in rows])
    return {"documents": len(rows)}


def case_documents(*, jeugdige: Jeugdige) -> list[Document]:
    """The case's documents for its page, newest first: one query (with file and uploader)."""
    return list(Document.objects.filter(jeugdige=jeugdige).select_related("file", "uploaded_by"))
