"""A small, hand-countable programme in region A (and a little in B that must not count).

Expected figures are written out in the tests; see the comments here for who is what.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cases.models import Status
from reports.metrics import Span

from . import factories as f


def years_ago(today, years: int, days: int = 30):
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day - timedelta(days=days)


@pytest.fixture
def figures(world):
    today = timezone.localdate()
    a, b = world.region_a, world.region_b
    lpa = world.user("lpa_a")
    d = lambda n: today - timedelta(days=n)  # noqa: E731
    # j1: 5a, registered, focus, 13 years; contact overdue; renewal soon; has a BSN
    j1 = f.jeugdige(
        a,
        world.emmen,
        grondslag="vrijstelling_5a",
        status=Status.AANGEMELD,
        is_focus=True,
        bsn="111222333",
        date_of_birth=years_ago(today, 13),
        next_contact_due=d(5),
        renewal_due=today + timedelta(days=10),
        last_contact_on=d(10),
    )
    # j2: 5a, in development, focus, 16 years; renewal overdue; never contacted
    j2 = f.jeugdige(
        a,
        world.borger,
        grondslag="vrijstelling_5a",
        status=Status.IN_ONTWIKKELING,
        is_focus=True,
        date_of_birth=years_ago(today, 16),
        next_contact_due=today + timedelta(days=5),
        renewal_due=d(3),
    )
    # j3: absoluut verzuim, conversation held, 7 years; last contact 200 days ago
    j3 = f.jeugdige(
        a,
        world.emmen,
        grondslag="absoluut_verzuim",
        status=Status.GESPREK_GEVOERD,
        date_of_birth=years_ago(today, 7),
        last_contact_on=d(200),
    )
    # j4: not yet leerplichtig, closed (overdue contact does not count when closed)
    j4 = f.jeugdige(
        a,
        world.emmen,
        grondslag="nog_niet_leerplichtig",
        status=Status.AFGESLOTEN,
        date_of_birth=years_ago(today, 4),
        next_contact_due=d(30),
    )
    # j5: 5a, closed, focus
    j5 = f.jeugdige(
        a, world.borger, grondslag="vrijstelling_5a", status=Status.AFGESLOTEN, is_focus=True
    )
    # region B: one open 5a case with an interview and an obstacle (never counted for A)
    jb = f.jeugdige(b, world.assen, grondslag="vrijstelling_5a", next_contact_due=d(3))
    f.interview(jb, world.user("lpa_b"), d(4))
    f.obstacle(b, category="laws")
    # activities: j1 care farm (recognised) + education; j2 care farm; j3's day activity ended
    f.activity(j1, "zorgboerderij", recognised_by_education=True)
    f.activity(j1, "onderwijs", since=d(100))
    f.activity(j2, "zorgboerderij")
    f.activity(j3, "dagbesteding", since=d(300), until=d(10))
    # contacts
    f.contact(j1, d(3))
    f.contact(j1, d(40))
    # interviews: two with j1's parents, one with j2, one with j3's professional long ago
    i1 = f.interview(j1, lpa, d(10), "parent")
    f.interview(j1, lpa, d(20), "parent")
    f.interview(j2, lpa, d(5), "young_person")
    i4 = f.interview(j3, lpa, d(200), "professional")
    f.next_step(i1, d(2))
    f.next_step(i1, d(1))
    f.next_step(i4, d(50), done=True)
    # obstacles in A
    f.obstacle(a, "transport", "local", "gesignaleerd")
    f.obstacle(a, "transport", "regional", "opgelost")
    f.obstacle(a, "funding", "national", "geagendeerd", shareable_summary="Vervoer naar zorg")
    # moreel beraad: two in the period, one before it
    f.beraad(a, d(10), "dilemma")
    f.beraad(a, d(30), "dilemma")
    f.beraad(a, d(200), "socratic")
    # learnings: one published from A, one draft, one from B
    f.learning(a, world.user("kartrekker_a"), title="Ouders aan tafel")
    f.learning(a, world.user("kartrekker_a"), title="Concept", published=False)
    f.learning(b, world.user("lpa_b"), title="Les uit Assen")
    span = Span.for_regions([a.pk], d(90), today, today)
    return SimpleNamespace(
        today=today,
        span=span,
        j1=j1,
        j2=j2,
        j3=j3,
        j4=j4,
        j5=j5,
        jb=jb,
        people=[j1, j2, j3, j4, j5],
    )
