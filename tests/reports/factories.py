"""Plain factories for the objects the reports read. They write rows directly (no services):
the reports app only reads, and the tests need exact, hand-countable fixtures."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from cases.models import ContactMoment, Grondslag, Jeugdige, Ontwikkelactiviteit, Status
from interviews.models import BelemmerendeFactor, Interview, MoreelBeraad, NextStep
from regions.models import Learning, LearningTheme
from reports.models import Report

_seq = itertools.count(1)

NAMES = ["Sanne", "Daan", "Noor", "Milan", "Emma", "Levi", "Julia", "Finn"]


def jeugdige(region, gemeente, **kw) -> Jeugdige:
    n = next(_seq)
    closed = kw.get("status") == Status.AFGESLOTEN
    defaults = {
        "reference": f"{region.reference_prefix}-2019-{8000 + n:04d}",
        "given_name": f"{NAMES[n % len(NAMES)]}zoon{n}",
        "family_name": f"Achternaamtest{n}",
        "date_of_birth": date(2013, 3, 14),
        "bsn": "",
        "grondslag": Grondslag.VRIJSTELLING_5A,
        "status": Status.AANGEMELD,
        "closing_reason": "passend_aanbod" if closed else "",
    }
    defaults.update(kw)
    return Jeugdige.objects.create(region=region, gemeente=gemeente, **defaults)


def activity(j, kind="zorgboerderij", **kw) -> Ontwikkelactiviteit:
    return Ontwikkelactiviteit.objects.create(jeugdige=j, kind=kind, **kw)


def contact(j, on: date, **kw) -> ContactMoment:
    return ContactMoment.objects.create(jeugdige=j, date=on, kind="telefoon", summary="x", **kw)


def interview(j, by, on: date, kind="parent", **kw) -> Interview:
    return Interview.objects.create(
        jeugdige=j, respondent_kind=kind, held_on=on, interviewer=by, **kw
    )


def next_step(i, due: date, done=False) -> NextStep:
    return NextStep.objects.create(
        interview=i, description="bellen", owner="LPA", due_on=due, done=done
    )


def beraad(region, on: date, method="dilemma") -> MoreelBeraad:
    return MoreelBeraad.objects.create(
        region=region,
        held_on=on,
        facilitator="Gespreksleider",
        method=method,
        participants="LPA",
        case_description="Een jongere",
        dilemma="Wel of niet",
        option_a="A",
        option_b="B",
    )


def obstacle(region, category="transport", level="local", status="gesignaleerd", **kw):
    if level == "national":
        kw.setdefault("shareable_summary", f"Landelijk knelpunt {category}")
    return BelemmerendeFactor.objects.create(
        region=region,
        source="region",
        category=category,
        level=level,
        status=status,
        description=kw.pop("description", "Geheime beschrijving met details"),
        **kw,
    )


def learning(region, author, title="Ouders vooraan", themes=("parents",), published=True):
    lr = Learning.objects.create(
        region=region,
        author=author,
        title=title,
        lesson="Wat werkt",
        status="published" if published else "draft",
        checked_identifying=True,
        published_at=timezone.now() if published else None,
    )
    for t in themes:
        LearningTheme.objects.create(learning=lr, theme=t)
    return lr


def report(**kw) -> Report:
    today = timezone.localdate()
    kw.setdefault("period_start", today - timedelta(days=90))
    kw.setdefault("period_end", today)
    if "region" in kw:
        kw.setdefault("kind", Report.Kind.REGION_PROGRESS)
        kw.setdefault("audience", Report.Audience.REGIO)  # the kartrekker's own report
    else:
        kw.setdefault("kind", Report.Kind.PHASE_OVERVIEW)
    return Report.objects.create(**kw)


def done_report(**kw) -> Report:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("reports/test/walk.pdf", ContentFile(b"%PDF-1.7 test"))
    return report(status=Report.Status.DONE, file=name, progress=100, **kw)
