"""Documents kept on a case ("de papieren"): the expert's statement, the educational advice,
the decision, letters.

A document belongs to its case (``on_delete=CASCADE``): it appears in the inzage export
(cases/inzage.py finds every relation to the case) and the retention job destroys it with its
file (:func:`documents.services.documents_destroy_for_cases`). Its bytes are a
:class:`jobs.models.StoredFile` (private storage, SHA-256 checked on every read), owned by the
document alone (``on_delete=PROTECT``: a file is deleted through the document's service).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wel.access import CaseContent, ScopedQuerySet, Via


class DocumentQuerySet(ScopedQuerySet):
    """Documents of the cases the user works on (the case's own policy)."""

    visibility = Via("jeugdige", CaseContent())


class Document(models.Model):
    class Kind(models.TextChoices):
        # Lpw art. 7: the statement of a doctor, or a psychologist or pedagogue, appointed by
        # the gemeente (never the treating doctor), that a notice of a 5 onder a needs.
        DESKUNDIGENVERKLARING = "deskundigenverklaring", _("expert's statement (Lpw art. 7)")
        ONDERWIJSKUNDIG_ADVIES = "onderwijskundig_advies", _("educational advice")
        BESLUIT = "besluit", _("decision")
        BRIEF = "brief", _("letter")
        OVERIG = "overig", _("other")

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPEG"

    jeugdige = models.ForeignKey(
        "cases.Jeugdige",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("jeugdige"),
    )
    kind = models.CharField(_("kind of document"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=30, choices=ContentType.choices)
    file = models.OneToOneField(
        "jobs.StoredFile",
        on_delete=models.PROTECT,
        related_name="document",
        verbose_name=_("file"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return f"{self.jeugdige.reference} document {self.pk}"

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[
            self.content_type
        ]
