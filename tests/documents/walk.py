"""Who may open which documents URL: the LPA and kartrekker of the case; lpa_b gets 404 (the
case is outside their scope), national roles 403 (no case role at all)."""

from documents import services
from documents.models import Document
from tests.documents.helpers import pdf_bytes
from tests.walk import Route, everyone


def build(world):
    world.extra.document = services.document_upload(
        jeugdige=world.jeugdige_a,
        kind=Document.Kind.DESKUNDIGENVERKLARING,
        title="Verklaring psycholoog",
        data=pdf_bytes(),
        by=world.user("lpa_a"),
    )


def case(code: int = 200, **overrides):
    return everyone(code, lpa_b=404, landelijk=403, beheerder=403) | overrides


ref = {"kwargs": lambda w: {"reference": w.jeugdige_a.reference}}
doc = {"kwargs": lambda w: {"reference": w.jeugdige_a.reference, "pk": w.document.pk}}

WALK = {
    # empty form: errors on the page, nothing stored
    "documents:upload": Route(get=case(), post=case(), post_data=lambda w: {}, **ref),
    "documents:download": Route(get=case(), **doc),
    # lpa_a uploaded it; the kartrekker of the region may delete it too (both back to the case)
    "documents:delete": Route(get=case(405, lpa_b=405), post=case(302), **doc),
    "documents:letter_conversation": Route(get=case(), post=case(), post_data=lambda w: {}, **ref),
    "documents:letter_agreements": Route(get=case(), post=case(), post_data=lambda w: {}, **ref),
}
