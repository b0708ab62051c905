"""Who may open which family URL. Inviting is for the LPA and kartrekker of the case (lpa_b:
404, national roles: 403). The family's own pages are public: they check the invitation
themselves (tests/family/test_security.py covers bad tokens, which answer 404)."""

from family import services
from tests.walk import Route, everyone


def build(world):
    new = services.invitation_create(
        jeugdige=world.jeugdige_a,
        audience="parent",
        purpose="before",
        delivery="letter",
        recipient_name="Ouder Emmen",
        by=world.user("kartrekker_a"),
    )
    world.extra.family_token = new.token
    world.extra.family_invitation = new.invitation


def case(code: int = 200, **overrides):
    return everyone(code, lpa_b=404, landelijk=403, beheerder=403) | overrides


ref = {"kwargs": lambda w: {"reference": w.jeugdige_a.reference}}
token = {"kwargs": lambda w: {"token": w.family_token}}

WALK = {
    "family:invite": Route(get=case(), post=case(), post_data=lambda w: {}, **ref),
    "family:revoke": Route(
        get=case(405, lpa_b=405),
        post=case(302),
        kwargs=lambda w: {"reference": w.jeugdige_a.reference, "pk": w.family_invitation.pk},
    ),
    # The new invitation's letter (PDF): only with the invitation's own token (else 404).
    "family:letter_pdf": Route(
        get=case(405, lpa_b=405),
        post=case(),
        post_data=lambda w: {"token": w.family_token},
        kwargs=lambda w: {"reference": w.jeugdige_a.reference, "pk": w.family_invitation.pk},
    ),
    # The code page: everyone may see it (it shows nothing but the child's first name).
    "family:open": Route(
        get=everyone(200), post=everyone(200), post_data=lambda w: {}, public=True, **token
    ),
    # Without a verified family session: back to the code page.
    "family:answer": Route(
        get=everyone(302), post=everyone(302), post_data=lambda w: {}, public=True, **token
    ),
    # without the code in this session: back to the code page; POST is not allowed
    "family:who_looked": Route(
        get=everyone(302), post=everyone(405), post_data=lambda w: {}, public=True, **token
    ),
}
