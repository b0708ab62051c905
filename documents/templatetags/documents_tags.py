"""The documents panel on the case page: a template tag, so the cases app does not import this
app (it comes after cases, interviews and family)."""

from django import template

from wel.access import scope_for

from ..forms import DocumentForm
from ..services import case_documents, max_bytes

register = template.Library()


@register.inclusion_tag("documents/_case_panel.html", takes_context=True)
def documents_case_panel(context, jeugdige):
    """The case's documents (one query, with file and uploader), the upload form and the
    letters. Delete is offered to who uploaded a document and the region's kartrekker."""
    user = context["request"].user
    documents = case_documents(jeugdige=jeugdige)
    kartrekker = jeugdige.region_id in scope_for(user).kartrekker_region_ids
    for d in documents:
        d.may_delete = kartrekker or d.uploaded_by_id == user.pk
    return {
        "jeugdige": jeugdige,
        "documents": documents,
        "form": DocumentForm(max_mb=max_bytes() // (1024 * 1024)),
        "csrf_token": context.get("csrf_token"),
    }
