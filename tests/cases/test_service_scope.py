"""Services that change a case check the actor's scope themselves (issue 18 §2): called with a
case outside the actor's scope they refuse and write nothing, whichever view, task or command
calls them. Found: five cases services checked no scope."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import services
from cases.models import Betrokkene, ContactMoment, Jeugdige, Ontwikkelactiviteit, TimelineEntry
from interviews import services as interview_services
from tests.cases.factories import make_jeugdige
from tests.interviews.factories import InterviewFactory, NextStepFactory
from wel.access import OutOfScope
from wel.models import AuditEvent

TODAY = dt.date.today()

CALLS = {
    "jeugdige_update": lambda j, by: services.jeugdige_update(
        jeugdige=j, data={"notes": "x"}, version=j.version, by=by
    ),
    "jeugdige_transition": lambda j, by: services.jeugdige_transition(
        jeugdige=j, to="in_beeld", by=by
    ),
    "jeugdige_close": lambda j, by: services.jeugdige_close(jeugdige=j, reason="verhuisd", by=by),
    "betrokkene_add": lambda j, by: services.betrokkene_add(
        jeugdige=j, data={"kind": "ouder_verzorger", "name": "Ouder"}, by=by
    ),
    "activiteit_add": lambda j, by: services.activiteit_add(
        jeugdige=j, data={"kind": "onderwijs"}, by=by
    ),
    "contact_add": lambda j, by: services.contact_add(
        jeugdige=j, date=TODAY, kind="telefoon", summary="Gebeld.", by=by
    ),
    "next_step_set_done": lambda j, by: interview_services.next_step_set_done(
        step=NextStepFactory(
            interview=InterviewFactory(jeugdige=j, created_by=None, interviewer=j.created_by)
        ),
        done=True,
        by=by,
    ),
}


def _footprint(jeugdige: Jeugdige) -> tuple:
    fresh = Jeugdige.objects.get(pk=jeugdige.pk)
    return (
        fresh.version,
        fresh.status,
        TimelineEntry.objects.filter(jeugdige=jeugdige).count(),
        Betrokkene.objects.filter(jeugdige=jeugdige).count(),
        Ontwikkelactiviteit.objects.filter(jeugdige=jeugdige).count(),
        ContactMoment.objects.filter(jeugdige=jeugdige).count(),
        AuditEvent.objects.filter(jeugdige_id=jeugdige.pk).count(),
    )


@pytest.mark.parametrize("service", list(CALLS))
@pytest.mark.parametrize(
    ("persona", "where"),
    [
        ("lpa_b", "emmen"),  # another region
        ("lpa_a", "borger"),  # the region, another gemeente
        ("landelijk", "emmen"),  # a national role
        ("beheerder", "emmen"),
    ],
)
def test_a_service_refuses_a_case_outside_the_actors_scope(world, service, persona, where):
    gemeente = world.emmen if where == "emmen" else world.borger
    jeugdige = make_jeugdige(world, gemeente=gemeente)
    before = _footprint(jeugdige)
    with pytest.raises(OutOfScope):
        CALLS[service](jeugdige, world.user(persona))
    assert _footprint(jeugdige) == before


@pytest.mark.parametrize("service", list(CALLS))
def test_the_same_service_works_for_the_lpa_of_the_case(world, service):
    jeugdige = make_jeugdige(world, gemeente=world.emmen)
    CALLS[service](jeugdige, world.user("lpa_a"))
