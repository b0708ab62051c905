"""The PDFs: built through the service, read back with pypdf; figures present, names absent."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from regions.models import Phase
from reports.models import Report
from reports.services import report_build

from . import factories as f


def pdf_text(report: Report) -> str:
    with default_storage.open(report.file.name, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def assert_no_personal_data(text: str, people) -> None:
    for j in people:
        assert j.given_name not in text
        assert j.family_name not in text
        assert j.date_of_birth.strftime("%d-%m-%Y") not in text
        if j.bsn:
            assert j.bsn not in text


def pdf_pages(report: Report) -> list[str]:
    with default_storage.open(report.file.name, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return [page.extract_text() for page in reader.pages]


def nl(text: str) -> str:
    """A string as the (Dutch) PDF shows it."""
    with translation.override("nl"):
        return gettext(text)


def build(**kw) -> Report:
    report = f.report(**kw)
    report = report_build(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error
    return report


def test_region_report_has_the_figures_and_no_names(figures, world):
    report = build(region=world.region_a, period_start=figures.span.start, period_end=figures.today)
    text = pdf_text(report)
    assert world.region_a.name in text
    assert "Karel Kartrekker-A" in text  # the cover names the kartrekker
    assert figures.j1.reference in text and figures.j2.reference in text  # focus by reference
    assert "Vervoer naar zorg" in text  # national agenda summary
    assert "Geheime beschrijving" not in text  # obstacle descriptions stay in the region
    assert "Ouders aan tafel" in text  # learning shared
    # the kartrekker's own ("regio") report: exact figures, as on the region's dashboard,
    # marked confidential on every page (the cover included)
    assert re.search(r"Vrijstelling 5 onder a\s*2\s*1\s*3", text)
    assert "<3" not in text
    confidential = nl("Confidential")
    pages = pdf_pages(report)
    assert all(confidential.upper() in p and confidential in p for p in pages[1:])
    assert confidential in pages[0]
    assert_no_personal_data(text, figures.people)
    assert report.file.name.endswith(".pdf")
    with default_storage.open(report.file.name, "rb") as fh:
        head = fh.read(2048)
    assert head.startswith(b"%PDF-1.7")


def test_landelijk_region_report_is_protected_and_not_confidential(figures, world):
    from reports import services

    start, end = services.standard_period(region=world.region_a)
    report = build(region=world.region_a, audience="landelijk", period_start=start, period_end=end)
    text = pdf_text(report)
    # issue 20: the region's key figures from the national release, no breakdown per region
    # and no focus jeugdigen by reference
    assert "Vrijstelling 5 onder a" not in text
    assert nl("Focus jeugdigen through the trajectory") not in text
    assert figures.j1.reference not in text
    assert nl("Confidential") not in text
    assert_no_personal_data(text, figures.people)


def test_pdf_is_tagged_dutch_and_numbered(figures, world):
    report = build(region=world.region_a)
    with default_storage.open(report.file.name, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == "nl"
    assert "/StructTreeRoot" in root  # tagged (PDF/UA-1)
    assert world.region_a.name in reader.metadata.title
    texts = [p.extract_text() for p in reader.pages]
    assert re.search(rf"\b2 / {len(texts)}\b", texts[1])  # page numbers
    assert re.search(r"\.{5,}\s*\d", texts[1])  # table of contents with page numbers


def test_phase_report_is_aggregate_only(figures, world):
    world.region_a.phase = Phase.objects.get(number=2)
    world.region_a.save()
    report = build(
        phase=Phase.objects.get(number=2),
        period_start=figures.span.start,
        period_end=figures.today,
    )
    text = pdf_text(report)
    assert world.region_a.name in text and world.region_b.name in text  # phase 1 and 2
    assert figures.j1.reference not in text  # no references in the phase overview
    assert "Vervoer naar zorg" in text
    assert_no_personal_data(text, figures.people)
    report.refresh_from_db()
    assert report.progress == 100


def test_a_region_section_of_the_phase_report_is_its_row_of_key_figures_in_one_line(figures, world):
    """Issue 23: a region's section shows the cells of its row in the protected key figures
    per region as a line of labels and numbers — no chart and no table per region (75 of each
    were 60 % of the phase PDF's time)."""
    from reports import documents, snapshot

    report = build(phase=Phase.objects.get(number=1), period_start=figures.span.start)
    with translation.override("nl"):
        context = documents.phase_report_context(report, lambda *a: None)
        row = next(r for r in context["per_region"].rows if r.key == world.region_a.code)
        protected = snapshot.current(start=report.period_start, end=report.period_end)
    sections = str(context["sections"])
    mine = sections.split("<section")[1 + context["per_region"].rows.index(row)]
    assert "<svg" not in sections and "<table" not in sections
    from django.utils.html import escape

    for label, value in zip(context["per_region"].header[1:], row[1:], strict=True):
        assert f"{escape(label)}: <b>{escape(value)}</b>" in mine
    assert protected.tables["regions"].cell(world.region_a.code, "open") == row[1]


def test_phase_report_reports_progress_per_region(figures, world, monkeypatch):
    from jobs import services as jobs

    seen = []
    original = jobs.progress

    def spy(model, job_id, percent, note=""):
        if note:
            seen.append(note)
        return original(model, job_id, percent, note)

    monkeypatch.setattr(jobs, "progress", spy)
    build(phase=Phase.objects.get(number=1))
    # one note per region (the notes are in Dutch, like the report): "Regio 1 van 2: …"
    per_region = [n for n in seen if n.endswith((world.region_a.name, world.region_b.name))]
    assert len(per_region) == 2  # region A and B are both phase 1 in the fixture


@pytest.mark.django_db
def test_build_report_command_prints_the_path(world, capsys):
    call_command("build_report", "region", world.region_a.code, "--user", "landelijk@wel.test")
    path = capsys.readouterr().out.strip()
    assert path.endswith(".pdf")
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    call_command("build_report", "phase", "1", "--user", "landelijk@wel.test")
    assert capsys.readouterr().out.strip().endswith(".pdf")


def test_build_report_command_errors(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No region"):
        call_command("build_report", "region", "NOPE", "--user", "landelijk@wel.test")
    with pytest.raises(CommandError, match="No phase"):
        call_command("build_report", "phase", "9", "--user", "landelijk@wel.test")


def test_a_worker_process_loads_the_pdf_renderer_when_it_starts(monkeypatch):
    """Celery's worker_process_init: WeasyPrint and the fonts are loaded then, so that no
    report pays for them (issue 23); a failed warm-up is logged, never fatal."""
    from celery.signals import worker_process_init

    from reports import documents, tasks

    calls = []
    monkeypatch.setattr(documents, "warm_up", lambda: calls.append("warm"))
    assert worker_process_init.has_listeners()
    tasks.warm_up_pdf(sender=None)
    assert calls == ["warm"]
    receivers = [r() for _key, r in worker_process_init.receivers]
    assert tasks.warm_up_pdf in receivers

    def broken():
        raise OSError("no fonts")

    monkeypatch.setattr(documents, "warm_up", broken)
    tasks.warm_up_pdf(sender=None)  # logged, not raised


def test_the_warm_up_makes_a_pdf():
    from reports.documents import warm_up

    warm_up()
