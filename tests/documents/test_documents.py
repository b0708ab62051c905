"""Documents on a case (issue 21 §5): checked by content, size-limited, private, served through
the access policy with an audit event as an attachment, in the inzage export, destroyed with
the case."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import inzage, retention
from cases import services as case_services
from cases.models import ClosingReason
from documents import content, services
from documents.models import Document
from jobs.models import StoredFile
from tests.cases.factories import make_jeugdige
from tests.documents.helpers import image_bytes, pdf_bytes
from tests.factories import MembershipFactory, UserFactory
from wel import audit
from wel.access import OutOfScope
from wel.models import AuditEvent, Role

KIND = Document.Kind.DESKUNDIGENVERKLARING


@pytest.fixture
def case(world):
    return make_jeugdige(world, given_name="Fenna", family_name="Bakkerveld")


def upload(world, case, data=None, persona="lpa_a", **kw) -> Document:
    return services.document_upload(
        jeugdige=case,
        kind=kw.pop("kind", KIND),
        title=kw.pop("title", "Verklaring psycholoog"),
        data=pdf_bytes() if data is None else data,
        by=world.user(persona),
        **kw,
    )


# -- the content decides, never the name ---------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf_bytes(), "application/pdf"),
        (pdf_bytes(pages=3), "application/pdf"),
        (image_bytes("PNG"), "image/png"),
        (image_bytes("JPEG"), "image/jpeg"),
    ],
)
def test_pdf_png_and_jpeg_are_recognised_by_content(data, expected):
    assert content.content_type_of(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00" + b"\x00" * 200,  # a Windows program
        b"<html><script>alert(1)</script></html>",
        b"%PDF-1.7\n this is not a PDF at all",  # the header alone is not enough
        b"%PDF-",
        b"\x89PNG\r\n\x1a\n" + b"garbage" * 20,  # a PNG signature with no image behind it
        b"\xff\xd8\xff\xe0" + b"garbage" * 20,
        image_bytes("GIF"),
        b"PK\x03\x04" + b"\x00" * 100,  # a zip (docx, xlsx)
    ],
    ids=["exe", "html", "fake-pdf", "pdf-header-only", "fake-png", "fake-jpeg", "gif", "zip"],
)
def test_anything_else_is_refused_whatever_it_is_called(world, case, data):
    with pytest.raises(ValidationError) as exc:
        upload(world, case, data=data, title="verklaring.pdf")
    assert "file" in exc.value.message_dict
    assert not Document.objects.exists() and not StoredFile.objects.exists()


def test_a_pdf_with_a_password_is_refused_with_what_to_do():
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("geheim")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValidationError, match="password"):
        content.content_type_of(out.getvalue())


def test_the_size_limit_holds_at_the_byte(world, case, settings):
    settings.WEL_DOCUMENT_MAX_MB = 1
    limit = 1024 * 1024
    pdf = pdf_bytes()
    at_limit = pdf + b"\n" * (limit - len(pdf))  # trailing whitespace after %%EOF is allowed
    assert len(at_limit) == limit
    assert upload(world, case, data=at_limit).file.size == limit
    with pytest.raises(ValidationError) as exc:
        upload(world, case, data=at_limit + b"\n")
    assert "1 MB" in exc.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("title", "field"), [("", "title"), ("   ", "title"), ("x" * 201, "title")]
)
def test_a_title_is_needed(world, case, title, field):
    with pytest.raises(ValidationError) as exc:
        upload(world, case, title=title)
    assert field in exc.value.message_dict


def test_an_empty_file_and_an_unknown_kind_are_refused(world, case):
    with pytest.raises(ValidationError) as exc:
        upload(world, case, data=b"", kind="paspoort")
    assert set(exc.value.message_dict) == {"file", "kind"}


# -- stored privately, owned by the file machinery ----------------------------------------------
def test_upload_stores_a_private_file_with_its_hash_and_audits(world, case, settings):
    data = pdf_bytes()
    document = upload(world, case, data=data)
    stored = document.file
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == len(data)
    assert stored.purpose == "document" and stored.expires_at is None
    # a random name under MEDIA_ROOT, which no URL serves
    path = Path(settings.MEDIA_ROOT) / stored.path
    assert path.read_bytes() == data
    assert "Verklaring" not in stored.path and stored.path.startswith("documents/")
    assert settings.MEDIA_URL == "/media-not-served/"
    event = AuditEvent.objects.get(event_type=audit.events.DOCUMENT_UPLOADED.code)
    assert event.jeugdige_id == case.pk and event.user == world.user("lpa_a")
    assert case.timeline.filter(text__icontains="document").exists()


def test_nobody_outside_the_case_can_upload(world, case):
    with pytest.raises(OutOfScope):
        upload(world, case, persona="lpa_b")
    assert not StoredFile.objects.exists()


# -- download: access policy, audit, attachment -------------------------------------------------
def test_download_is_an_audited_attachment_never_shown_inline(world, case, client_for):
    data = pdf_bytes()
    document = upload(world, case, data=data, title="Verklaring psycholoog 2026/../../etc")
    url = reverse("documents:download", args=[case.reference, document.pk])
    response = client_for("kartrekker_a").get(url)
    assert response.status_code == 200
    assert response.content == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{case.reference}-verklaring-psycholoog-2026etc.pdf"' in disposition
    event = AuditEvent.objects.get(event_type=audit.events.DOCUMENT_DOWNLOADED.code)
    assert event.jeugdige_id == case.pk and event.user == world.user("kartrekker_a")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lpa_a", 200), ("kartrekker_a", 200), ("lpa_b", 404), ("landelijk", 403),
     ("beheerder", 403)],
)  # fmt: skip
def test_download_per_persona(world, case, client_for, persona, status):
    document = upload(world, case)
    url = reverse("documents:download", args=[case.reference, document.pk])
    assert client_for(persona).get(url).status_code == status


def test_a_document_of_another_case_is_not_found_through_this_one(world, case, client_for):
    other = make_jeugdige(world, given_name="Bas")
    document = upload(world, other)
    url = reverse("documents:download", args=[case.reference, document.pk])
    assert client_for("lpa_a").get(url).status_code == 404


def test_a_file_changed_in_storage_is_refused_and_audited(world, case, client_for, settings):
    document = upload(world, case)
    (Path(settings.MEDIA_ROOT) / document.file.path).write_bytes(pdf_bytes(pages=2))
    url = reverse("documents:download", args=[case.reference, document.pk])
    response = client_for("lpa_a").get(url, follow=True)
    assert response.redirect_chain[-1][0].endswith("#h-documents")
    assert "changed after it was uploaded" in response.content.decode()
    refused = AuditEvent.objects.get(event_type=audit.events.DOCUMENT_REFUSED.code)
    assert refused.jeugdige_id == case.pk and refused.outcome == AuditEvent.Outcome.FAILURE
    assert AuditEvent.objects.filter(event_type=audit.events.STORED_FILE_REFUSED.code).exists()
    assert not AuditEvent.objects.filter(event_type=audit.events.DOCUMENT_DOWNLOADED.code).exists()


# -- upload through the page ---------------------------------------------------------------------
def test_upload_through_the_form_and_see_it_on_the_case_page(world, case, client_for):
    client = client_for("lpa_a")
    url = reverse("documents:upload", args=[case.reference])
    response = client.post(
        url,
        {
            "kind": Document.Kind.ONDERWIJSKUNDIG_ADVIES,
            "title": "Advies SWV",
            # the browser's name and type are ignored: the content is a PNG
            "file": SimpleUploadedFile("../../advies.exe", image_bytes(), "application/pdf"),
        },
    )
    assert response.status_code == 302 and response.url.endswith("#h-documents")
    document = Document.objects.get()
    assert document.content_type == "image/png" and document.extension == "png"
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Advies SWV" in page and "educational advice" in page
    assert reverse("documents:download", args=[case.reference, document.pk]) in page


def test_a_renamed_file_gets_a_clear_message_on_the_form(world, case, client_for):
    response = client_for("lpa_a").post(
        reverse("documents:upload", args=[case.reference]),
        {"kind": KIND, "title": "Verklaring", "file": SimpleUploadedFile("a.pdf", b"hello")},
    )
    assert response.status_code == 200
    assert "not a PDF, PNG or JPEG document" in response.content.decode()
    assert not StoredFile.objects.exists()


def test_too_large_through_the_form(world, case, client_for, settings):
    settings.WEL_DOCUMENT_MAX_MB = 1
    big = pdf_bytes() + b"\n" * (1024 * 1024)
    response = client_for("lpa_a").post(
        reverse("documents:upload", args=[case.reference]),
        {"kind": KIND, "title": "Groot", "file": SimpleUploadedFile("a.pdf", big)},
    )
    assert response.status_code == 200 and "larger than 1 MB" in response.content.decode()
    assert not StoredFile.objects.exists()


# -- delete ---------------------------------------------------------------------------------------
def test_the_uploader_deletes_and_the_file_leaves_storage(
    world, case, client_for, settings, django_capture_on_commit_callbacks
):
    document = upload(world, case)
    path = Path(settings.MEDIA_ROOT) / document.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("lpa_a").post(
            reverse("documents:delete", args=[case.reference, document.pk])
        )
    assert response.status_code == 302
    assert not Document.objects.exists() and not StoredFile.objects.exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(
        event_type=audit.events.DOCUMENT_DELETED.code, jeugdige_id=case.pk
    ).exists()


def test_a_colleague_cannot_delete_but_the_kartrekker_can(world, case):
    colleague = UserFactory(email="collega@wel.test", full_name="Collega")
    MembershipFactory(user=colleague, region=world.region_a, role=Role.LPA, gemeenten=[world.emmen])
    document = upload(world, case)
    with pytest.raises(PermissionDenied):
        services.document_delete(document=document, by=colleague)
    assert Document.objects.filter(pk=document.pk).exists()
    services.document_delete(document=document, by=world.user("kartrekker_a"))
    assert not Document.objects.exists()


# -- inzage and retention ------------------------------------------------------------------------
def test_documents_are_in_the_inzage_export(world, case):
    data = pdf_bytes()
    upload(world, case, data=data, title="Besluit vrijstelling", kind=Document.Kind.BESLUIT)
    exported = json.loads(inzage.inzage_json(jeugdige=case))
    section = next(s for s in exported["sections"] if s["key"] == "documents")
    fields = {f["name"]: f["display"] for f in section["records"][0]["fields"]}
    assert fields["title"] == "Besluit vrijstelling"
    assert fields["kind"] == "besluit"  # (Dutch label of the kind)
    assert hashlib.sha256(data).hexdigest() in fields["file"]
    assert "bytes" in fields["file"] or "KB" in fields["file"]
    assert fields["uploaded_at"]
    pdf = inzage.inzage_pdf(jeugdige=case)
    from tests.documents.helpers import pdf_text

    assert "Besluit vrijstelling" in pdf_text(pdf)


def test_retention_destroys_documents_and_their_files(
    world, settings, django_capture_on_commit_callbacks
):
    old = make_jeugdige(world, date_of_birth=dt.date(2000, 1, 1))
    old = case_services.jeugdige_close(
        jeugdige=old, reason=ClosingReason.LEERPLICHT_VOORBIJ, by=world.user("kartrekker_a")
    )
    kept = make_jeugdige(world, given_name="Jong")
    for j in (old, kept):
        upload(world, j)
        upload(world, j, data=image_bytes("JPEG"), kind=Document.Kind.BRIEF)
    old_paths = [
        Path(settings.MEDIA_ROOT) / d.file.path for d in Document.objects.filter(jeugdige=old)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        result = retention.retention_apply(operator_label="test")
    assert result.cases == 1 and result.counts["documents"] == 2
    assert not any(p.exists() for p in old_paths)
    assert Document.objects.filter(jeugdige=kept).count() == 2
    assert StoredFile.objects.count() == 2
    remaining = {s.path for s in StoredFile.objects.all()}
    on_disk = {f"documents/{name}" for name in default_storage.listdir("documents")[1]}
    assert on_disk == remaining  # no file remains that no document owns
