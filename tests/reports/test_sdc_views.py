"""Statistical disclosure control through the pages: narrow periods, audiences, charts."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from regions.models import Phase
from reports import services
from reports.charts import chart_for
from reports.models import Report
from reports.tables import HIDDEN, SMALL, TOTAL, Column, Row, Table
from wel.models import AuditEvent

from . import factories as f

REFUSAL = "Protected figures are given for the standard period only"


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def narrow(today) -> str:
    start = today.replace(day=1)
    return f"?start={start:%Y-%m-%d}&end={today:%Y-%m-%d}"


# -- narrow periods --------------------------------------------------------------------------
def test_a_narrow_period_export_is_refused_for_the_national_team(figures, world, client_for):
    """Issue 9: …/export/trend.csv?start=…&end=… showed "<3" next to an exact total of 1."""
    url = reverse("reports:region_export", args=[world.region_a.code, "keyfigures", "csv"])
    client = client_for("landelijk")
    response = client.get(url + narrow(figures.today))
    assert response.status_code == 302
    assert response.url == reverse("reports:region_dashboard", args=[world.region_a.code])
    assert REFUSAL in messages_of(response)
    assert not AuditEvent.objects.filter(action="export").exists()
    # the standard period is given, protected: no small total next to its "<3"
    whole = client.get(url)
    assert whole.status_code == 200
    rows = list(csv.reader(io.StringIO(whole.content.decode("utf-8-sig")), delimiter=";"))
    total = rows[-1]
    for i, cell in enumerate(total[1:], start=1):
        column = [r[i] for r in rows[2:-1]]
        if SMALL in column:
            assert not (cell.isdigit() and int(cell) < 3), (column, cell)


def test_the_national_team_gets_the_standard_period_on_dashboards(figures, world, client_for):
    client = client_for("landelijk")
    region_url = reverse("reports:region_dashboard", args=[world.region_a.code])
    response = client.get(region_url + narrow(figures.today))
    assert response.status_code == 200
    standard = services.standard_period(region=world.region_a)
    assert (response.context["start"], response.context["end"]) == standard
    assert REFUSAL in messages_of(response)
    assert b'id="period-start"' not in response.content  # no period form to choose from
    national = client.get(reverse("reports:national_dashboard") + narrow(figures.today))
    assert (national.context["start"], national.context["end"]) == services.standard_period()
    assert REFUSAL in messages_of(national)
    export = client.get(
        reverse("reports:national_export", args=["trend", "xlsx"]) + narrow(figures.today)
    )
    assert export.status_code == 302 and export.url == reverse("reports:national_dashboard")


@pytest.mark.parametrize("persona", ["kartrekker_a", "lpa_a"])
def test_members_choose_any_period_with_exact_figures(figures, world, client_for, persona):
    url = reverse("reports:region_dashboard", args=[world.region_a.code])
    response = client_for(persona).get(url + narrow(figures.today))
    assert response.context["start"] == figures.today.replace(day=1)
    assert REFUSAL not in messages_of(response)
    export = client_for(persona).get(
        reverse("reports:region_export", args=[world.region_a.code, "trend", "csv"])
        + narrow(figures.today)
    )
    assert export.status_code == 200 and SMALL not in export.content.decode()


# -- audiences -------------------------------------------------------------------------------
def test_the_kartrekker_gets_the_regio_variant_and_the_national_team_the_protected_one(
    figures, world, client_for, django_capture_on_commit_callbacks
):
    url = reverse("reports:request_region", args=[world.region_a.code])
    with django_capture_on_commit_callbacks(execute=True):
        client_for("kartrekker_a").post(url)
    regio = Report.objects.get()
    assert regio.audience == Report.Audience.REGIO and regio.status == "done"
    start, end = services.standard_period(region=world.region_a)
    period = {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    with django_capture_on_commit_callbacks(execute=True):
        client_for("landelijk").post(url, period)
    landelijk = Report.objects.exclude(pk=regio.pk).get()
    assert landelijk.audience == Report.Audience.LANDELIJK and landelijk.status == "done"
    assert AuditEvent.objects.filter(action="create", detail__audience="landelijk").exists()
    national = client_for("landelijk")
    for name in ("reports:detail", "reports:progress", "reports:download"):
        assert national.get(reverse(name, args=[regio.pk])).status_code == 404
        assert national.get(reverse(name, args=[landelijk.pk])).status_code == 200
    listed = national.get(reverse("reports:list")).context["page"].object_list
    assert list(listed) == [landelijk]
    members = client_for("kartrekker_a").get(reverse("reports:list"))
    assert set(members.context["page"].object_list) == {regio, landelijk}


def test_the_national_team_cannot_ask_for_another_period(figures, world, client_for):
    response = client_for("landelijk").post(
        reverse("reports:request_region", args=[world.region_a.code]),
        {"start": f"{figures.today.replace(day=1):%Y-%m-%d}", "end": f"{figures.today:%Y-%m-%d}"},
    )
    assert response.status_code == 302 and not Report.objects.exists()
    assert "covers the standard period only" in messages_of(response)


def test_retry_follows_the_audience(world, client_for):
    regio = f.report(region=world.region_a, status="failed", audience="regio")
    landelijk = f.report(region=world.region_a, status="failed", audience="landelijk")
    assert client_for("landelijk").post(reverse("reports:retry", args=[regio.pk])).status_code == (
        404
    )
    assert (
        client_for("kartrekker_a").post(reverse("reports:retry", args=[landelijk.pk])).status_code
        == 403
    )
    client_for("landelijk").post(reverse("reports:retry", args=[landelijk.pk]))
    landelijk.refresh_from_db()
    assert landelijk.status == "queued"


def test_a_phase_overview_is_always_landelijk(world):
    with pytest.raises(services.ReportRequestError):
        services.report_request(
            kind=Report.Kind.PHASE_OVERVIEW, phase=Phase.objects.first(), audience="regio"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        f.report(phase=Phase.objects.first(), audience="regio")


def test_scheduled_region_reports_are_for_the_region(world):
    reports = services.scheduled_region_reports()
    assert reports and {r.audience for r in reports} == {Report.Audience.REGIO}


# -- charts ----------------------------------------------------------------------------------
def test_charts_draw_hidden_cells_as_marked_ranges():
    exact = Table(
        key="k",
        caption="c",
        columns=[Column("label", ""), Column("n", "n", count=True)],
        rows=[Row(k, [k, v]) for k, v in [("a", 11), ("b", 4), ("c", 1), ("d", 0), ("e", 1)]],
        total=Row(TOTAL, ["Total", 17]),
    )
    svg = str(chart_for(exact.suppress()))
    assert svg.count('fill="url(#hatch-k-0)"') == 3  # two "<3" and one "x": no missing bar
    assert ">&lt;3</text>" in svg and f">{HIDDEN}</text>" in svg
    assert 'style="' not in svg  # CSP
    assert "url(#hatch" not in str(chart_for(exact))  # exact figures: plain bars
