"""The interviews app's URLs and who may use them (see tests/walk.py)."""

from interviews.models import BelemmerendeFactor
from tests.interviews.factories import (
    BeraadFactory,
    InterviewFactory,
    NextStepFactory,
    ObstacleFactory,
    make_jeugdige,
)
from tests.walk import Route, everyone


def build(world):
    """Region A: a case in Emmen (the LPA of A's) with an interview, a next step and an obstacle
    raised from it; a moreel beraad; a case in Borger-Odoorn (outside that LPA's gemeenten)."""
    if hasattr(world.extra, "interview_a"):
        return
    lpa, kartrekker = world.user("lpa_a"), world.user("kartrekker_a")
    e = world.extra
    e.iv_jeugdige_emmen = make_jeugdige(world.region_a, world.emmen)
    e.iv_jeugdige_borger = make_jeugdige(
        world.region_a, world.borger, given_name="Daan", family_name="Smit"
    )
    e.interview_a = InterviewFactory(jeugdige=e.iv_jeugdige_emmen, interviewer=lpa, created_by=lpa)
    e.next_step_a = NextStepFactory(interview=e.interview_a)
    e.obstacle_a = ObstacleFactory(
        region=world.region_a,
        source=BelemmerendeFactor.Source.INTERVIEW,
        interview=e.interview_a,
        jeugdige=e.iv_jeugdige_emmen,
        created_by=lpa,
    )
    e.national_obstacle_a = ObstacleFactory(
        region=world.region_a,
        level="national",
        shareable_summary="Vervoer naar dagbesteding wordt nergens vergoed.",
        created_by=kartrekker,
    )
    e.beraad_a = BeraadFactory(region=world.region_a, created_by=kartrekker)
    e.beraad_a.jeugdigen.set([e.iv_jeugdige_emmen])


MEMBERS = everyone(200, landelijk=403, beheerder=403)
CASE = everyone(200, lpa_b=404, landelijk=403, beheerder=403)
LEAD = everyone(403, kartrekker_a=200)
NO_GET = everyone(405)

WALK = {
    "interviews:list": Route(get=MEMBERS),
    "interviews:create": Route(
        get=CASE,
        post=CASE,
        post_data=lambda w: {},
        kwargs=lambda w: {"reference": w.iv_jeugdige_emmen.reference},
    ),
    "interviews:detail": Route(get=CASE, kwargs=lambda w: {"pk": w.interview_a.pk}),
    "interviews:update": Route(
        get=CASE, post=CASE, post_data=lambda w: {}, kwargs=lambda w: {"pk": w.interview_a.pk}
    ),
    "interviews:share": Route(get=CASE, kwargs=lambda w: {"pk": w.interview_a.pk}),
    "interviews:next_step_done": Route(
        get=NO_GET,
        post=everyone(302, lpa_b=404, landelijk=403, beheerder=403),
        post_data=lambda w: {"done": "1"},
        kwargs=lambda w: {"pk": w.next_step_a.pk},
    ),
    "interviews:beraad_list": Route(get=MEMBERS),
    "interviews:beraad_create": Route(get=LEAD, post=LEAD, post_data=lambda w: {}),
    "interviews:beraad_detail": Route(get=CASE, kwargs=lambda w: {"pk": w.beraad_a.pk}),
    "interviews:beraad_update": Route(
        get=LEAD, post=LEAD, post_data=lambda w: {}, kwargs=lambda w: {"pk": w.beraad_a.pk}
    ),
    "interviews:beraad_share": Route(get=CASE, kwargs=lambda w: {"pk": w.beraad_a.pk}),
    "interviews:obstacle_list": Route(get=MEMBERS),
    "interviews:obstacle_create": Route(get=MEMBERS, post=MEMBERS, post_data=lambda w: {}),
    "interviews:obstacle_detail": Route(get=CASE, kwargs=lambda w: {"pk": w.obstacle_a.pk}),
    "interviews:obstacle_update": Route(
        get=CASE, post=CASE, post_data=lambda w: {}, kwargs=lambda w: {"pk": w.obstacle_a.pk}
    ),
    "interviews:obstacle_status": Route(
        get=NO_GET,
        post=everyone(403, kartrekker_a=302, lpa_b=404),
        post_data=lambda w: {"status": "geagendeerd", "agenda_where": "Lokaal Educatieve Agenda"},
        kwargs=lambda w: {"pk": w.obstacle_a.pk},
    ),
    "interviews:obstacle_escalate": Route(
        get=LEAD, post=LEAD, post_data=lambda w: {}, kwargs=lambda w: {"pk": w.obstacle_a.pk}
    ),
    "interviews:national_agenda": Route(get=everyone(403, landelijk=200)),
    "interviews:national_status": Route(
        get=NO_GET,
        post=everyone(403, landelijk=302),
        post_data=lambda w: {"status": "geagendeerd"},
        kwargs=lambda w: {"pk": w.national_obstacle_a.pk},
    ),
}
