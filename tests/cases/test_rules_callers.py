"""Every caller of a rule uses cases.rules: the worklist, the start page, the dashboard, the
case list and page, the export, the form, the service and the import agree. Each test here
failed on the code before issue 8 §4 (see the comment on each)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import exporter, importer, rules, selectors, services
from cases.filters import age_band_q
from cases.forms import JeugdigeForm
from cases.models import Grondslag, Jeugdige, Status
from reports import metrics
from reports.metrics import Span
from tests.reports import factories as f

from .factories import make_jeugdige

D = dt.date
DATA = Path(__file__).parent / "data"
TODAY = timezone.localdate()


def _dashboard(world, on: D) -> dict[str, int]:
    span = Span.for_regions([world.region_a.pk], on - dt.timedelta(days=90), on, on)
    rows = metrics.worklist(span).rows
    keys = ["contact_overdue", "no_recent_contact", "renewal_due_soon", "renewal_overdue"]
    return dict(zip(keys, [r[1] for r in rows[:4]], strict=True)) | {"next_steps": rows[4][1]}


def _worklist(world, on: D) -> dict[str, int]:
    return selectors.worklist_counts(user=world.user("kartrekker_a"), today=on)


# -- field case 14 and the 5a renewal -------------------------------------------------------
def test_field_case_14_import_renews_a_multi_year_5a_every_school_year(world):
    # before: Driejaar got renewal due 01-07-2029
    data = (DATA / "14-5a-multi-year-renewal.csv").read_bytes()
    result = importer.run_import(
        data, filename="14.csv", region=world.region_a, commit=True, by=world.user("lpa_a")
    )
    assert not result.bad_rows
    due = dict(Jeugdige.objects.values_list("family_name", "renewal_due"))
    assert due == {"Driejaar": D(2027, 7, 1), "Eenjaar": D(2027, 7, 1), "Open": D(2027, 7, 1)}
    # The Leerplichtwet sets no maximum on a 5 onder a (art. 5 "zolang"); it asks the yearly
    # notice (art. 6 lid 2 onder b): three school years is not flagged, the renewal is.
    assert not [f for j in Jeugdige.objects.all() for f in j.findings()]


def test_case_page_shows_what_to_review_of_an_older_record(world, client_for):
    j = f.jeugdige(
        world.region_a,
        world.emmen,
        exemption_start=D(2027, 7, 10),
        exemption_end=D(2028, 7, 31),
        renewal_due=D(2027, 7, 1),  # before the start: field case 23's old date
    )
    page = client_for("lpa_a").get(j.get_absolute_url()).content.decode()
    assert 'id="rule-findings"' in page and "01-07-2028" in page


def _form_data(world, **kw) -> dict:
    return {
        "region": world.region_a.pk,
        "gemeente": world.emmen.pk,
        "given_name": "Test",
        "family_name": "Driejaar",
        "date_of_birth": "2015-03-14",
        "grondslag": "vrijstelling_5a",
        "exemption_duration": "school_year",
        "exemption_start": "2026-08-01",
        "exemption_end": "2029-07-31",
    } | kw


def test_form_accepts_a_multi_year_5a_and_refuses_whole_period_on_another_ground(world):
    # before: a 5a past one school year was refused citing art. 7, which is about the statement
    lpa = world.user("lpa_a")
    form = JeugdigeForm(data=_form_data(world), user=lpa)
    assert form.is_valid(), form.errors
    other = JeugdigeForm(
        data=_form_data(world, grondslag="vrijstelling_5b", exemption_duration="whole_period"),
        user=lpa,
    )
    assert not other.is_valid()
    assert "art. 6 lid 3" in " ".join(other.errors["exemption_duration"])


def test_create_view_sets_the_renewal_and_records_the_expert(world, client_for):
    client = client_for("lpa_a")
    data = _form_data(world, exemption_end="2027-07-31", statement_expert="psycholoog")
    assert client.post(reverse("cases:create"), data).status_code == 302
    j = Jeugdige.objects.get()
    assert j.renewal_due == D(2027, 7, 1)
    assert j.statement_expert == "psycholoog"
    page = client.get(j.get_absolute_url()).content.decode()
    assert "Psychologist" in page
    export = client_for("kartrekker_a").get(reverse("cases:export"), {"format": "csv"})
    text = export.getvalue().decode("utf-8-sig")
    assert "Statement by" in text.splitlines()[0] and "Psychologist" in text


def test_service_refuses_a_statement_older_than_three_months(world):
    with pytest.raises(services.RuleError, match="art. 7"):
        make_jeugdige(
            world,
            notice_date=D(2026, 6, 2),
            doctor_statement_date=D(2026, 3, 1),
        )
    assert not Jeugdige.objects.exists()
    assert make_jeugdige(world, notice_date=D(2026, 6, 1), doctor_statement_date=D(2026, 3, 1))


def test_renewal_due_on_1_july_is_overdue_on_1_july_everywhere(world):
    # before: the dashboard counted it "due within 60 days" on 1 July, overdue from 2 July
    f.jeugdige(world.region_a, world.emmen, renewal_due=D(2027, 7, 1))
    for on, overdue, soon in [(D(2027, 6, 30), 0, 1), (D(2027, 7, 1), 1, 0)]:
        wl, dash = _worklist(world, on), _dashboard(world, on)
        assert (wl["renewal_overdue"], wl["renewal_due_soon"]) == (overdue, soon), on
        assert (dash["renewal_overdue"], dash["renewal_due_soon"]) == (overdue, soon), on


def test_long_overdue_renewals_are_not_due_within_60_days(world, client_for):
    # before: the worklist and the start page counted a renewal five months late as "within 60"
    f.jeugdige(world.region_a, world.emmen, renewal_due=TODAY - dt.timedelta(days=150))
    counts = selectors.worklist_counts(user=world.user("lpa_a"))
    assert counts["renewal_due_soon"] == 0 and counts["renewal_overdue"] == 1
    home = client_for("lpa_a").get("/").content.decode()
    assert "exemption renewals overdue" in home and "overdue</span>" in home
    work = client_for("lpa_a").get(reverse("cases:worklist")).content.decode()
    assert "Exemption renewal overdue" in work


def test_overdue_badges_on_case_list_and_case_page(world, client_for):
    j = f.jeugdige(
        world.region_a,
        world.emmen,
        renewal_due=TODAY,
        next_contact_due=TODAY - dt.timedelta(days=1),
    )
    client = client_for("lpa_a")
    listing = client.get(reverse("cases:list")).content.decode()
    assert listing.count('<span class="badge text-bg-danger">overdue</span>') == 2
    page = client.get(j.get_absolute_url()).content.decode()
    assert "renewal overdue" in page and "contact overdue" in page


# -- six months without contact -------------------------------------------------------------
def test_six_months_without_contact_is_one_definition(world):
    # before: on 31 August the worklist said 0 and the dashboard (182 days) said 1
    f.jeugdige(world.region_a, world.emmen, last_contact_on=D(2026, 3, 1))
    for on, expected in [(D(2026, 8, 31), 0), (D(2026, 9, 1), 1)]:
        assert _worklist(world, on)["no_recent_contact"] == expected
        assert _dashboard(world, on)["no_recent_contact"] == expected


# -- age bands on 29 February ----------------------------------------------------------------
def test_age_bands_agree_on_29_february(world):
    # before: the list filter put a child born 1 March 2023 in 5–11 on 29 February 2028
    on = D(2028, 2, 29)
    young = f.jeugdige(world.region_a, world.emmen, date_of_birth=D(2023, 3, 1))
    old = f.jeugdige(world.region_a, world.emmen, date_of_birth=D(2023, 2, 28))
    qs = Jeugdige.objects.all()
    assert set(qs.filter(age_band_q("0-4", on))) == {young}
    assert set(qs.filter(age_band_q("5-11", on))) == {old}
    span = Span.for_regions([world.region_a.pk], D(2028, 1, 1), on, on)
    rows = dict(metrics.jeugdigen_by_age_band(span).rows)
    assert rows["0–4"] == 1 and rows["5–11"] == 1


# -- next steps of closed cases, activities, obstacles ----------------------------------------
def test_next_steps_of_closed_cases_are_not_overdue_on_the_dashboard(world, client_for):
    # before: counted as overdue in a table that says "open cases"
    lpa = world.user("lpa_a")
    open_ = f.jeugdige(world.region_a, world.emmen)
    closed = f.jeugdige(world.region_a, world.emmen, status=Status.AFGESLOTEN)
    f.next_step(f.interview(open_, lpa, TODAY), TODAY - dt.timedelta(days=1))
    step = f.next_step(f.interview(closed, lpa, TODAY), TODAY - dt.timedelta(days=1))
    assert _dashboard(world, TODAY)["next_steps"] == 1
    panel = client_for("lpa_a").get(reverse("cases:worklist")).context["steps"]
    assert step not in panel and len(panel) == 1 and panel[0].overdue


def test_current_activity_and_closed_obstacle_are_the_models_rules(world):
    j = f.jeugdige(world.region_a, world.emmen, is_focus=True)
    ended = f.activity(j, "dagbesteding", until=TODAY - dt.timedelta(days=1))
    today_last = f.activity(j, "zorgboerderij", until=TODAY)
    assert not ended.is_current and today_last.is_current
    span = Span.for_regions([world.region_a.pk], TODAY - dt.timedelta(days=30), TODAY, TODAY)
    assert metrics.focus_trajectories(span).rows[0][-1] == 1
    kinds = {row[0]: row[1] for row in metrics.activities_by_kind(span).rows}
    assert kinds["Care farm"] == 1 and kinds["Day activity"] == 0
    for status in ("gesignaleerd", "opgelost", "niet_oplosbaar"):
        f.obstacle(world.region_a, "transport", "local", status)
    from interviews.models import BelemmerendeFactor

    closed = [o.is_closed for o in BelemmerendeFactor.objects.order_by("pk")]
    row = {r[0]: r for r in metrics.obstacles_by_category(span).rows}["transport"]
    assert (row[1], row[2]) == (closed.count(False), closed.count(True)) == (1, 2)


# -- property: worklist, dashboard and export agree for random cases on random days ----------
def _case_strategy():
    offset = st.one_of(st.none(), st.integers(min_value=-400, max_value=400))
    return st.fixed_dictionaries(
        {
            "closed": st.booleans(),
            "next_contact": offset,
            "renewal": offset,
            "last_contact": st.one_of(st.none(), st.integers(min_value=-400, max_value=0)),
            "age_days": st.integers(min_value=0, max_value=20 * 366),
        }
    )


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cases=st.lists(_case_strategy(), min_size=1, max_size=8),
    on=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
)
def test_worklist_dashboard_and_export_agree(world, cases, on):
    def day(n):
        return None if n is None else on + dt.timedelta(days=n)

    cache.clear()  # each example's cases (factories, rolled back) are counted afresh
    with transaction.atomic():
        for c in cases:
            f.jeugdige(
                world.region_a,
                world.emmen,
                status=Status.AFGESLOTEN if c["closed"] else Status.IN_BEELD,
                next_contact_due=day(c["next_contact"]),
                renewal_due=day(c["renewal"]),
                last_contact_on=day(c["last_contact"]),
                date_of_birth=on - dt.timedelta(days=c["age_days"]),
            )
        kartrekker = world.user("kartrekker_a")
        worklist = selectors.worklist_counts(user=kartrekker, today=on)
        dashboard = _dashboard(world, on)
        rows = [
            r
            for r in exporter.export_rows(selectors.jeugdigen_list(user=kartrekker, filters={}).qs)
            if rules.case_open(r["status"])
        ]
        export = {
            "contact_overdue": sum(rules.contact_overdue(r["next_contact_due"], on) for r in rows),
            "renewal_overdue": sum(rules.renewal_overdue(r["renewal_due"], on) for r in rows),
            "renewal_due_soon": sum(rules.renewal_due_soon(r["renewal_due"], on) for r in rows),
            "no_recent_contact": sum(
                rules.no_contact_since(r["last_contact_on"], on) for r in rows
            ),
        }
        assert worklist == export
        assert {k: dashboard[k] for k in export} == export
        span = Span.for_regions([world.region_a.pk], on - dt.timedelta(days=30), on, on)
        ages = dict(metrics.jeugdigen_by_age_band(span).rows)
        for band in rules.AGE_BANDS:
            in_export = sum(rules.age_band(r["date_of_birth"], on) == band.key for r in rows)
            in_filter = (
                Jeugdige.objects.filter(rules.case_open_q())
                .filter(age_band_q(band.key, on))
                .count()
            )
            assert ages[band.label] == in_export == in_filter, band.key
        transaction.set_rollback(True)


def test_editing_the_exemption_without_a_renewal_date_fills_in_the_rules_date(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world, grondslag=Grondslag.ABSOLUUT_VERZUIM)
    assert j.renewal_due is None
    data = {
        "grondslag": Grondslag.VRIJSTELLING_5A,
        "exemption_start": D(2026, 8, 1),
        "exemption_end": D(2027, 7, 31),
        "renewal_due": None,
    }
    j = services.jeugdige_update(jeugdige=j, data=data, version=j.version, by=lpa)
    assert j.renewal_due == D(2027, 7, 1)
    j = services.jeugdige_update(jeugdige=j, data={"notes": "x"}, version=j.version, by=lpa)
    assert j.renewal_due == D(2027, 7, 1)
