"""The URL walker's registry. Every named URL of the project must appear in some app's
``tests/<app>/walk.py`` as ``WALK = {"name": Route(...)}``; ``tests/test_url_walk.py`` walks
them all with every persona, so a view added without an access decision fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ANON_LOGIN = "login"  # anonymous visitors are sent to the login page
PUBLIC = 200


@dataclass(frozen=True)
class Route:
    """What each persona gets for a GET (and optionally a POST) of one URL.

    ``kwargs`` builds the URL's arguments from the world (objects of region A);
    ``get``/``post`` map persona → status code; anonymous is expected to be redirected to the
    login page unless ``public`` is set.
    """

    get: dict[str, int]
    kwargs: Callable | None = None
    post: dict[str, int] = field(default_factory=dict)
    post_data: Callable | None = None
    public: bool = False
    query: str = ""


def everyone(code: int, **overrides) -> dict[str, int]:
    personas = ("lpa_a", "kartrekker_a", "lpa_b", "landelijk", "beheerder")
    return {p: overrides.get(p, code) for p in personas}
