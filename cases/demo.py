"""Demo jeugdigen: per region 12–20 believable cases (a mix of grondslagen and statuses, five
focus cases, betrokkenen, activities, contact moments, a timeline), made through the services
so history, timeline and audit look as in real use.

Idempotent: a region that already has cases (other than load-test ones) is left alone.
``--scale N`` makes sure N extra load-test jeugdigen exist in the pilot region EMM
(references of year 2024), written with bulk_create: no field history or audit per case.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation

from regions.demo import FAMILY, GIVEN
from regions.models import Region
from wel.models import Role

from . import services
from .models import (
    Betrokkene,
    ClosingReason,
    ContactMoment,
    Grondslag,
    Jeugdige,
    Ontwikkelactiviteit,
    ReferenceCounter,
    Status,
    TimelineEntry,
)
from .search import search_name_of

SCALE_YEAR = 2024
SCALE_REGION = "VO2202"
PATH = [
    Status.IN_BEELD,
    Status.CONTACT_OUDERS,
    Status.GESPREK_GEPLAND,
    Status.GESPREK_GEVOERD,
    Status.AANBOD_IN_VOORBEREIDING,
    Status.IN_ONTWIKKELING,
]
GRONDSLAGEN = (
    [Grondslag.VRIJSTELLING_5A] * 9
    + [Grondslag.ABSOLUUT_VERZUIM] * 4
    + [Grondslag.NOG_NIET_LEERPLICHTIG] * 2
    + [
        Grondslag.VRIJSTELLING_5B,
        Grondslag.VRIJSTELLING_5C,
        Grondslag.ARTIKEL_15,
        Grondslag.VERVANGENDE_LEERPLICHT_3A,
    ]
)
SCHOOLS = [
    "OBS De Esch",
    "CBS De Wegwijzer",
    "Esdal College",
    "Hondsrug College",
    "SBO De Zuidwester",
    "Dr. Nassau College",
    "VSO De Twijn",
    "Basisschool De Regenboog",
]
ACTIVITIES = [
    (Ontwikkelactiviteit.Kind.ZORGBOERDERIJ, "Zorgboerderij De Hoeve", 8, False),
    (Ontwikkelactiviteit.Kind.DAGBESTEDING, "Dagcentrum 't Kompas", 12, False),
    (Ontwikkelactiviteit.Kind.ZORG_THERAPIE, "Accare", 2, False),
    (
        Ontwikkelactiviteit.Kind.THUISONDERWIJS,
        "Ouders, met lesmateriaal van Wereldschool",
        10,
        False,
    ),
    (Ontwikkelactiviteit.Kind.ONDERWIJS, "Onderwijs-zorgarrangement VSO De Twijn", 6, True),
    (Ontwikkelactiviteit.Kind.SPORT_CULTUUR, "Muziekschool", 2, False),
    (Ontwikkelactiviteit.Kind.WERK_STAGE, "Kinderboerderij (stage)", 4, False),
]
CONTACT_SUMMARIES = [
    "Telefonisch gesproken met moeder; het gaat wisselend. Na de vakantie bellen we weer.",
    "Huisbezoek: jeugdige liet eigen tekeningen zien, werkt graag met de handen.",
    "Overleg met jeugdarts GGD over de nieuwe verklaring.",
    "Ouders willen een gesprek met school en SWV; zij nodigen de zorgaanbieder uit.",
    "Mail van vader: de dagbesteding bevalt goed, vier ochtenden per week.",
]


def _bsn(rnd: random.Random) -> str:
    while True:
        digits = [rnd.randint(0, 9) for _ in range(8)]
        if digits[0] == 0:
            continue
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last <= 9:
            return "".join(map(str, digits)) + str(last)


def _dob(rnd: random.Random, grondslag: str, today: dt.date) -> dt.date:
    age = 4 if grondslag == Grondslag.NOG_NIET_LEERPLICHTIG else rnd.randint(5, 17)
    return today - dt.timedelta(days=age * 365 + rnd.randint(10, 350))


def seed(*, stdout, scale: int = 0) -> None:
    # Timeline sentences are stored as written: write them in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        _seed(stdout=stdout, scale=scale)


def _seed(*, stdout, scale: int) -> None:
    started = time.monotonic()
    made = 0
    today = timezone.localdate()
    for region in Region.objects.prefetch_related("gemeenten").order_by("code"):
        if region.joined_on is None or region.joined_on > today:
            continue  # a region that has not joined yet has no cases
        if (
            Jeugdige.objects.filter(region=region)
            .exclude(reference__startswith=f"{region.reference_prefix}-{SCALE_YEAR}-")
            .exists()
        ):
            continue
        made += _seed_region(region)
    stdout.write(f"Jeugdigen: {made} demo cases made ({time.monotonic() - started:.1f} s)")
    if scale:
        scaled_started = time.monotonic()
        added = seed_scale(scale)
        stdout.write(
            f"Jeugdigen: {added} load-test cases added in {time.monotonic() - scaled_started:.1f} s"
        )


def _seed_region(region: Region) -> int:
    rnd = random.Random(region.code)
    today = timezone.localdate()
    gemeenten = sorted(region.gemeenten.all(), key=lambda g: g.name)
    memberships = list(
        region.memberships.select_related("user").prefetch_related("gemeenten").order_by("pk")
    )
    lpas = [m for m in memberships if m.role == Role.LPA]
    kartrekker = next((m.user for m in memberships if m.role == Role.KARTREKKER), None)
    if not gemeenten or kartrekker is None:
        return 0

    def lpa_for(gemeente):
        for m in lpas:
            ids = {g.pk for g in m.gemeenten.all()}
            if not ids or gemeente.pk in ids:
                return m.user
        return kartrekker

    count = rnd.randint(12, 20)
    made = []
    for i in range(count):
        grondslag = GRONDSLAGEN[i % len(GRONDSLAGEN)] if i < 12 else rnd.choice(GRONDSLAGEN)
        gemeente = gemeenten[i % len(gemeenten)]
        lpa = lpa_for(gemeente)
        created = today - dt.timedelta(days=rnd.randint(20, 420))
        start = dt.date(created.year if created.month >= 8 else created.year - 1, 8, 1)
        is_5a = grondslag == Grondslag.VRIJSTELLING_5A
        data = {
            "given_name": rnd.choice(GIVEN),
            "family_name": rnd.choice(FAMILY),
            "date_of_birth": _dob(rnd, grondslag, today),
            "bsn": _bsn(rnd) if rnd.random() < 0.6 else "",
            "grondslag": grondslag,
            "last_school": rnd.choice(SCHOOLS),
            "assigned_lpa": lpa if rnd.random() < 0.85 else None,
            "is_focus": i < 5,
            "notes": "",
        }
        if is_5a:
            whole = rnd.random() < 0.3
            data |= {
                "notice_date": start - dt.timedelta(days=rnd.randint(20, 60)),
                "doctor_statement_date": start - dt.timedelta(days=rnd.randint(5, 30)),
                "exemption_duration": "whole_period" if whole else "school_year",
                "exemption_start": start,
                "exemption_end": None if whole else dt.date(start.year + 1, 7, 31),
            }
            if not whole and i % 3 == 0:
                # a renewal coming up soon: the worklist shows it
                data["renewal_due"] = today + dt.timedelta(days=rnd.randint(5, 55))
        steps = rnd.randint(0, len(PATH)) if i >= 2 else len(PATH) - i
        if steps >= 1 and i >= 5:
            overdue = rnd.random() < 0.35
            data["next_contact_due"] = today + dt.timedelta(
                days=rnd.randint(-40, -3) if overdue else rnd.randint(7, 60)
            )
        if steps >= 2:
            data["consent_date"] = created + dt.timedelta(days=rnd.randint(5, 30))
            data["consent_by"] = rnd.choice(["beide ouders", "moeder", "vader"])
        jeugdige = services.jeugdige_create(
            region=region, gemeente=gemeente, by=lpa, data=data, allow_duplicate=True
        )
        Jeugdige.objects.filter(pk=jeugdige.pk).update(created_at=_aware(created))
        if steps >= 2:
            services.betrokkene_add(
                jeugdige=jeugdige,
                data={
                    "kind": Betrokkene.Kind.OUDER_VERZORGER,
                    "name": f"{rnd.choice(GIVEN)} {data['family_name']}",
                    "role": "moeder" if rnd.random() < 0.6 else "vader",
                    "phone": f"06-{rnd.randint(10000000, 99999999)}",
                    "invited_by_parents": False,
                },
                by=lpa,
            )
        if steps >= 3:
            services.betrokkene_add(
                jeugdige=jeugdige,
                data={
                    "kind": rnd.choice(
                        [
                            Betrokkene.Kind.GGD,
                            Betrokkene.Kind.ZORGAANBIEDER,
                            Betrokkene.Kind.SAMENWERKINGSVERBAND,
                            Betrokkene.Kind.SOCIAAL_TEAM,
                        ]
                    ),
                    "name": f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}",
                    "organisation": rnd.choice(
                        ["GGD Drenthe", "Accare", "SWV 22.02", "Sociaal team"]
                    ),
                    "invited_by_parents": True,
                },
                by=lpa,
            )
        contact_day = created
        for step in PATH[:steps]:
            if step in (Status.CONTACT_OUDERS, Status.GESPREK_GEVOERD):
                contact_day = min(today, contact_day + dt.timedelta(days=rnd.randint(10, 60)))
                services.contact_add(
                    jeugdige=jeugdige,
                    date=contact_day,
                    kind=rnd.choice([ContactMoment.Kind.TELEFOON, ContactMoment.Kind.HUISBEZOEK]),
                    summary=rnd.choice(CONTACT_SUMMARIES),
                    by=lpa,
                )
            services.jeugdige_transition(jeugdige=jeugdige, to=step, by=lpa)
        if steps >= 4:
            kind, provider, hours, recognised = rnd.choice(ACTIVITIES)
            services.activiteit_add(
                jeugdige=jeugdige,
                data={
                    "kind": kind,
                    "provider": provider,
                    "since": created - dt.timedelta(days=rnd.randint(30, 400)),
                    "hours_per_week": Decimal(hours),
                    "recognised_by_education": recognised,
                    "description": "",
                },
                by=lpa,
            )
        if i >= count - 2 and steps >= 1:
            services.jeugdige_close(
                jeugdige=jeugdige,
                reason=rnd.choice(
                    [ClosingReason.INGESCHREVEN_SCHOOL, ClosingReason.PASSEND_AANBOD]
                ),
                by=lpa,
            )
        made.append((jeugdige.pk, created))
    _spread_timeline(made, today)
    return len(made)


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _spread_timeline(made: list[tuple[int, dt.date]], today: dt.date) -> None:
    """Demo cases are made in one go; spread each timeline between registration and today."""
    entries = TimelineEntry.objects.filter(jeugdige_id__in=[pk for pk, _ in made]).order_by(
        "jeugdige_id", "at", "pk"
    )
    created_on = dict(made)
    by_case: dict[int, list[TimelineEntry]] = {}
    for entry in entries:
        by_case.setdefault(entry.jeugdige_id, []).append(entry)
    changed = []
    for pk, case_entries in by_case.items():
        start = created_on[pk]
        span = max((today - start).days, 1)
        n = len(case_entries)
        for k, entry in enumerate(case_entries):
            if entry.kind == TimelineEntry.Kind.CONTACT and entry.at.date() != today:
                continue  # already on the contact's own date
            day = start + dt.timedelta(days=span * k // max(n, 1))
            entry.at = _aware(day, 9 + k % 8)
            changed.append(entry)
    TimelineEntry.objects.bulk_update(changed, ["at"], batch_size=1000)
    # "Step since" must agree with the timeline: the moment of the last status change.
    last_step = {}
    for entry in changed:
        if entry.kind == TimelineEntry.Kind.STATUS:
            last_step[entry.jeugdige_id] = max(last_step.get(entry.jeugdige_id, entry.at), entry.at)
    cases = list(Jeugdige.objects.filter(pk__in=list(last_step)))
    for case in cases:
        case.status_changed_at = last_step[case.pk]
    Jeugdige.objects.bulk_update(cases, ["status_changed_at"], batch_size=1000)


def seed_scale(target: int) -> int:
    """Make sure ``target`` load-test jeugdigen exist in the pilot region (bulk_create)."""
    region = Region.objects.filter(code=SCALE_REGION).first() or Region.objects.first()
    if region is None:
        return 0
    prefix = f"{region.reference_prefix}-{SCALE_YEAR}-"
    existing = Jeugdige.objects.filter(reference__startswith=prefix).count()
    missing = max(0, target - existing)
    if not missing:
        return 0
    rnd = random.Random(existing)
    today = timezone.localdate()
    now = timezone.now()
    gemeenten = list(region.gemeenten.all())
    counter, _ = ReferenceCounter.objects.get_or_create(region=region, year=SCALE_YEAR)
    first = counter.last + 1
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=counter.last + missing)
    statuses = [s for s in Status.values if s != Status.AFGESLOTEN]
    batch: list[Jeugdige] = []
    for n in range(first, first + missing):
        grondslag = rnd.choice(GRONDSLAGEN)
        start = dt.date(today.year - 1, 8, 1)
        given, family = rnd.choice(GIVEN), rnd.choice(FAMILY)
        batch.append(
            Jeugdige(
                region=region,
                gemeente=gemeenten[n % len(gemeenten)],
                reference=f"{prefix}{n:05d}",
                given_name=given,
                family_name=family,
                # bulk_create does not call save(), which fills it: without it the search
                # found none of these cases by name
                search_name=search_name_of(given, family),
                date_of_birth=_dob(rnd, grondslag, today),
                grondslag=grondslag,
                exemption_start=start if grondslag == Grondslag.VRIJSTELLING_5A else None,
                renewal_due=dt.date(today.year, 7, 1)
                if grondslag == Grondslag.VRIJSTELLING_5A
                else None,
                status=rnd.choice(statuses),
                next_contact_due=today + dt.timedelta(days=rnd.randint(-60, 120)),
                last_contact_on=today - dt.timedelta(days=rnd.randint(0, 400))
                if rnd.random() < 0.7
                else None,
                created_at=now - dt.timedelta(minutes=n),
                updated_at=now,
                status_changed_at=now,
            )
        )
        if len(batch) >= 5000:
            Jeugdige.objects.bulk_create(batch)
            batch = []
    if batch:
        Jeugdige.objects.bulk_create(batch)
    return missing
