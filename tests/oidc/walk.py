"""Sign-in with the organisation's account: the start, the provider's answer and the
no-role page. The start and the answer are open to anyone (they are the login); the walker's
provider cannot be reached, so the start sends everyone back to the login page with a
message, and an answer without a known state is refused the same way."""

from tests.walk import Route, everyone


def build(world):
    from oidc.models import Provider

    Provider.objects.create(
        slug="walk-org",
        name="Walk Organisatie",
        issuer="http://127.0.0.1:9",  # the discard port: nothing answers
        client_id="wel",
    )


WALK = {
    "oidc_start": Route(get=everyone(302), kwargs=lambda w: {"slug": "walk-org"}, public=True),
    "oidc_callback": Route(get=everyone(302), public=True, query="state=x&code=y"),
    # Every persona has a role: the page sends them home.
    "oidc_no_role": Route(get=everyone(302)),
}
