"""The year overview per gemeente (Leerplichtwet art. 25, the Leerplichttelling): the page for
the LPA and kartrekker of the gemeente, the downloads (audited as exports), the command, and
each count traceable to its cases. The command must match a hand count on a seeded year."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cases import rules, telling
from cases.models import Grondslag, Jeugdige
from tests.cases.factories import JeugdigeFactory
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db
D = dt.date
Y = rules.SchoolYear(2025)
G = Grondslag


def case(world, grondslag, *, registered, gemeente=None, closed=None, reason="", **kw):
    j = JeugdigeFactory(
        region=world.region_a,
        gemeente=gemeente or world.emmen,
        grondslag=grondslag,
        created_at=timezone.make_aware(dt.datetime.combine(registered, dt.time(10))),
        **kw,
    )
    if closed:
        Jeugdige.objects.filter(pk=j.pk).update(
            status="afgesloten", closed_on=closed, closing_reason=reason or "anders"
        )
    return j


def seed_year(world) -> dict[str, set[str]]:
    """A seeded school year 2025-2026 in Emmen, with what a person counting by hand finds."""
    av = G.ABSOLUUT_VERZUIM
    made = {
        # absoluut verzuim
        "av_open_long": case(world, av, registered=D(2026, 1, 10)),  # open 31-07: > 3 months
        "av_short_open": case(world, av, registered=D(2026, 5, 20)),  # open, not 3 months yet
        "av_solved": case(
            world,
            av,
            registered=D(2025, 9, 1),
            closed=D(2025, 10, 15),
            reason="ingeschreven_school",
        ),
        "av_solved_long": case(
            world,
            av,
            registered=D(2025, 6, 1),
            closed=D(2025, 12, 1),
            reason="ingeschreven_school",
        ),
        "av_moved": case(
            world, av, registered=D(2025, 9, 1), closed=D(2026, 2, 1), reason="verhuisd"
        ),
        "av_before": case(world, av, registered=D(2024, 9, 1), closed=D(2025, 7, 31)),  # not
        "av_after": case(world, av, registered=D(2026, 8, 1)),  # not
        "av_borger": case(world, av, registered=D(2025, 9, 1), gemeente=world.borger),  # not
        # vrijstellingen
        "5a": case(
            world,
            G.VRIJSTELLING_5A,
            registered=D(2025, 5, 1),
            exemption_start=D(2025, 8, 1),
            exemption_end=D(2026, 7, 31),
        ),
        "5a_old": case(
            world,
            G.VRIJSTELLING_5A,
            registered=D(2024, 5, 1),
            exemption_start=D(2024, 8, 1),
            exemption_end=D(2025, 7, 31),
        ),  # not
        "5b": case(
            world, G.VRIJSTELLING_5B, registered=D(2025, 9, 1), exemption_start=D(2025, 9, 1)
        ),
        "5c": case(world, G.VRIJSTELLING_5C, registered=D(2025, 9, 1)),
        "art5a": case(
            world,
            G.ARTIKEL_5A,
            registered=D(2026, 2, 1),
            exemption_start=D(2026, 3, 1),
            exemption_end=D(2026, 10, 31),
        ),
        "art15": case(world, G.ARTIKEL_15, registered=D(2025, 8, 20)),
        "3a": case(
            world,
            G.VERVANGENDE_LEERPLICHT_3A,
            registered=D(2025, 7, 1),
            exemption_start=D(2025, 8, 1),
            exemption_end=D(2026, 7, 31),
        ),
        "3b": case(
            world,
            G.VERVANGENDE_LEERPLICHT_3B,
            registered=D(2025, 7, 1),
            exemption_start=D(2025, 8, 1),
            exemption_end=D(2026, 7, 31),
        ),
        "vl": case(world, G.VERVANGENDE_LEERPLICHT, registered=D(2025, 10, 1)),
        "nnl": case(world, G.NOG_NIET_LEERPLICHTIG, registered=D(2025, 10, 1)),  # no row
    }
    ref = {k: j.reference for k, j in made.items()}
    return {
        "absoluut_verzuim": {
            ref[k]
            for k in ("av_open_long", "av_short_open", "av_solved", "av_solved_long", "av_moved")
        },
        "absoluut_verzuim_long": {ref["av_open_long"], ref["av_solved_long"], ref["av_moved"]},
        "absoluut_verzuim_solved": {ref["av_solved"], ref["av_solved_long"]},
        "vrijstelling_5a": {ref["5a"]},
        "vrijstelling_5b": {ref["5b"]},
        "vrijstelling_5c": {ref["5c"]},
        "artikel_5a": {ref["art5a"]},
        "artikel_15": {ref["art15"]},
        "vervangende_leerplicht_3a": {ref["3a"]},
        "vervangende_leerplicht_3b": {ref["3b"]},
        "vervangende_leerplicht": {ref["vl"]},
    }


def test_every_figure_matches_a_hand_count_on_a_seeded_year(world):
    hand = seed_year(world)
    overview = telling.telling_for(user=world.user("kartrekker_a"), gemeente=world.emmen, year=Y)
    refs = dict(Jeugdige.objects.values_list("pk", "reference"))
    got = {row.key: {refs[pk] for pk in row.ids} for row in overview.rows}
    assert got == hand
    assert [r.key for r in overview.rows] == list(rules.COUNT_KEYS)


def test_the_command_matches_the_hand_count(world, tmp_path):
    hand = seed_year(world)
    out = io.StringIO()
    call_command(
        "leerplichttelling",
        "--gemeente",
        "0114",
        "--schooljaar",
        "2025-2026",
        "--user",
        "lpa.a@wel.test",
        "--output",
        str(tmp_path),
        stdout=out,
    )
    path = out.getvalue().strip()
    assert path.endswith("leerplichttelling-0114-2025-2026.csv")
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    counts = [int(r[4]) for r in rows[1:]]
    assert counts == [len(hand[k]) for k in rules.COUNT_KEYS]
    assert {r[0] for r in rows[1:]} == {"Emmen"} and {r[2] for r in rows[1:]} == {"2025-2026"}
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert event.user == world.user("lpa_a") and event.detail["gemeente"] == "0114"
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        out = io.StringIO()
        call_command(
            "leerplichttelling",
            "--gemeente",
            "114",
            "--schooljaar",
            "2025-2026",
            "--user",
            "lpa.a@wel.test",
            "--format",
            fmt,
            "--output",
            str(tmp_path),
            stdout=out,
        )
        assert Path(out.getvalue().strip()).read_bytes().startswith(magic)


def test_the_command_refuses_a_gemeente_outside_the_users_scope(world, tmp_path):
    args = ["--schooljaar", "2025-2026", "--output", str(tmp_path)]
    with pytest.raises(CommandError, match="does not work on cases in gemeente 1681"):
        call_command("leerplichttelling", "--gemeente", "1681", "--user", "lpa.a@wel.test", *args)
    with pytest.raises(CommandError, match="not a school year"):
        call_command(
            "leerplichttelling",
            "--gemeente",
            "0114",
            "--user",
            "lpa.a@wel.test",
            "--schooljaar",
            "2025",
            "--output",
            str(tmp_path),
        )


URL = reverse("cases:leerplichttelling")
Q = {"gemeente": "0114", "schooljaar": "2025-2026"}


@pytest.mark.parametrize(
    "persona, status",
    [
        ("anonymous", 302),
        ("lpa_a", 200),
        ("kartrekker_a", 200),
        ("lpa_b", 404),  # Emmen is outside their scope
        ("landelijk", 403),
        ("beheerder", 403),
    ],
)
def test_page_and_downloads_per_persona(world, client_for, persona, status):
    client = client_for(persona)
    for name in (
        "leerplichttelling",
        "leerplichttelling_csv",
        "leerplichttelling_xlsx",
        "leerplichttelling_pdf",
    ):
        assert client.get(reverse(f"cases:{name}"), Q).status_code == status, name
    cases_url = reverse("cases:leerplichttelling_cases", args=["absoluut_verzuim"])
    assert client.get(cases_url, Q).status_code == status


def test_the_lpa_of_emmen_does_not_see_borger_odoorn(world, client_for):
    assert client_for("lpa_a").get(URL, {"gemeente": "1681"}).status_code == 404
    assert client_for("kartrekker_a").get(URL, {"gemeente": "1681"}).status_code == 200


@pytest.mark.parametrize("year", ["2025", "x", "2025-2027", "1900-1901", "2999-3000"])
def test_a_bad_school_year_is_404(world, client_for, year):
    assert client_for("lpa_a").get(URL, {"gemeente": "0114", "schooljaar": year}).status_code == 404


def test_a_count_opens_the_list_of_its_cases(world, client_for):
    hand = seed_year(world)
    client = client_for("lpa_a")
    page = client.get(URL, Q)
    row = page.context["telling"].row("absoluut_verzuim_long")
    link = reverse("cases:leerplichttelling_cases", args=["absoluut_verzuim_long"])
    assert f'href="{link}?gemeente=0114&amp;schooljaar=2025-2026"' in page.content.decode()
    listing = client.get(link, Q)
    assert {j.reference for j in listing.context["cases"]} == hand["absoluut_verzuim_long"]
    assert len(row.ids) == 3
    assert client.get(reverse("cases:leerplichttelling_cases", args=["nope"]), Q).status_code == 404


def test_downloads_are_audited_as_exports(world, client_for):
    seed_year(world)
    client = client_for("kartrekker_a")
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(reverse(f"cases:leerplichttelling_{fmt}"), Q)
        assert response.status_code == 200
        assert f"leerplichttelling-0114-2025-2026.{fmt}" in response["Content-Disposition"]
        event = AuditEvent.objects.filter(action="export").latest("pk")
        assert event.detail == {"gemeente": "0114", "schooljaar": "2025-2026", "format": fmt}
    text = client.get(reverse("cases:leerplichttelling_csv"), Q).content.decode("utf-8-sig")
    assert "Absoluut verzuim: longer than three months;3" in text


def test_default_is_the_last_school_year_that_ended():
    assert telling.default_year(D(2026, 10, 1)) == rules.SchoolYear(2025)
    assert telling.default_year(D(2026, 7, 31)) == rules.SchoolYear(2024)
    assert telling.default_year(D(2026, 8, 1)) == rules.SchoolYear(2025)
