"""The API under the site walker. The walker's clients are browser sessions, and a session is
no API credential: every API endpoint answers 401 (problem+json, ``WWW-Authenticate: Bearer``)
to every persona and to anonymous visitors alike; the OpenAPI document is public (200); the
token endpoint takes POST only (405 for a GET; a POST without client credentials is 401).
What API clients may do is tested in tests/api/ with bearer tokens."""

from tests.walk import Route, everyone

NO_SESSION = everyone(401)


def _ref(w):
    return {"referentie": w.jeugdige_a.reference}


WALK = {
    "api:openapi": Route(get=everyone(200), public=True),
    "api:token": Route(get=everyone(405), public=True, anonymous=405),
    "api:jeugdigen": Route(get=NO_SESSION, anonymous=401),
    "api:jeugdige": Route(get=NO_SESSION, anonymous=401, kwargs=_ref),
    "api:contactmomenten": Route(get=NO_SESSION, anonymous=401, kwargs=_ref),
    "api:vrijstellingen": Route(get=NO_SESSION, anonymous=401),
    "api:gesprekken": Route(get=NO_SESSION, anonymous=401),
    "api:gesprek": Route(get=NO_SESSION, anonymous=401, kwargs=lambda w: {"id": 1}),
    "api:vervolgstappen": Route(get=NO_SESSION, anonymous=401),
    "api:vervolgstap": Route(get=NO_SESSION, anonymous=401, kwargs=lambda w: {"id": 1}),
    "api:regios": Route(get=NO_SESSION, anonymous=401),
    "api:regio": Route(get=NO_SESSION, anonymous=401, kwargs=lambda w: {"code": w.region_a.code}),
    "api:gemeenten": Route(get=NO_SESSION, anonymous=401),
    "api:leerplichttelling": Route(get=NO_SESSION, anonymous=401),
    "api:cijfers": Route(get=NO_SESSION, anonymous=401),
}
