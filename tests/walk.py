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
    # What an anonymous visitor gets when it is not the login redirect (the API: 401).
    anonymous: int | None = None


def everyone(code: int, **overrides) -> dict[str, int]:
    personas = ("lpa_a", "kartrekker_a", "lpa_b", "landelijk", "beheerder")
    return {p: overrides.get(p, code) for p in personas}


# -- Hostile input ------------------------------------------------------------------------------
# Values an attacker (or a broken client) puts in a query string or a form field, by kind. Every
# page must answer them with a page, a message, a 400 or a 404 — never a 500.
HOSTILE_VALUES = {
    "control": ("\x00", "a\x00b", "\x1b[31m\x07"),
    "size": ("x" * 10_000, "9" * 400),
    "type": ("-1", "abc", "' OR 1=1 --", "%", ""),
    "date": ("0001-01-01", "9999-12-31", "31-12-9999", "2026-02-30"),
    "unicode": ("😀\u202e\ufeff", "ｅｍｍ－２０２６"),
}

# Query parameters the views read themselves; the filters' names are added from the FilterSets.
HOSTILE_PARAMS = (
    "q",
    "page",
    "format",
    "start",
    "end",
    "jeugdige",
    "region",
    "interview",
    "beraad",
    "next",
    "sort",
    "p",
    "gemeente",
    "schooljaar",
)

# Combinations that one value per kind does not produce: periods at the ends of the calendar.
HOSTILE_PERIODS = (
    {"end": "9999-12-31", "held_to": "9999-12-31", "until": "9999-12-31"},
    {"start": "9999-12-31", "held_from": "9999-12-31", "since": "9999-12-31"},
    {
        "start": "0001-01-01",
        "end": "0001-01-02",
        "held_from": "0001-01-01",
        "held_to": "0001-01-02",
        "since": "0001-01-01",
        "until": "0001-01-02",
    },
)


def hostile_params() -> list[str]:
    """Every query parameter a page reads: the fixed ones and every FilterSet's filters, so a
    filter added later is walked too."""
    import django_filters

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    apps = ("cases", "interviews", "regions", "reports", "wel")
    names = set(HOSTILE_PARAMS)
    for filterset in subclasses(django_filters.FilterSet):
        if filterset.__module__.split(".")[0] in apps:
            names.update(filterset.base_filters)
    return sorted(names)


def hostile_queries(params: list[str]) -> list[dict[str, str]]:
    """One query per kind of hostile value, every parameter set (values rotate within the kind),
    then the hostile periods."""
    queries = [
        {p: values[j % len(values)] for j, p in enumerate(params)}
        for values in HOSTILE_VALUES.values()
    ]
    return queries + list(HOSTILE_PERIODS)
