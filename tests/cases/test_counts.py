"""cases.counts: cached counts are exact after every kind of write (never a stale number)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import counts, importer, retention, selectors, services
from cases.models import CasesVersion, Jeugdige
from reports import metrics
from tests.cases.factories import make_jeugdige
from tests.cases.test_import import GOOD, HEADER, csv_bytes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _figures(world) -> dict:
    """Every cached number, read as the pages read them."""
    kartrekker, lpa = world.user("kartrekker_a"), world.user("lpa_a")
    span = metrics.Span.for_regions([world.region_a.pk], TODAY - dt.timedelta(days=365), TODAY)
    visible = selectors.jeugdigen_for_user(kartrekker)
    return {
        "worklist kartrekker": selectors.worklist_counts(user=kartrekker),
        "worklist lpa": selectors.worklist_counts(user=lpa),
        "list count": counts.count(visible, region_ids=[world.region_a.pk]),
        "dashboard": metrics.jeugdige_counts(span).totals(
            ["n", "contact_overdue", "renewal_overdue", "no_recent_contact"]
        ),
    }


def _fresh(world) -> dict:
    cache.clear()
    return _figures(world)


def _check(world) -> None:
    """The cached figures (not cleared) equal freshly counted ones."""
    cached = _figures(world)
    assert cached == _fresh(world)


def test_every_write_path_changes_the_cached_counts(world, tmp_path):
    kartrekker, lpa = world.user("kartrekker_a"), world.user("lpa_a")
    j = make_jeugdige(world, next_contact_due=TODAY - dt.timedelta(days=2))
    first = _fresh(world)
    assert first["worklist kartrekker"]["contact_overdue"] == 1
    _check(world)

    make_jeugdige(world, given_name="Twee")  # create
    _check(world)
    assert _figures(world)["list count"] == 2

    services.contact_add(  # a contact moves next_contact_due: no longer overdue
        jeugdige=j,
        date=TODAY,
        kind="telefoon",
        summary="gebeld",
        by=lpa,
        next_contact_due=TODAY + dt.timedelta(days=30),
    )
    _check(world)
    assert _figures(world)["worklist kartrekker"]["contact_overdue"] == 0

    j.refresh_from_db()
    services.jeugdige_update(  # update
        jeugdige=j,
        data={"next_contact_due": TODAY - dt.timedelta(days=1)},
        version=j.version,
        by=kartrekker,
    )
    _check(world)
    assert _figures(world)["worklist kartrekker"]["contact_overdue"] == 1

    j.refresh_from_db()
    to = services.allowed_transitions(j.status)[0]
    services.jeugdige_transition(jeugdige=j, to=to, by=kartrekker, version=j.version)  # status
    _check(world)

    j.refresh_from_db()
    services.jeugdige_close(jeugdige=j, reason="verhuisd", by=kartrekker, version=j.version)
    _check(world)
    assert _figures(world)["worklist kartrekker"]["contact_overdue"] == 0

    result = importer.run_import(  # import
        csv_bytes([HEADER, *GOOD]),
        filename="lijst.csv",
        region=world.region_a,
        commit=True,
        by=kartrekker,
    )
    assert result.created
    _check(world)
    assert _figures(world)["list count"] == 2 + result.created


def test_retention_deletion_changes_the_cached_counts(world):
    # past the 19-year term, inside the 30 years a date of birth may lie back (wel.validation)
    born = timezone.localdate().replace(month=1, day=1) - dt.timedelta(days=int(20.5 * 365))
    j = make_jeugdige(world, date_of_birth=born)
    services.jeugdige_close(jeugdige=j, reason="verhuisd", by=world.user("kartrekker_a"))
    assert _fresh(world)["list count"] == 1
    retention.retention_apply(operator_label="test")
    assert not Jeugdige.objects.filter(pk=j.pk).exists()
    _check(world)
    assert _figures(world)["list count"] == 0


def test_a_write_without_the_token_would_read_stale(world):
    """Proves the cache is really used (so the tests above can fail): a write that bypasses
    the services keeps the old figure until the token changes."""
    make_jeugdige(world)
    assert _fresh(world)["list count"] == 1
    Jeugdige.objects.create(
        **{
            f.attname: getattr(Jeugdige.objects.get(), f.attname)
            for f in Jeugdige._meta.concrete_fields
            if f.attname not in ("id", "reference")
        },
        reference="X-1",
    )
    assert _figures(world)["list count"] == 1  # cached
    counts.cases_changed(region_ids=[world.region_a.pk])
    assert _figures(world)["list count"] == 2


def test_tokens_are_one_upsert_and_one_read(world):
    with CaptureQueriesContext(connection) as ctx:
        counts.cases_changed(region_ids=[world.region_a.pk, world.region_b.pk])
        counts.cases_changed(region_ids=[world.region_a.pk])
    assert len(ctx) == 2
    assert CasesVersion.objects.count() == 2
    before = counts.tokens([world.region_a.pk, world.region_b.pk])
    counts.cases_changed(region_ids=[world.region_a.pk])
    after = counts.tokens([world.region_a.pk, world.region_b.pk])
    assert before[0] != after[0] and before[1] == after[1]


def test_the_case_list_shows_the_exact_total_after_a_write(world, client_for):
    client = client_for("kartrekker_a")
    make_jeugdige(world)
    assert client.get(reverse("cases:list")).context["page"].paginator.count == 1
    make_jeugdige(world, given_name="Twee")
    assert client.get(reverse("cases:list")).context["page"].paginator.count == 2
