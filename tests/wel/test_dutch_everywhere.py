"""Every page, as every persona, in Dutch: no English message id reaches the screen.

While each page renders, every gettext/ngettext lookup in the Dutch catalogue is recorded; a
message id that the compiled catalogue (locale/nl plus the apps' own catalogues) does not
hold, and whose text then appears in the page, is an untranslated string a user meets. That
includes third-party apps (admin, django-axes, django-celery-beat, validators): where their
own Dutch is missing, locale/nl/LC_MESSAGES/django.po carries the override.
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from tests.conftest import PERSONAS
from tests.test_url_walk import ALL_NAMES, BUILDERS, ROUTES, _url

PLACEHOLDER = re.compile(r"%(\([^)]*\))?[-#0 +]*\d*(\.\d+)?[sdif%]|\{[^}]*\}")
# Admin pages of the beheerder beyond the index: the models a beheerder manages.
ADMIN_PAGES = (
    "/beheer/",
    "/beheer/wel/user/",
    "/beheer/wel/user/add/",
    "/beheer/wel/membership/",
    "/beheer/wel/auditevent/",
    "/beheer/axes/accessattempt/",
    "/beheer/axes/accesslog/",
    "/beheer/django_celery_beat/periodictask/",
    "/beheer/django_celery_beat/periodictask/add/",
    "/beheer/regions/region/add/",
)


class Recorder:
    """Collects the message ids looked up in Dutch that the catalogue does not hold."""

    def __init__(self):
        self.missing: set[str] = set()

    def __enter__(self):
        cls = trans_real.DjangoTranslation
        self.saved = (cls.gettext, cls.ngettext)
        recorder = self

        def gettext(self, message):
            if self.language() == "nl" and message and message not in self._catalog:
                recorder.missing.add(message.split("\x04")[-1])
            return recorder.saved[0](self, message)

        def ngettext(self, msgid1, msgid2, n):
            if self.language() == "nl" and (msgid1, 0) not in self._catalog:
                recorder.missing.add(msgid1 if n == 1 else msgid2)
            return recorder.saved[1](self, msgid1, msgid2, n)

        cls.gettext, cls.ngettext = gettext, ngettext
        return self

    def __exit__(self, *exc):
        cls = trans_real.DjangoTranslation
        cls.gettext, cls.ngettext = self.saved


def shown(msgid: str, page: str) -> bool:
    """Whether the message's literal text (up to its first placeholder) is on the page."""
    if not re.search(r"[A-Za-z]{2}", msgid):
        return False
    literal = PLACEHOLDER.split(msgid)[0].strip() if PLACEHOLDER.search(msgid) else msgid
    return len(literal) >= 4 and literal in page


FORMAL = re.compile(r"\b(Uw|uw|U|u)\b (?!-)")  # the site says "je", never "u"
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def untranslated_on(client: Client, url: str, recorder: Recorder, post: dict | None = None):
    recorder.missing.clear()
    response = client.post(url, post) if post is not None else client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    page = html.unescape(response.content.decode())
    faults = sorted(m for m in recorder.missing if shown(m, page))
    text = TAGS.sub(" ", page)
    faults += [f"formal: …{text[m.start() - 30 : m.end() + 30]}…" for m in FORMAL.finditer(text)]
    return faults


@pytest.fixture
def dutch(settings):
    settings.LANGUAGE_CODE = "nl"
    trans_real._translations.clear()  # noqa: SLF001 - catalogues load for the new default
    trans_real._default = None  # noqa: SLF001
    with translation.override("nl"), Recorder() as recorder:
        yield recorder
    trans_real._translations.clear()  # noqa: SLF001
    trans_real._default = None  # noqa: SLF001


@pytest.mark.django_db
def test_every_page_is_dutch_for_every_persona(world, dutch):
    for builder in BUILDERS:
        builder(world)
    faults = []
    for persona in PERSONAS:
        client = Client()
        if world.user(persona) is not None:
            client.force_login(world.user(persona))
        for name in ALL_NAMES:
            route = ROUTES[name]
            if persona != "anonymous" and route.get.get(persona) != 200:
                continue
            url = _url(name, route, world)
            faults += [f"{persona} {url}: {m!r}" for m in untranslated_on(client, url, dutch)]
            if route.post_data and route.post.get(persona) == 200:
                # a form sent back with errors: the validators' messages
                errors = untranslated_on(client, url, dutch, post={})
                faults += [f"{persona} POST {url}: {m!r}" for m in errors]
    beheerder = Client()
    beheerder.force_login(world.user("beheerder"))
    for url in ADMIN_PAGES:
        faults += [f"beheerder {url}: {m!r}" for m in untranslated_on(beheerder, url, dutch)]
    assert not faults, "\n".join(sorted(set(faults))[:400])


@pytest.mark.django_db
def test_the_admin_javascript_is_dutch(world, dutch):
    """The membership form's gemeenten picker ("Choose all gemeenten") reads djangojs."""
    client = Client()
    client.force_login(world.user("beheerder"))
    script = client.get("/beheer/jsi18n/").content.decode()
    for msgid in ("Choose all %s", "Remove all %s", "Choose selected %s"):
        assert f'"{msgid}": "' in script, f"{msgid} has no Dutch"


@pytest.mark.django_db
def test_a_wrong_bsn_is_refused_in_dutch(world, dutch):
    client = Client()
    client.force_login(world.user("lpa_a"))
    response = client.post(reverse("cases:create"), {"bsn": "123456789"})
    page = html.unescape(response.content.decode())
    assert "Enter a valid BSN" not in page
    assert "Dit is geen geldig BSN" in page
