"""WEL's purposes (doelen) and the processing activities they point to.

The processing log (Logius *Logboek Dataverwerkingen*, ``wel.processing_log``) gives every line
``dpl.core.processing_activity_id``: a URI into the organisation's register of processing
activities (Register van Verwerkingsactiviteiten, AVG art. 30). WEL knows its purposes; the
organisation knows its register. ``WEL_PROCESSING_ACTIVITIES`` (JSON, ``{purpose: URI}``) maps
the one to the other; a purpose it does not name keeps its default, a URN that says which
WEL purpose it is until the organisation fills in its own register's address.

This module imports nothing of Django's models: the settings read it.
"""

from __future__ import annotations

import json
import re

from django.core.exceptions import ImproperlyConfigured

VARIABLE = "WEL_PROCESSING_ACTIVITIES"

# purpose code -> what it is (English; the docs give the Dutch)
PURPOSES: dict[str, str] = {
    "casusregie": "Following and supporting a jeugdige with an exemption (case management)",
    "eigen_inbreng": "Parents and young people writing in their own words (invitations)",
    "inzage": "Rights of the data subject: inzage, who looked at the data",
    "verantwoording": "Accountability: audit and processing logs, refusals, retention",
    "rapportage": "Reports and figures for the region and the programme",
    "beheer": "Accounts, memberships, regions and training (no data of children)",
}

DEFAULT_PREFIX = "urn:wel:verwerkingsactiviteit:"
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")
MAX_LENGTH = 500


def defaults() -> dict[str, str]:
    return {purpose: DEFAULT_PREFIX + purpose for purpose in PURPOSES}


def parse_processing_activities(raw: str | None) -> dict[str, str]:
    """``{purpose: URI}`` for every purpose, from the variable's JSON text (empty: defaults).

    Bad input stops start-up with :class:`ImproperlyConfigured` naming the variable: text that
    is not a JSON object, a purpose WEL does not have, a value that is not an absolute URI.
    """
    activities = defaults()
    if raw is None or not raw.strip():
        return activities
    try:
        given = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{VARIABLE} must be a JSON object {{purpose: URI}}; it is not valid JSON ({exc})."
        ) from exc
    if not isinstance(given, dict):
        raise ImproperlyConfigured(f"{VARIABLE} must be a JSON object {{purpose: URI}}.")
    for purpose, uri in given.items():
        if purpose not in PURPOSES:
            raise ImproperlyConfigured(
                f"{VARIABLE} names the purpose {purpose!r}, which WEL does not have; "
                f"the purposes are: {', '.join(PURPOSES)}."
            )
        if not isinstance(uri, str) or not _URI.fullmatch(uri) or len(uri) > MAX_LENGTH:
            raise ImproperlyConfigured(
                f"{VARIABLE}[{purpose!r}] must be an absolute URI (such as https://… or "
                f"urn:…) of at most {MAX_LENGTH} characters, pointing into the register of "
                "processing activities."
            )
        activities[purpose] = uri
    return activities
