"""Moreel beraad: recorded by the kartrekker, read by the region's LPAs, invisible elsewhere."""

import pytest
from django.urls import reverse

from interviews.models import MoreelBeraad
from tests.interviews.factories import BeraadFactory, make_jeugdige
from wel.models import AuditEvent


def beraad_post(**extra):
    data = {
        "beraad-held_on": "2026-10-01",
        "beraad-facilitator": "Gedragswerk",
        "beraad-method": "socratic",
        "beraad-participants": "LPA – Emmen\nOrthopedagoog – SWV",
        "beraad-case_description": "Een jongere van 14, thuis sinds twee jaar.",
        "beraad-dilemma": "Dwingen of wachten?",
        "beraad-option_a": "Onderwijs afdwingen.",
        "beraad-option_b": "Wachten tot de jongere er klaar voor is.",
        "beraad-conclusion": "Wachten, met een vast contactmoment.",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-description": "Evaluatie plannen",
        "actions-0-owner": "kartrekker",
        "actions-0-due_on": "2026-12-01",
    }
    data.update(extra)
    return data


def test_kartrekker_records_a_beraad_with_actions_and_a_linked_case(world, client_for):
    case = make_jeugdige(world.region_a, world.emmen)
    response = client_for("kartrekker_a").post(
        reverse("interviews:beraad_create"),
        beraad_post(**{"beraad-jeugdige_references": f" {case.reference.lower()} "}),
    )
    assert response.status_code == 302, response.context["form"].errors
    beraad = MoreelBeraad.objects.get()
    assert beraad.region == world.region_a
    assert list(beraad.jeugdigen.all()) == [case]
    assert beraad.actions.get().owner == "kartrekker"
    assert AuditEvent.objects.filter(
        action="create", object_type="interviews.moreelberaad"
    ).exists()


def test_a_case_of_another_region_cannot_be_linked(world, client_for):
    other = make_jeugdige(world.region_b, world.assen)
    response = client_for("kartrekker_a").post(
        reverse("interviews:beraad_create"),
        beraad_post(**{"beraad-jeugdige_references": other.reference}),
    )
    assert response.status_code == 200
    assert "not a jeugdige of this region" in response.content.decode()
    assert not MoreelBeraad.objects.exists()


def test_service_refuses_a_case_of_another_region(world):
    """The service checks the link itself, whatever a form let through."""
    from django.core.exceptions import ValidationError

    from interviews.services import beraad_save
    from tests.interviews.factories import BeraadFactory

    other = make_jeugdige(world.region_b, world.assen)
    data = {
        name: getattr(BeraadFactory.build(), name)
        for name in ("held_on", "facilitator", "method", "dilemma", "conclusion")
    }
    with pytest.raises(ValidationError):
        beraad_save(
            region=world.region_a,
            data=data,
            jeugdigen=[other],
            by=world.user("kartrekker_a"),
        )
    assert not MoreelBeraad.objects.exists()


def test_other_method_must_be_named(world, client_for):
    response = client_for("kartrekker_a").post(
        reverse("interviews:beraad_create"), beraad_post(**{"beraad-method": "other"})
    )
    assert response.status_code == 200 and not MoreelBeraad.objects.exists()


@pytest.mark.parametrize(
    "persona,status",
    [("lpa_a", 200), ("kartrekker_a", 200), ("lpa_b", 404), ("landelijk", 403), ("beheerder", 403)],
)
def test_who_reads_a_beraad(world, client_for, persona, status):
    beraad = BeraadFactory(region=world.region_a)
    assert client_for(persona).get(beraad.get_absolute_url()).status_code == status


def test_lpa_reads_but_does_not_see_linked_cases_outside_their_gemeenten(world, client_for):
    borger = make_jeugdige(world.region_a, world.borger)
    beraad = BeraadFactory(region=world.region_a)
    beraad.jeugdigen.set([borger])
    assert (
        borger.reference not in client_for("lpa_a").get(beraad.get_absolute_url()).content.decode()
    )
    assert (
        borger.reference
        in client_for("kartrekker_a").get(beraad.get_absolute_url()).content.decode()
    )


def test_lpa_cannot_edit(world, client_for):
    beraad = BeraadFactory(region=world.region_a)
    url = reverse("interviews:beraad_update", kwargs={"pk": beraad.pk})
    assert client_for("lpa_a").get(url).status_code == 403


def test_share_beraad_as_learning_leaves_out_linked_names(world, client_for):
    case = make_jeugdige(world.region_a, world.emmen, given_name="Sem", family_name="Kuipers")
    beraad = BeraadFactory(
        region=world.region_a, conclusion="Voor Sem Kuipers kiezen we voor rust.", dilemma="Sem?"
    )
    beraad.jeugdigen.set([case])
    response = client_for("kartrekker_a").get(
        reverse("interviews:beraad_share", kwargs={"pk": beraad.pk})
    )
    initial = response.context["form"].initial
    assert "Sem" not in initial["lesson"] + initial["context"]
    assert "Kuipers" not in initial["lesson"]
    assert "kiezen we voor rust" in initial["lesson"]


def test_editing_keeps_links_the_editor_cannot_see(world, client_for):
    """A kartrekker sees all; but the form never drops links it did not show."""
    from cases.models import Jeugdige
    from interviews.forms import BeraadForm

    emmen = make_jeugdige(world.region_a, world.emmen)
    borger = make_jeugdige(world.region_a, world.borger)
    beraad = BeraadFactory(region=world.region_a)
    beraad.jeugdigen.set([emmen, borger])
    only_emmen = Jeugdige.objects.filter(pk=emmen.pk)
    form = BeraadForm(instance=beraad, jeugdigen=only_emmen, prefix="beraad")
    assert form.initial["jeugdige_references"] == emmen.reference
    assert form.hidden_jeugdigen == [borger]
