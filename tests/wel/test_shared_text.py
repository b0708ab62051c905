"""Issue 9 §2: no names, BSNs, dates or references in text that leaves a region — checked in the
service, against every jeugdige and betrokkene the author can see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Betrokkene, Grondslag, Jeugdige
from interviews import services as interview_services
from interviews.models import Category
from regions.models import Learning
from regions.services import learning_save
from tests.cases.factories import make_jeugdige
from tests.conftest import need_services
from tests.interviews.factories import InterviewFactory
from wel import shared_text

LESSON = "Een vaste contactpersoon bij de gemeente maakte het verschil voor de ouders."


# -- the patterns --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "number,ok",
    [
        ("111222333", True),
        ("123456782", True),
        ("999999990", True),
        ("10000008", True),  # 8 digits: read with a leading zero, 010000008
        ("123456789", False),
        ("12345678", False),
        ("111222334", False),
        ("000000000", False),
        ("1234.56.782", True),
        ("1234 56 782", True),
    ],
)
def test_bsn_11_proef_boundaries(number, ok):
    assert shared_text.is_bsn(number) is ok
    found = shared_text.find_identifying(f"Nummer {number} staat erbij.", author=None)
    assert (shared_text.Finding("bsn", number) in found) is ok


@pytest.mark.parametrize(
    "text,kind",
    [
        ("geboren 14-03-2014", "date"),
        ("op 1/7/26 besproken", "date"),
        ("sinds 2024-09-01", "date"),
        ("op 3 maart 2015 ingeschreven", "date"),
        ("zie EMM-2026-0007 voor de details", "reference"),
        ("telefoon 0612345678", None),  # ten digits: no BSN
        ("in 2025 veertig uur", None),  # a year alone says nothing
    ],
)
def test_dates_and_references(text, kind):
    found = shared_text.find_identifying(text, author=None)
    assert [f.kind for f in found] == ([kind] if kind else [])


def test_words_of_keeps_names_with_particles_but_not_lone_particles():
    words = shared_text.words_of("Gesprek met Roos van der Berg en de school")
    assert "roos van der berg" in words and "van der berg" in words
    assert "de" not in words and "van" not in words and "roos van" not in words


@pytest.mark.parametrize(
    "text",
    [
        LESSON,
        "Wat werkt: samen met de school en de GGD één plan maken, in 2025 en 2026.",
        "De ouders (vader én moeder) wilden het gesprek thuis; dat hielp.",
        "",
    ],
)
def test_ordinary_text_has_no_findings(text):
    assert shared_text.find_identifying(text, author=None) == []


# -- the services --------------------------------------------------------------------------------
@pytest.fixture
def unlinked_child(world):
    """A case in region A that nothing in the shared text is linked to."""
    jeugdige = make_jeugdige(world, given_name="Fenna", family_name="Oosterhuis")
    Betrokkene.objects.create(
        jeugdige=jeugdige, kind=Betrokkene.Kind.OUDER_VERZORGER, name="Gerrit Oosterhuis-Kamp"
    )
    InterviewFactory(
        jeugdige=jeugdige, respondent_name="Hennie Wolters", interviewer=world.user("lpa_a")
    )
    return jeugdige


def _publish(world, persona, **texts):
    return learning_save(
        by=world.user(persona),
        title=texts.get("title", "Vaste contactpersoon"),
        lesson=texts.get("lesson", LESSON),
        context=texts.get("context", ""),
        region=world.region_a,
        checked_identifying=True,
        publish=True,
    )


@pytest.mark.parametrize(
    "lesson,named",
    [
        ("Met Fenna ging het beter na het gesprek.", "name “Fenna”"),
        ("De familie oosterhuis wilde eerst niet.", "name “oosterhuis”"),
        ("Fenna Oosterhuis kreeg een plek op de zorgboerderij.", "name “Fenna Oosterhuis”"),
        ("Vader Gerrit Oosterhuis-Kamp belde zelf.", "name “Gerrit Oosterhuis-Kamp”"),
        ("Juf Hennie Wolters vertelde het in het interview.", "name “Hennie Wolters”"),
        ("BSN 123456782 stond in de mail.", "BSN 123456782"),
        ("Geboren op 14-03-2014.", "date 14-03-2014"),
    ],
)
def test_publishing_a_learning_with_an_unlinked_childs_name_is_refused(
    world, unlinked_child, lesson, named
):
    """The found: an LPA published a learning with a child's name, BSN and date of birth; the
    only check was a tick box."""
    with pytest.raises(ValidationError) as error:
        _publish(world, "lpa_a", lesson=lesson)
    message = error.value.message_dict["lesson"][0]
    assert named in message
    assert not Learning.objects.exists()


def test_the_learning_form_shows_what_was_found(world, client_for, unlinked_child):
    response = client_for("lpa_a").post(
        reverse("regions:learning_create"),
        {
            "title": "Vaste contactpersoon",
            "kind": Learning.Kind.WHAT_WORKS,
            "lesson": "Fenna Oosterhuis (BSN 123456782) kreeg een vaste contactpersoon.",
            "region": world.region_a.pk,
            "checked_identifying": "on",
            "publish": "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["lesson"][0]
    assert "Fenna Oosterhuis" in errors and "BSN 123456782" in errors
    assert not Learning.objects.exists()


def test_a_clean_learning_is_published_and_a_draft_is_not_checked(world, unlinked_child):
    assert _publish(world, "lpa_a").status == Learning.Status.PUBLISHED
    draft = learning_save(
        by=world.user("lpa_a"), title="Fenna", lesson="Fenna", region=world.region_a
    )
    assert draft.status == Learning.Status.DRAFT


def test_names_the_author_cannot_see_are_not_looked_up(world):
    # Region B's child is not visible to region A's LPA (the check never reveals who exists).
    make_jeugdige(
        world,
        region=world.region_b,
        gemeente=world.assen,
        by=world.user("lpa_b"),
        given_name="Xandra",
        family_name="Zuidema",
    )
    assert _publish(world, "lpa_a", lesson="Xandra Zuidema als voorbeeld.").pk
    with pytest.raises(ValidationError):
        _publish(world, "lpa_b", lesson="Xandra Zuidema als voorbeeld.")


def test_escalating_an_obstacle_with_an_unlinked_childs_name_is_refused(world, unlinked_child):
    """The found: an obstacle with no linked child was escalated with a child's name in its
    summary; the name check only knew the linked children."""
    kartrekker = world.user("kartrekker_a")
    factor = interview_services.obstacle_raise(
        by=kartrekker,
        region=world.region_a,
        category=Category.choices[0][0],
        description="Vervoer naar de zorgboerderij wordt niet vergoed.",
    )
    assert factor.jeugdige_id is None
    with pytest.raises(ValidationError) as error:
        interview_services.obstacle_escalate(
            factor=factor,
            summary="Voor Fenna Oosterhuis wordt het vervoer naar de zorgboerderij niet vergoed.",
            by=kartrekker,
        )
    assert "Fenna Oosterhuis" in error.value.message_dict["shareable_summary"][0]
    factor.refresh_from_db()
    assert factor.level != "national"


def test_the_admin_gets_the_same_check(world, client_for, unlinked_child):
    learning = _publish(world, "lpa_a")
    url = reverse("admin:regions_learning_change", args=[learning.pk])
    client = client_for("beheerder")
    form = client.get(url).context["adminform"].form
    post = {
        "title": learning.title,
        "kind": learning.kind,
        "lesson": "Fenna Oosterhuis had er baat bij.",
        "context": "",
        "author": learning.author_id,
        "region": learning.region_id,
        "source": learning.source,
        "status": learning.status,
        "checked_identifying": "on",
        "published_at_0": learning.published_at.strftime("%Y-%m-%d"),
        "published_at_1": learning.published_at.strftime("%H:%M:%S"),
        "themes-TOTAL_FORMS": "0",
        "themes-INITIAL_FORMS": "0",
    }
    assert "lesson" in form.fields
    response = client.post(url, post)
    assert response.status_code == 200  # the form again, with the message
    assert "Fenna Oosterhuis" in response.content.decode()
    learning.refresh_from_db()
    assert learning.lesson == LESSON


# -- at national scale ---------------------------------------------------------------------------
@pytest.mark.services
def test_the_name_check_at_100000_jeugdigen_is_one_indexed_query_per_source(world):
    """100,000 cases in one region: the check is one query per name source (cases: jeugdigen
    and betrokkenen; interviews: respondents) on the text's words, and PostgreSQL answers the
    cases query from the expression indexes (no sequential scan of the cases)."""
    need_services(postgres=True)
    region, gemeente = world.region_a, world.emmen
    given = ["Daan", "Sem", "Lucas", "Emma", "Julia", "Mila", "Noah", "Liam", "Tess", "Sara"]
    first = ["Hoog", "Laag", "Noord", "Zuid", "Oost", "West", "Groot", "Klein", "Nieuw", "Oud"]
    mid = ["veen", "berg", "dijk", "hof", "kamp", "meer", "wold", "horst", "brink", "stede"]
    last = ["", "stra", "ma", "inga", "ens", "er", "huis", "sma", "link", "land"]
    rows = [
        Jeugdige(
            reference=f"BLK-2026-{i:06d}",
            region=region,
            gemeente=gemeente,
            given_name=given[i % 10],
            family_name=f"{first[i // 10 % 10]}{mid[i // 100 % 10]}{last[i // 1000 % 10]}",
            date_of_birth=dt.date(2012, 1, 1) + dt.timedelta(days=i % 3000),
            grondslag=Grondslag.VRIJSTELLING_5A,
        )
        for i in range(100_000)
    ]
    rows[77_777].given_name, rows[77_777].family_name = "Wubbolina", "Hoogeveenstra-Ekkel"
    Jeugdige.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_jeugdige; ANALYZE cases_betrokkene")
    author = world.user("kartrekker_a")
    text = LESSON + " Wubbolina zei het al. " + "Ouders willen meedenken. " * 40
    shared_text.find_identifying("warm up the scope", author=author)
    with CaptureQueriesContext(connection) as queries:
        found = shared_text.find_identifying(text, author=author)
    assert [f.text for f in found] == ["Wubbolina"]
    assert len(queries) == 2
    sql = next(q["sql"] for q in queries if "cases_jeugdige" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "jeugdige_family_lower" in plan and "jeugdige_given_lower" in plan, plan
    assert "Seq Scan on cases_jeugdige" not in plan, plan
