import pytest

from interviews.models import BelemmerendeFactor
from tests.interviews.factories import InterviewFactory, ObstacleFactory, make_jeugdige


@pytest.fixture
def case_a(world):
    """A case in Emmen (the LPA of A works there) with a recognisable name and reference."""
    return make_jeugdige(world.region_a, world.emmen, given_name="Fenna", family_name="Veldkamp")


@pytest.fixture
def interview_a(world, case_a):
    lpa = world.user("lpa_a")
    return InterviewFactory(jeugdige=case_a, interviewer=lpa, created_by=lpa)


@pytest.fixture
def obstacle_a(world, interview_a):
    return ObstacleFactory(
        region=world.region_a,
        source=BelemmerendeFactor.Source.INTERVIEW,
        interview=interview_a,
        jeugdige=interview_a.jeugdige,
        created_by=world.user("lpa_a"),
        description="Fenna Veldkamp kan niet naar de zorgboerderij: geen vervoer (EMM-2026-0001).",
    )
