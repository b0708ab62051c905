"""§3 of the Leerplichtwet issue: a tightened rule checks the input it is about, and never
blocks unrelated work on a case whose older record breaks it — the record is listed for
review instead (worklist, kartrekker's count, the data migration's report)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases import importer, services
from cases.models import Grondslag, Jeugdige, RuleFinding
from cases.review import review_all
from tests.cases.factories import make_jeugdige

pytestmark = pytest.mark.django_db
D = dt.date


def legacy(world, **values) -> Jeugdige:
    """A case saved before the rules of this issue: written past the services, as the older
    code (or data) left it."""
    j = make_jeugdige(world, given_name="Oud", family_name="Dossier")
    Jeugdige.objects.filter(pk=j.pk).update(**values)
    j.refresh_from_db()
    return j


THREE_YEARS = {
    "grondslag": Grondslag.VRIJSTELLING_5A,
    "exemption_start": D(2026, 8, 1),
    "exemption_end": D(2029, 7, 31),
    "renewal_due": D(2027, 7, 1),
}
OLD_STATEMENT = {
    "grondslag": Grondslag.VRIJSTELLING_5A,
    "doctor_statement_date": D(2025, 1, 2),
    "notice_date": D(2025, 6, 1),
}


def _consent(world, jeugdige):
    from family import services as family

    new = family.invitation_create(
        jeugdige=jeugdige,
        audience="parent",
        purpose="before",
        delivery="letter",
        recipient_name="Ouder Dossier",
        by=world.user("lpa_a"),
    )
    return family.contribution_submit(
        invitation=new.invitation, data={"going_well": "Het gaat goed.", "consent": True}
    )


@pytest.mark.parametrize("values", [THREE_YEARS, OLD_STATEMENT], ids=["3-years", "statement"])
def test_a_parents_consent_is_saved_on_a_case_that_breaks_a_newer_rule(world, values):
    # Found: "Een vrijstelling 5 onder a geldt voor één schooljaar …" refused the family's
    # answer and consent, because recording the consent re-validated the whole case.
    j = legacy(world, **values)
    contribution = _consent(world, j)
    j.refresh_from_db()
    assert contribution.pk and j.consent_date is not None
    assert "Ouder Dossier" in j.consent_by


def test_unrelated_writes_on_a_case_that_breaks_a_rule_go_through(world):
    j = legacy(world, **OLD_STATEMENT)
    services.contact_add(
        jeugdige=j, date=D(2026, 1, 5), kind="telefoon", summary="Gebeld.", by=world.user("lpa_a")
    )
    services.timeline_add(jeugdige=j, kind="note", text="Notitie.")
    j.refresh_from_db()
    j = services.jeugdige_update(
        jeugdige=j, data={"notes": "Gesproken met moeder."}, version=j.version, by=None
    )
    assert j.notes == "Gesproken met moeder."
    # the rule is checked when its own input changes
    with pytest.raises(services.RuleError) as exc:
        services.jeugdige_update(
            jeugdige=j, data={"notice_date": D(2025, 6, 2)}, version=j.version, by=None
        )
    assert "drie maanden" in str(exc.value) or "three months" in str(exc.value)
    # ...and the case is listed for review, never rewritten
    assert list(RuleFinding.objects.filter(jeugdige=j).values_list("code", flat=True)) == [
        "statement_too_old"
    ]
    j.refresh_from_db()
    assert j.doctor_statement_date == D(2025, 1, 2)


def test_an_import_of_other_rows_goes_through(world):
    legacy(world, **OLD_STATEMENT)
    data = "voornaam;achternaam;geboortedatum;gemeente;grondslag\nAnder;Kind;02-11-2012;0114;av\n"
    result = importer.run_import(data.encode(), filename="a.csv", region=world.region_a)
    assert result.ok and result.created == 1


def test_warnings_need_confirmation_and_are_then_recorded_as_confirmed(world):
    data = {
        "given_name": "Kermis",
        "family_name": "Kind",
        "date_of_birth": D(2017, 5, 3),
        "grondslag": Grondslag.ARTIKEL_5A,
        "exemption_start": D(2026, 8, 1),
    }
    with pytest.raises(services.RuleError) as exc:
        make_jeugdige(world, **data)
    assert exc.value.warnings_only and [f.code for f in exc.value.findings] == ["artikel_5a_season"]
    j = services.jeugdige_create(
        region=world.region_a,
        gemeente=world.emmen,
        by=world.user("lpa_a"),
        data=data,
        confirm_warnings=["artikel_5a_season"],
    )
    finding = RuleFinding.objects.get(jeugdige=j)
    assert finding.code == "artikel_5a_season" and finding.confirmed_by == world.user("lpa_a")


def test_errors_refuse_at_their_field(world):
    with pytest.raises(services.RuleError) as exc:
        make_jeugdige(
            world,
            grondslag=Grondslag.ARTIKEL_15,
            date_of_birth=D(2014, 3, 14),
            exemption_start=D(2026, 8, 1),
        )
    assert list(exc.value.message_dict) == ["exemption_start"]
    assert not exc.value.warnings_only


def test_review_lists_older_records_for_their_lpa_and_counts_them_for_the_kartrekker(
    world, client_for
):
    j = legacy(world, grondslag=Grondslag.VERVANGENDE_LEERPLICHT)
    j2 = legacy(world, **OLD_STATEMENT)
    report = review_all(Jeugdige, RuleFinding)
    assert report.by_code == {"vervangend_article": 1, "statement_too_old": 1}
    assert any(j.reference in line for line in report.lines())
    # a second run finds the same, adds nothing
    assert review_all(Jeugdige, RuleFinding).added == 0
    page = client_for("lpa_a").get(reverse("cases:worklist"))
    assert page.context["review_total"] == 2
    assert {i.reference for i in page.context["review"]} == {j.reference, j2.reference}
    assert client_for("kartrekker_a").get(reverse("cases:worklist")).context["review_total"] == 2
    assert client_for("lpa_b").get(reverse("cases:worklist")).context["review_total"] == 0
    # correcting the record takes it off the list
    j.refresh_from_db()
    services.jeugdige_update(
        jeugdige=j,
        data={"grondslag": Grondslag.VERVANGENDE_LEERPLICHT_3B},
        version=j.version,
        by=world.user("lpa_a"),
    )
    assert not RuleFinding.objects.filter(jeugdige=j).exists()


def test_law_review_command_prints_the_report(world):
    legacy(world, grondslag=Grondslag.VERVANGENDE_LEERPLICHT)
    out = io.StringIO()
    call_command("law_review", "--region", "VO2202", stdout=out)
    assert "vervangend_article: 1" in out.getvalue()


def test_the_form_asks_to_confirm_a_warning_and_shows_errors_at_the_field(world, client_for):
    client = client_for("lpa_a")
    data = {
        "region": world.region_a.pk,
        "gemeente": world.emmen.pk,
        "given_name": "Kermis",
        "family_name": "Kind",
        "date_of_birth": "2017-05-03",
        "grondslag": Grondslag.ARTIKEL_5A,
        "exemption_start": "2026-08-01",
    }
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 200 and not Jeugdige.objects.exists()
    page = response.content.decode()
    assert 'id="rule-warnings"' in page and 'value="artikel_5a_season"' in page
    response = client.post(
        reverse("cases:create"), data | {"confirm_warnings": "artikel_5a_season"}
    )
    assert response.status_code == 302
    assert Jeugdige.objects.get().grondslag == Grondslag.ARTIKEL_5A
    bad = data | {"grondslag": Grondslag.ARTIKEL_15, "given_name": "Vijftien"}
    response = client.post(reverse("cases:create"), bad)
    assert response.status_code == 200
    assert response.context["form"].errors["exemption_start"]


def test_the_form_offers_3a_and_3b_not_the_older_value(world, client_for):
    form = client_for("lpa_a").get(reverse("cases:create")).context["form"]
    values = [v for v, _label in form.fields["grondslag"].choices]
    assert Grondslag.VERVANGENDE_LEERPLICHT not in values
    assert {Grondslag.VERVANGENDE_LEERPLICHT_3A, Grondslag.VERVANGENDE_LEERPLICHT_3B} <= set(values)
    j = legacy(world, grondslag=Grondslag.VERVANGENDE_LEERPLICHT)
    form = client_for("lpa_a").get(reverse("cases:update", args=[j.reference])).context["form"]
    assert Grondslag.VERVANGENDE_LEERPLICHT in [v for v, _l in form.fields["grondslag"].choices]


def test_review_list_shows_a_page_and_counts_them_all(world):
    from cases import selectors
    from tests.cases.factories import JeugdigeFactory

    for n in range(14):
        j = JeugdigeFactory(
            region=world.region_a, gemeente=world.emmen, reference=f"EMM-2026-{n:04d}"
        )
        RuleFinding.objects.create(jeugdige=j, code="vervangend_article", level="review")
    items, total = selectors.review_list(user=world.user("kartrekker_a"), limit=1)
    assert total == 14 and [i.reference for i in items] == ["EMM-2026-0000"]
    items, total = selectors.review_list(user=world.user("kartrekker_a"), limit=20)
    assert total == 14 and len(items) == 14
