from regions.models import Learning
from tests.interviews.factories import LearningFactory, TrainingSessionFactory
from tests.walk import Route, everyone


def build(world):
    """A published learning by the kartrekker of A, and an upcoming training session."""
    if hasattr(world.extra, "learning_a"):
        return
    world.extra.learning_a = LearningFactory(
        region=world.region_a, author=world.user("kartrekker_a"), status=Learning.Status.PUBLISHED
    )
    world.extra.session_a = TrainingSessionFactory(created_by=world.user("landelijk"))


NATIONAL_TEAM = everyone(403, landelijk=200)
NO_GET = everyone(405)

WALK = {
    "regions:list": Route(get=everyone(200)),
    "regions:rollout": Route(get=everyone(403, landelijk=200, beheerder=200)),
    "regions:create": Route(
        get=everyone(403, landelijk=200, beheerder=200),
        post=everyone(403, landelijk=200, beheerder=200),
        post_data=lambda w: {},
    ),
    "regions:detail": Route(
        get=everyone(200, lpa_b=404), kwargs=lambda w: {"code": w.region_a.code}
    ),
    "regions:update": Route(
        get=everyone(403, landelijk=200, beheerder=200),
        post=everyone(403, landelijk=200, beheerder=200),
        post_data=lambda w: {},
        kwargs=lambda w: {"code": w.region_a.code},
    ),
    # Learnings: everyone reads; members and the national team write; only the author edits.
    "regions:learning_list": Route(get=everyone(200)),
    "regions:learning_create": Route(
        get=everyone(200, beheerder=403), post=everyone(200, beheerder=403), post_data=lambda w: {}
    ),
    "regions:learning_detail": Route(get=everyone(200), kwargs=lambda w: {"pk": w.learning_a.pk}),
    "regions:learning_update": Route(
        get=everyone(404, kartrekker_a=200, beheerder=403),
        post=everyone(404, kartrekker_a=200, beheerder=403),
        post_data=lambda w: {},
        kwargs=lambda w: {"pk": w.learning_a.pk},
    ),
    # Training: everyone sees sessions; members sign up; the national team manages.
    "regions:training_list": Route(get=everyone(200)),
    "regions:training_session_create": Route(
        get=NATIONAL_TEAM, post=NATIONAL_TEAM, post_data=lambda w: {}
    ),
    "regions:training_attendance": Route(get=NATIONAL_TEAM),
    "regions:training_session_detail": Route(
        get=everyone(200), kwargs=lambda w: {"pk": w.session_a.pk}
    ),
    "regions:training_session_update": Route(
        get=NATIONAL_TEAM,
        post=NATIONAL_TEAM,
        post_data=lambda w: {},
        kwargs=lambda w: {"pk": w.session_a.pk},
    ),
    "regions:training_sign_up": Route(
        get=NO_GET,
        post=everyone(302, landelijk=403, beheerder=403),
        kwargs=lambda w: {"pk": w.session_a.pk},
    ),
    "regions:training_cancel": Route(
        get=NO_GET,
        post=everyone(302, landelijk=403, beheerder=403),
        kwargs=lambda w: {"pk": w.session_a.pk},
    ),
}
