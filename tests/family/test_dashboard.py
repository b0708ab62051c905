"""The region dashboard counts "parents and young people contributed themselves": exact for
the region's members; national roles get no per-region breakdown (issue 20: a region's page
shows them its key figures only, docs/reports.md)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from family import services
from reports import metrics
from reports.metrics import Span
from tests.cases.factories import make_jeugdige

pytestmark = pytest.mark.django_db


def _contribute(world, jeugdige):
    new = services.invitation_create(
        jeugdige=jeugdige,
        audience="parent",
        purpose="before",
        delivery="letter",
        recipient_name="Ouder",
        by=world.user("lpa_a"),
    )
    services.contribution_submit(invitation=new.invitation, data={"going_well": "Goed."})


def _family_table(response):
    tables = response.context["figures"]
    return next(t for t in tables if t.table.key == "family")


def test_the_count_is_exact_for_the_region_and_not_shown_per_region_nationally(world, client_for):
    jeugdige = make_jeugdige(world)
    _contribute(world, jeugdige)
    # the local date (between 23:00 and 24:00 UTC the UTC date is the day before)
    today = timezone.localdate(jeugdige.created_at)
    table = metrics.family_contributions(Span.for_regions([world.region_a.pk], today, today))
    assert table.rows[0][1:] == [1, 1] and table.rows[1][1:] == [0, 0]
    assert table.total[1:] == [1, 1]
    url = reverse("reports:region_dashboard", args=[world.region_a.code])
    region = client_for("kartrekker_a").get(url).content.decode()
    assert "Parents and young people contributed themselves" in region
    national = client_for("landelijk").get(url)
    assert national.status_code == 200
    assert "Parents and young people contributed themselves" not in national.content.decode()
    assert not any(t.table.key == "family" for t in national.context["figures"])
